package dev.appservice.operator.config;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Settings of the operator that shape what it creates, independent of any one custom resource.
 * The running operator reads them from its configuration ({@code ase.*} properties, e.g. the
 * environment variable {@code ASE_PLACEHOLDER_IMAGE}); the offline {@code render} uses
 * {@link #defaults()}, so both build the same objects from the same input.
 *
 * @param placeholderImage image of the placeholder container that holds the part of a plan instance's
 *                         capacity its apps do not request (an unprivileged nginx answering its probes)
 * @param network          what the NSG compiler needs to know about the cluster
 * @param legacyDrainPeriod how long a plan's old worker Deployment and Service keep serving once
 *                          every app runs on its own ({@code ase.legacy-drain-period})
 */
public record OperatorSettings(String placeholderImage, NetworkSettings network, Duration legacyDrainPeriod) {
    /**
     * How long the old one-Deployment-per-plan layout keeps serving after every app runs on its own
     * (see LegacyWorkers): longer than the kubelet takes to propagate a ConfigMap change to the
     * front ends' volume (its sync period plus cache TTL, about a minute by default) plus a
     * front-end reload, so no front end still proxies to the old Service when it goes.
     */
    public static final Duration DEFAULT_LEGACY_DRAIN_PERIOD = Duration.ofMinutes(2);

    public static OperatorSettings defaults() {
        return new OperatorSettings(
                AppServiceEnvironmentSpec.DEFAULT_FRONT_END_IMAGE,
                NetworkSettings.defaults(),
                DEFAULT_LEGACY_DRAIN_PERIOD);
    }

    /** The settings from the running operator's configuration, falling back to the defaults. */
    public static OperatorSettings fromConfig() {
        var config = ConfigProvider.getConfig();
        OperatorSettings defaults = defaults();
        NetworkSettings network = defaults.network();
        return new OperatorSettings(
                config.getOptionalValue("ase.placeholder-image", String.class).orElse(defaults.placeholderImage()),
                new NetworkSettings(
                        config.getOptionalValue("ase.operator-namespace", String.class)
                                .orElse(network.operatorNamespace()),
                        config.getOptionalValues("ase.azure-load-balancer-cidrs", String.class)
                                .orElse(network.azureLoadBalancerCidrs()),
                        config.getOptionalValues("ase.pod-cidrs", String.class).orElse(network.podCidrs()),
                        config.getOptionalValue("ase.dns.namespace", String.class)
                                .orElse(network.dnsNamespace()),
                        network.dnsPodLabels()),
                config.getOptionalValue("ase.legacy-drain-period", Duration.class)
                        .orElse(defaults.legacyDrainPeriod()));
    }
}
