package dev.appservice.operator.model;

import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.MemoryQuantity;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an instance's CPU and memory are shared by the apps of its plan: App Service's recommended
 * density per worker size. Every app requests {@code size / density} of each instance, whatever
 * the other apps are, so adding or removing an app never changes another app's pods; each app may
 * burst to the whole instance (limits = the size). The plan's placeholder holds what the apps do
 * not request. An app beyond the density (in admission order) is not run: it is reported on the app
 * ({@code PlanCapacityExceeded}), never left as an unschedulable pod.
 */
public final class AppDensity {
    /** Apps per I1 instance (1 vCPU, 3.5 GiB): 125m and 448Mi each. */
    public static final int I1_APPS_PER_INSTANCE = 8;
    /** Apps per I2 instance (2 vCPU, 7 GiB): 125m and 448Mi each. */
    public static final int I2_APPS_PER_INSTANCE = 16;
    /** Apps per I3 instance (4 vCPU, 14 GiB): 125m and 448Mi each. */
    public static final int I3_APPS_PER_INSTANCE = 32;

    private AppDensity() {}

    /** The number of apps an instance of the size runs. */
    public static int appsPerInstance(InstanceSize size) {
        return switch (size) {
            case I1 -> I1_APPS_PER_INSTANCE;
            case I2 -> I2_APPS_PER_INSTANCE;
            case I3 -> I3_APPS_PER_INSTANCE;
        };
    }

    /** Millicores one app requests on an instance of the size. */
    public static int appMilliCpu(InstanceSize size) {
        return size.vCpus() * 1000 / appsPerInstance(size);
    }

    /** MiB one app requests on an instance of the size. */
    public static int appMemoryMiB(InstanceSize size) {
        return size.memoryMiB() / appsPerInstance(size);
    }

    /** One app's container: requests its share, limited to the instance (it may burst into what others leave idle). */
    public static ResourceRequirements appResources(InstanceSize size) {
        Map<String, Quantity> requests = new TreeMap<>();
        requests.put("cpu", new Quantity(milliCpu(appMilliCpu(size))));
        requests.put("memory", new Quantity(MemoryQuantity.ofMiB(appMemoryMiB(size))));
        Map<String, Quantity> limits = new TreeMap<>();
        limits.put("cpu", new Quantity(size.cpuQuantity()));
        limits.put("memory", new Quantity(size.memoryQuantity()));
        return new ResourceRequirementsBuilder()
                .withRequests(requests)
                .withLimits(limits)
                .build();
    }

    /**
     * What the plan's placeholder holds on each instance while {@code apps} apps run there: the size
     * less the apps' requests (requests = limits, a fixed reservation). When the apps take the whole
     * instance there is nothing to hold and the placeholder runs no pod; its template then keeps one
     * app's share, so that it stays a valid pod.
     */
    public static ResourceRequirements placeholderResources(InstanceSize size, int apps) {
        int held = Math.max(1, appsPerInstance(size) - Math.min(apps, appsPerInstance(size)));
        Map<String, Quantity> amounts = new TreeMap<>();
        amounts.put("cpu", new Quantity(milliCpu(held * appMilliCpu(size))));
        amounts.put("memory", new Quantity(MemoryQuantity.ofMiB((long) held * appMemoryMiB(size))));
        return new ResourceRequirementsBuilder()
                .withRequests(amounts)
                .withLimits(amounts)
                .build();
    }

    /** Whether the apps leave part of the instance for the placeholder to hold. */
    public static boolean placeholderHoldsCapacity(InstanceSize size, int apps) {
        return apps < appsPerInstance(size);
    }

    private static String milliCpu(int millis) {
        return millis % 1000 == 0 ? Integer.toString(millis / 1000) : millis + "m";
    }
}
