package dev.appservice.operator.cli;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.config.OperatorSettings;
import dev.appservice.operator.desired.EnvironmentServices;
import dev.appservice.operator.desired.FrontEnds;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.desired.WorkerPools;
import dev.appservice.operator.model.AppDensity;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.network.NsgCompiler;
import dev.appservice.operator.desired.Workers;
import dev.appservice.operator.desired.AppWorkloads;
import dev.appservice.operator.desired.SlotWorkloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every object the operator creates for a set of custom resources, in a stable order: per
 * environment (by namespace, then name) its front-end config, front-end Deployment and Services,
 * then per plan in admission order its placeholder Deployment and, per app it runs (admission
 * order), the app's Deployment and Service. The same builders the
 * reconcilers' dependents call, so {@code render} shows exactly what the operator writes (less the
 * owner references, which need the live objects' UIDs).
 */
public final class DesiredObjects {
    private DesiredObjects() {
    }

    public static List<HasMetadata> of(List<AppServiceEnvironment> environments, List<IsolatedPlan> plans, List<WebApp> apps,
            OperatorSettings settings, Consumer<String> warnings) {
        List<HasMetadata> objects = new ArrayList<>();
        List<AppServiceEnvironment> sorted = environments.stream()
                .sorted(Comparator.comparing((AppServiceEnvironment e) -> e.getMetadata().getNamespace())
                        .thenComparing(e -> e.getMetadata().getName()))
                .toList();
        // Environments are independent: built on every core, kept in order.
        sorted.parallelStream().map(environment -> ofEnvironment(environment, plans, apps, settings)).forEachOrdered(objects::addAll);
        for (IsolatedPlan plan : plans) {
            boolean placed = environments.stream().anyMatch(e -> e.getMetadata().getName().equals(plan.getSpec().getEnvironmentName())
                    && e.getMetadata().getNamespace().equals(plan.getMetadata().getNamespace()));
            if (!placed) {
                warnings.accept("IsolatedPlan " + plan.getMetadata().getNamespace() + "/" + plan.getMetadata().getName()
                        + ": AppServiceEnvironment " + plan.getMetadata().getNamespace() + "/" + plan.getSpec().getEnvironmentName()
                        + " is not in the input; no workers rendered (the operator waits for it: EnvironmentNotFound)");
            }
        }
        for (AppServiceEnvironment environment : sorted) {
            EnvironmentTopology topology = new EnvironmentTopology(environment, plans, apps);
            for (WebApp app : topology.apps()) {
                if (!topology.isAdmitted(app)) {
                    IsolatedPlan plan = topology.planOf(app).orElseThrow();
                    warnings.accept("WebApp " + app.getMetadata().getNamespace() + "/" + app.getMetadata().getName() + ": IsolatedPlan "
                            + plan.getMetadata().getNamespace() + "/" + plan.getMetadata().getName() + " runs at most "
                            + AppDensity.appsPerInstance(topology.workerSize(plan)) + " apps and slots on its " + topology.workerSize(plan)
                            + " instances; the app is not rendered (the operator reports PlanCapacityExceeded)");
                }
            }
        }
        for (WebApp app : apps) {
            boolean placed = plans.stream().anyMatch(p -> p.getMetadata().getName().equals(app.getSpec().getPlanName())
                    && p.getMetadata().getNamespace().equals(app.getMetadata().getNamespace()));
            if (!placed) {
                warnings.accept("WebApp " + app.getMetadata().getNamespace() + "/" + app.getMetadata().getName() + ": IsolatedPlan "
                        + app.getMetadata().getNamespace() + "/" + app.getSpec().getPlanName() + " is not in the input; the app is not rendered");
            }
        }
        return objects;
    }

    private static List<HasMetadata> ofEnvironment(AppServiceEnvironment environment, List<IsolatedPlan> plans, List<WebApp> apps,
            OperatorSettings settings) {
        List<HasMetadata> objects = new ArrayList<>();
        EnvironmentTopology topology = new EnvironmentTopology(environment, plans, apps);
        // No cluster, so no Service has an address: the apps' servers answer 503 until one has.
        objects.addAll(FrontEnds.configMaps(topology, NginxConfig.render(topology, NginxConfig.AppAddresses.NONE)));
        objects.add(FrontEnds.deployment(topology));
        objects.add(EnvironmentServices.vip(topology));
        objects.add(EnvironmentServices.internal(topology));
        objects.add(EnvironmentServices.management(topology));
        objects.addAll(WorkerPools.placeholders(topology, settings));
        objects.addAll(NsgCompiler.compile(topology, settings.network()).policies());
        for (IsolatedPlan plan : topology.plans()) {
            objects.add(Workers.deployment(topology, plan, settings));
            for (WebApp app : topology.admittedApps(plan)) {
                objects.add(AppWorkloads.deployment(topology, plan, app));
                objects.add(AppWorkloads.service(topology, plan, app));
                for (var slot : app.getSpec().effectiveSlots()) {
                    objects.add(SlotWorkloads.deployment(topology, plan, app, slot.getName()));
                    objects.add(SlotWorkloads.service(topology, plan, app, slot.getName()));
                }
            }
        }
        return objects;
    }
}
