package dev.appservice.operator.testing;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.IsolatedPlanSpec;
import dev.appservice.operator.api.LoadBalancerSettings;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.VirtualNetwork;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.api.WebAppSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** Custom resources for tests, valid unless a test changes them. */
public final class Fixtures {
    private Fixtures() {}

    public static AppServiceEnvironment environment(String namespace, String name) {
        AppServiceEnvironment ase = new AppServiceEnvironment();
        ase.setMetadata(
                new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        AppServiceEnvironmentSpec spec = new AppServiceEnvironmentSpec();
        VirtualNetwork vnet = new VirtualNetwork();
        // Each environment its own virtual network: subnets are exclusive within one (tests of that set a shared name).
        vnet.setName("vnet-" + Integer.toHexString((namespace + "/" + name).hashCode()));
        vnet.setSubnet("10.1.0.0/24");
        spec.setVirtualNetwork(vnet);
        ase.setSpec(spec);
        return ase;
    }

    public static AppServiceEnvironment environment(
            String namespace, String name, LoadBalancerType type, Integer scaleFactor) {
        AppServiceEnvironment ase = environment(namespace, name);
        LoadBalancerSettings lb = new LoadBalancerSettings();
        lb.setType(type);
        ase.getSpec().setLoadBalancer(lb);
        if (scaleFactor != null) {
            FrontEndSettings fe = new FrontEndSettings();
            fe.setScaleFactor(scaleFactor);
            ase.getSpec().setFrontEnd(fe);
        }
        return ase;
    }

    public static IsolatedPlan plan(
            String namespace, String name, String environment, InstanceSize size, int instances) {
        IsolatedPlan plan = new IsolatedPlan();
        plan.setMetadata(
                new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        IsolatedPlanSpec spec = new IsolatedPlanSpec();
        spec.setEnvironmentName(environment);
        spec.setSize(size);
        spec.setInstances(instances);
        plan.setSpec(spec);
        return plan;
    }

    /** A Deployment someone else made (no owner, their own labels), to take a name the operator would use. */
    public static Deployment foreignDeployment(String namespace, String name) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("team", "web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", "theirs")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "theirs")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("example/theirs:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    public static WebApp app(String namespace, String name, String plan, int port) {
        WebApp app = new WebApp();
        app.setMetadata(
                new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        WebAppSpec spec = new WebAppSpec();
        spec.setPlanName(plan);
        spec.setImage("registry.example/" + name + ":1.0");
        spec.setPort(port);
        app.setSpec(spec);
        return app;
    }

    /** A plan of the given operating system. */
    public static IsolatedPlan plan(
            String namespace,
            String name,
            String environment,
            InstanceSize size,
            int instances,
            dev.appservice.operator.api.OperatingSystem os) {
        IsolatedPlan plan = plan(namespace, name, environment, size, instances);
        plan.getSpec().setOs(os);
        return plan;
    }

    /** A function app ({@code kind: functionapp}) of the runtime, its storage in Secret {@code <name>-storage}. */
    public static WebApp functionApp(String namespace, String name, String plan, int port, String runtime) {
        WebApp app = app(namespace, name, plan, port);
        app.getSpec().setKind(WebAppSpec.KIND_FUNCTION_APP);
        var functions = new dev.appservice.operator.api.FunctionsSettings();
        functions.setRuntime(runtime);
        functions.setStorage(new dev.appservice.operator.api.SecretKeyReference(name + "-storage", "connection"));
        app.getSpec().setFunctions(functions);
        return app;
    }

    public static dev.appservice.operator.api.AccessRestriction accessRestriction(
            String name, int priority, dev.appservice.operator.api.RuleAccess action, String cidr) {
        var rule = new dev.appservice.operator.api.AccessRestriction();
        rule.setName(name);
        rule.setPriority(priority);
        rule.setAction(action);
        rule.setIpAddress(cidr);
        return rule;
    }
}
