package dev.appservice.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An App Service Environment: a dedicated, isolated environment made of front ends (the nginx
 * proxies behind its VIP) and the workers of its IsolatedPlans.
 */
@Group(AppServiceEnvironment.GROUP)
@Version(AppServiceEnvironment.VERSION)
@ShortNames("ase")
@Categories("appservice")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Load Balancer",
        jsonPath = ".spec.loadBalancer.type",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Front Ends",
        jsonPath = ".status.frontEnds.summary",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Instances",
        jsonPath = ".status.instances.summary",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class AppServiceEnvironment extends CustomResource<AppServiceEnvironmentSpec, AppServiceEnvironmentStatus>
        implements Namespaced {

    public static final String GROUP = "appservice.dev";
    public static final String VERSION = "v1alpha1";
}
