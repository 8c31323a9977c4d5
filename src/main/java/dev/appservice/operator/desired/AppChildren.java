package dev.appservice.operator.desired;

import dev.appservice.operator.api.DeploymentSlot;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.model.StandardLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every child an app the plan runs should have: its Deployment and Service, one Deployment and
 * Service per deployment slot, a PodDisruptionBudget for each of those Deployments that runs more
 * than one instance ({@link DisruptionBudgets}), the NetworkPolicy that lets its instances reach
 * each other ({@link AppPeers}), and the cert-manager Certificate when it asks for one. Built by
 * pure functions of the topology and the app; the app's dependents select their part and
 * {@code render} prints {@link #all()}. Whether the app runs at all (its plan's density) is the
 * topology's answer: an app past it has no children.
 *
 * @param certificate the cert-manager Certificate for {@code spec.tls.issuerRef}; the reconciler
 *                    writes it only where cert-manager is installed
 * @param functionKeys a function app's keys Secret, as it must exist (named, owned, labelled): its
 *                     data is generated in the cluster, once ({@link FunctionKeys})
 */
public record AppChildren(
        Deployment deployment,
        Service service,
        List<Deployment> slotDeployments,
        List<Service> slotServices,
        List<PodDisruptionBudget> disruptionBudgets,
        NetworkPolicy peers,
        Optional<GenericKubernetesResource> certificate,
        Optional<Secret> functionKeys) {

    public AppChildren {
        slotDeployments = List.copyOf(slotDeployments);
        slotServices = List.copyOf(slotServices);
        disruptionBudgets = List.copyOf(disruptionBudgets);
    }

    public static AppChildren of(EnvironmentTopology topology, IsolatedPlan plan, WebApp app) {
        List<Deployment> slotDeployments = new ArrayList<>();
        List<Service> slotServices = new ArrayList<>();
        for (DeploymentSlot slot : app.getSpec().effectiveSlots()) {
            slotDeployments.add(SlotWorkloads.deployment(topology, plan, app, slot.getName()));
            slotServices.add(SlotWorkloads.service(topology, plan, app, slot.getName()));
        }
        Deployment deployment = AppWorkloads.deployment(topology, plan, app);
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        DisruptionBudgets.of(deployment).ifPresent(budgets::add);
        slotDeployments.forEach(d -> DisruptionBudgets.of(d).ifPresent(budgets::add));
        return new AppChildren(
                deployment,
                AppWorkloads.service(topology, plan, app),
                slotDeployments,
                slotServices,
                budgets,
                AppPeers.of(topology, app),
                app.getSpec().issuerRef() == null ? Optional.empty() : Optional.of(IssuedCertificate.of(app)),
                app.getSpec().functionApp() && app.getSpec().getFunctions() != null
                        ? Optional.of(FunctionKeys.secret(
                                app,
                                StandardLabels.forApp(
                                        topology.name(),
                                        plan.getMetadata().getName(),
                                        app.getMetadata().getName())))
                        : Optional.empty());
    }

    /**
     * Every child, in the order {@code render} prints them: the app's own, each slot's, the budgets,
     * the peers' NetworkPolicy, then the Certificate and a function app's keys Secret (without data).
     */
    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>();
        all.add(deployment);
        all.add(service);
        for (int i = 0; i < slotDeployments.size(); i++) {
            all.add(slotDeployments.get(i));
            all.add(slotServices.get(i));
        }
        all.addAll(disruptionBudgets);
        all.add(peers);
        certificate.ifPresent(all::add);
        functionKeys.ifPresent(all::add);
        return all;
    }
}
