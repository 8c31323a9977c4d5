package dev.appservice.operator.config;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
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
 */
public record OperatorSettings(String placeholderImage, NetworkSettings network) {
    public static OperatorSettings defaults() {
        return new OperatorSettings(AppServiceEnvironmentSpec.DEFAULT_FRONT_END_IMAGE, NetworkSettings.defaults());
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
                        network.dnsPodLabels()));
    }
}
