package dev.appservice.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An Isolated App Service plan: worker instances of one size in an App Service Environment. Every
 * app of the plan runs on every instance. Scalable with {@code kubectl scale iplan/NAME --replicas=N}.
 */
@Group(AppServiceEnvironment.GROUP)
@Version(AppServiceEnvironment.VERSION)
@ShortNames("iplan")
@Categories("appservice")
@AdditionalPrinterColumn(
        name = "Environment",
        jsonPath = ".spec.environmentName",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "OS", jsonPath = ".spec.os", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Size", jsonPath = ".spec.size", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Instances", jsonPath = ".spec.instances", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Ready Instances",
        jsonPath = ".status.readyInstances",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class IsolatedPlan extends CustomResource<IsolatedPlanSpec, IsolatedPlanStatus> implements Namespaced {}
