package dev.appservice.operator.environment;

import static dev.appservice.operator.testing.Fixtures.environment;
import static dev.appservice.operator.testing.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.LoadBalancerSettings;
import dev.appservice.operator.api.LoadBalancerType;
import dev.appservice.operator.api.ServiceType;
import dev.appservice.operator.desired.FrontEndProcess;
import dev.appservice.operator.desired.NginxConfig;
import dev.appservice.operator.plan.IsolatedPlanReconciler;
import dev.appservice.operator.status.Conditions;
import dev.appservice.operator.testing.MockKubernetes;
import dev.appservice.operator.testing.OperatorTest;
import dev.appservice.operator.testing.Reconciles;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The running operator against the Fabric8 mock API server (CRUD mode): custom resources in,
 * children and status out. Each test works in a namespace of its own.
 */
@QuarkusTest
@QuarkusTestResource(MockKubernetes.class)
class AppServiceEnvironmentReconcilerTest extends OperatorTest {

    @Test
    void environmentAndPlanBecomeFrontEndsServicesAndWorkers() {
        AppServiceEnvironment ase = client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I2, 3)).create();

        Deployment frontEnds = awaitObject(Deployment.class, "ase1-frontend");
        assertThat(frontEnds.getSpec().getReplicas()).isEqualTo(2);
        Container nginx =
                frontEnds.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(nginx.getResources().getRequests().get("cpu").toString()).isEqualTo("1");
        assertThat(nginx.getResources().getLimits().get("memory").toString()).isEqualTo("3584Mi");
        assertThat(nginx.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(nginx.getLivenessProbe()).isNotNull();
        assertRestricted(frontEnds.getSpec().getTemplate().getSpec());
        assertThat(frontEnds.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "ase-operator")
                .containsEntry("app.kubernetes.io/instance", "ase1")
                .containsEntry("appservice.dev/environment", "ase1")
                .containsEntry("appservice.dev/role", "front-end");
        // The configuration is mounted as a directory the kubelet updates in place; nginx reloads it.
        assertThat(frontEnds.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getName().equals("config"))
                .singleElement()
                .satisfies(v -> assertThat(v.getProjected().getSources()).hasSize(NginxConfig.MAX_SHARDS));
        assertThat(nginx.getCommand()).containsExactly("/bin/sh", "-c", FrontEndProcess.SCRIPT);
        assertThat(nginx.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo(NginxConfig.CONFIG_DIRECTORY);
            assertThat(m.getSubPath()).isNull();
        });
        assertOwnedBy(frontEnds, ase);

        ConfigMap config = awaitObject(ConfigMap.class, "ase1-frontend-config");
        assertThat(config.getData().get("nginx.conf"))
                .contains("listen 8080 default_server")
                .contains("location = /healthz");
        assertOwnedBy(config, ase);

        Service vip = awaitObject(Service.class, "ase1-vip");
        assertThat(vip.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(vip.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        assertThat(vip.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(80);
        assertOwnedBy(vip, ase);
        Service internal = awaitObject(Service.class, "ase1-internal");
        assertThat(internal.getSpec().getType()).isEqualTo("ClusterIP");
        Service management = awaitObject(Service.class, "ase1-management");
        assertThat(management.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(454, 455);
        assertThat(management.getSpec().getPorts().get(0).getTargetPort().getIntVal())
                .isEqualTo(NginxConfig.MANAGEMENT_PORT);
        assertOwnedBy(internal, ase);
        assertOwnedBy(management, ase);

        Deployment workers = awaitObject(Deployment.class, "web-workers");
        assertThat(workers.getSpec().getReplicas()).isEqualTo(3);
        Container capacity =
                workers.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(capacity.getResources().getRequests().get("cpu").toString()).isEqualTo("2");
        assertThat(capacity.getResources().getLimits().get("memory").toString()).isEqualTo("7Gi");
        assertThat(capacity.getReadinessProbe()).isNotNull();
        assertRestricted(workers.getSpec().getTemplate().getSpec());
        assertThat(workers.getSpec().getSelector().getMatchLabels())
                .containsEntry("appservice.dev/plan", "web")
                .containsEntry("appservice.dev/role", "worker");
        assertOwnedBy(
                workers,
                client.resources(IsolatedPlan.class)
                        .inNamespace(ns)
                        .withName("web")
                        .get());

        AppServiceEnvironment status =
                awaitStatus("ase1", s -> s.getStatus().getInstances().getUsed() == 3);
        assertThat(status.getStatus().getObservedGeneration())
                .isEqualTo(status.getMetadata().getGeneration());
        assertThat(status.getStatus().getFrontEnds().getDesired()).isEqualTo(2);
        assertThat(status.getStatus().getInstances().getLimit()).isEqualTo(200);
        assertThat(status.getStatus().getPlans()).isEqualTo(1);
        assertThat(status.getStatus().getDefaultDomain()).isEqualTo("ase1.p.appservice.local");
        assertThat(status.getStatus().getReservedCapacity().getFrontEnds().getVcpus())
                .isEqualTo(2);
        assertThat(status.getStatus().getReservedCapacity().getWorkers().getVcpus())
                .isEqualTo(6);
        assertThat(status.getStatus().getReservedCapacity().getTotal().getMemory())
                .isEqualTo("28Gi");
        Condition ready = Conditions.find(status.getStatus().getConditions(), "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("FrontEndsNotReady");
    }

    @Test
    void frontEndCountFollowsPlanInstancesAndScaleFactor() {
        client.resource(environment(ns, "ase1")).create();
        awaitReplicas("ase1-frontend", 2);

        client.resource(plan(ns, "p1", "ase1", InstanceSize.I1, 15)).create();
        awaitReplicas("ase1-frontend", 3);

        // The scale subresource writes spec.instances (its specReplicasPath), as kubectl scale and HPA do.
        client.resources(IsolatedPlan.class).inNamespace(ns).withName("p1").edit(p -> {
            p.getSpec().setInstances(30);
            return p;
        });
        awaitReplicas("ase1-frontend", 4);
        awaitReplicas("p1-workers", 30);

        client.resource(environment(ns, "ase5", LoadBalancerType.External, 5)).create();
        client.resource(plan(ns, "p5", "ase5", InstanceSize.I1, 15)).create();
        awaitReplicas("ase5-frontend", 5);
    }

    @Test
    void internalLoadBalancerUsesClusterIpAndServiceTypeOverrides() {
        client.resource(environment(ns, "ilb", LoadBalancerType.Internal, null)).create();
        Service vip = awaitObject(Service.class, "ilb-vip");
        assertThat(vip.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(vip.getSpec().getExternalTrafficPolicy()).isNull();
        AppServiceEnvironment status = awaitStatus("ilb", s -> s.getStatus().getDefaultDomain() != null);
        assertThat(status.getStatus().getDefaultDomain()).isEqualTo("ilb.appserviceenvironment.net");

        AppServiceEnvironment nodePort = environment(ns, "np", LoadBalancerType.Internal, null);
        nodePort.getSpec().getLoadBalancer().setServiceType(ServiceType.NodePort);
        nodePort.getSpec()
                .getLoadBalancer()
                .setAnnotations(java.util.Map.of("service.beta.kubernetes.io/azure-load-balancer-internal", "true"));
        client.resource(nodePort).create();
        Service np = awaitObject(Service.class, "np-vip");
        assertThat(np.getSpec().getType()).isEqualTo("NodePort");
        assertThat(np.getMetadata().getAnnotations())
                .containsEntry("service.beta.kubernetes.io/azure-load-balancer-internal", "true");
    }

    @Test
    void childrenDeletedOrEditedByHandArePutBack() {
        client.resource(environment(ns, "ase1")).create();
        Deployment original = awaitObject(Deployment.class, "ase1-frontend");
        awaitObject(Service.class, "ase1-vip");

        client.resource(original).delete();
        await().atMost(TIMEOUT).until(() -> {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName("ase1-frontend")
                    .get();
            return d != null
                    && !d.getMetadata().getUid().equals(original.getMetadata().getUid());
        });

        client.services().inNamespace(ns).withName("ase1-vip").edit(s -> {
            s.getSpec().setType("NodePort");
            return s;
        });
        await().atMost(TIMEOUT)
                .until(() -> "LoadBalancer"
                        .equals(client.services()
                                .inNamespace(ns)
                                .withName("ase1-vip")
                                .get()
                                .getSpec()
                                .getType()));

        client.apps().deployments().inNamespace(ns).withName("ase1-frontend").edit(d -> {
            d.getSpec().setReplicas(7);
            return d;
        });
        awaitReplicas("ase1-frontend", 2);
    }

    @Test
    void reconcileThatChangesNothingWritesNothing() throws Exception {
        client.resource(environment(ns, "ase1")).create();
        client.resource(plan(ns, "web", "ase1", InstanceSize.I1, 2)).create();
        awaitObject(Deployment.class, "web-workers");
        awaitStatus("ase1", s -> s.getStatus().getInstances().getUsed() == 2);
        await().atMost(TIMEOUT)
                .until(() -> client.resources(IsolatedPlan.class)
                                .inNamespace(ns)
                                .withName("web")
                                .get()
                                .getStatus()
                        != null);
        MockKubernetes.clearRequests();
        double environments = Reconciles.succeeded(AppServiceEnvironmentReconciler.NAME);
        double plans = Reconciles.succeeded(IsolatedPlanReconciler.NAME);

        // A hand-added label is an event for both controllers, but changes nothing they own.
        client.apps().deployments().inNamespace(ns).withName("ase1-frontend").edit(d -> {
            d.getMetadata().getLabels().put("team", "platform");
            return d;
        });
        client.apps().deployments().inNamespace(ns).withName("web-workers").edit(d -> {
            d.getMetadata().getLabels().put("team", "platform");
            return d;
        });
        // Each edit wakes its owner's controller: once both have reconciled, the request log is complete.
        Reconciles.awaitAnotherAfter(AppServiceEnvironmentReconciler.NAME, environments, TIMEOUT);
        Reconciles.awaitAnotherAfter(IsolatedPlanReconciler.NAME, plans, TIMEOUT);
        List<String> writes = MockKubernetes.writesSinceClear();
        assertThat(writes)
                .as("only the test's own two edits")
                .hasSize(2)
                .allSatisfy(w -> assertThat(w)
                        .matches("(PUT|PATCH) /apis/apps/v1/namespaces/" + ns
                                + "/deployments/(ase1-frontend|web-workers)"));
    }

    @Test
    void readyOnlyWhenFrontEndsAreAvailableAndTransitionTimeMovesOnlyOnChange() {
        client.resource(environment(ns, "ase1")).create();
        awaitObject(Deployment.class, "ase1-frontend");
        AppServiceEnvironment notReady = awaitStatus(
                "ase1",
                s -> s.getStatus().getConditions() != null
                        && "FrontEndsNotReady"
                                .equals(Conditions.find(s.getStatus().getConditions(), "Ready")
                                        .getReason()));
        String firstTransition =
                Conditions.find(notReady.getStatus().getConditions(), "Ready").getLastTransitionTime();

        Deployment d = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("ase1-frontend")
                .get();
        d.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(2)
                .withReadyReplicas(1)
                .withUpdatedReplicas(2)
                .withAvailableReplicas(1)
                .build());
        client.resource(d).updateStatus();
        AppServiceEnvironment oneReady =
                awaitStatus("ase1", s -> s.getStatus().getFrontEnds().getReady() == 1);
        Condition stillFalse = Conditions.find(oneReady.getStatus().getConditions(), "Ready");
        assertThat(stillFalse.getStatus()).isEqualTo("False");
        assertThat(stillFalse.getMessage()).isEqualTo("1 of 2 front ends ready");
        assertThat(stillFalse.getLastTransitionTime()).isEqualTo(firstTransition);

        d = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("ase1-frontend")
                .get();
        d.getStatus().setReadyReplicas(2);
        d.getStatus().setAvailableReplicas(2);
        client.resource(d).updateStatus();
        AppServiceEnvironment ready =
                awaitStatus("ase1", s -> Conditions.isTrue(s.getStatus().getConditions(), "Ready"));
        assertThat(ready.getStatus().getFrontEnds().getSummary()).isEqualTo("2/2");
        assertThat(Conditions.find(ready.getStatus().getConditions(), "Ready").getObservedGeneration())
                .isEqualTo(ready.getMetadata().getGeneration());
    }

    @Test
    void vipAddressComesFromTheLoadBalancerStatus() {
        client.resource(environment(ns, "ase1")).create();
        Service vip = awaitObject(Service.class, "ase1-vip");
        vip.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
                .withNewLoadBalancer()
                .addNewIngress()
                .withIp("20.30.40.50")
                .endIngress()
                .endLoadBalancer()
                .build());
        client.resource(vip).updateStatus();
        AppServiceEnvironment status =
                awaitStatus("ase1", s -> "20.30.40.50".equals(s.getStatus().getVipAddress()));
        assertThat(status.getStatus().getVipAddress()).isEqualTo("20.30.40.50");
    }

    @Test
    void loadBalancerChangeOnTheSpecIsApplied() {
        client.resource(environment(ns, "ase1")).create();
        awaitObject(Service.class, "ase1-vip");
        // The edit is optimistic: retried when the operator's status write lands between its read and its patch.
        await().atMost(TIMEOUT)
                .ignoreExceptions()
                .until(() -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName("ase1")
                                .edit(a -> {
                                    LoadBalancerSettings lb = new LoadBalancerSettings();
                                    lb.setType(LoadBalancerType.Internal);
                                    a.getSpec().setLoadBalancer(lb);
                                    return a;
                                })
                        != null);
        await().atMost(TIMEOUT)
                .until(() -> "ClusterIP"
                        .equals(client.services()
                                .inNamespace(ns)
                                .withName("ase1-vip")
                                .get()
                                .getSpec()
                                .getType()));
    }

    @Test
    void networkSecurityGroupBecomesNetworkPoliciesThatFollowTheSpec() {
        AppServiceEnvironment withNsg = environment(ns, "ase1");
        var nsg = new dev.appservice.operator.api.NetworkSecurityGroup();
        nsg.setInboundRules(List.of(nsgRule("deny-management", 100, "Deny", List.of("*"), List.of("454-455"))));
        nsg.setOutboundRules(
                List.of(nsgRule("deny-metadata", 100, "Deny", List.of("169.254.169.254/32"), List.of("*"))));
        withNsg.getSpec().setNetworkSecurityGroup(nsg);
        AppServiceEnvironment ase = client.resource(withNsg).create();

        NetworkPolicy frontEnd = awaitObject(NetworkPolicy.class, "ase1-frontend-ingress");
        assertOwnedBy(frontEnd, ase);
        assertOwnedBy(awaitObject(NetworkPolicy.class, "ase1-workers-ingress"), ase);
        NetworkPolicy egress = awaitObject(NetworkPolicy.class, "ase1-egress");
        assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");

        AppServiceEnvironment reported =
                awaitStatus("ase1", s -> Conditions.isTrue(s.getStatus().getConditions(), "NetworkPolicyReady"));
        Condition management = Conditions.find(reported.getStatus().getConditions(), "ManagementReachable");
        assertThat(management.getStatus()).isEqualTo("False");
        assertThat(management.getReason()).isEqualTo("ManagementPortsBlocked");
        assertThat(management.getMessage()).contains("'deny-management'");
        assertThat(Conditions.find(reported.getStatus().getConditions(), "DnsReachable")
                        .getStatus())
                .isEqualTo("True");

        // Drift: a deleted policy comes back.
        client.resource(frontEnd).delete();
        await().atMost(TIMEOUT).until(() -> {
            NetworkPolicy p = client.network()
                    .networkPolicies()
                    .inNamespace(ns)
                    .withName("ase1-frontend-ingress")
                    .get();
            return p != null
                    && !p.getMetadata().getUid().equals(frontEnd.getMetadata().getUid());
        });

        // Without outbound rules the egress policy opens to everything but the metadata addresses;
        // without an NSG the front-end policy (of an External environment) goes.
        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("ase1")
                .edit(a -> {
                    a.getSpec().getNetworkSecurityGroup().setOutboundRules(null);
                    return a;
                });
        await().atMost(TIMEOUT).until(() -> {
            NetworkPolicy open = client.network()
                    .networkPolicies()
                    .inNamespace(ns)
                    .withName("ase1-egress")
                    .get();
            return open != null
                    && open.getSpec().getEgress().size() == 1
                    && open.getSpec().getEgress().get(0).getTo().stream()
                            .anyMatch(peer -> peer.getIpBlock() != null
                                    && peer.getIpBlock().getExcept().contains("169.254.169.254/32"));
        });
        client.resources(AppServiceEnvironment.class)
                .inNamespace(ns)
                .withName("ase1")
                .edit(a -> {
                    a.getSpec().setNetworkSecurityGroup(null);
                    return a;
                });
        await().atMost(TIMEOUT)
                .until(() -> client.network()
                                .networkPolicies()
                                .inNamespace(ns)
                                .withName("ase1-frontend-ingress")
                                .get()
                        == null);
        assertThat(client.network()
                        .networkPolicies()
                        .inNamespace(ns)
                        .withName("ase1-workers-ingress")
                        .get())
                .isNotNull();
        AppServiceEnvironment open =
                awaitStatus("ase1", s -> Conditions.find(s.getStatus().getConditions(), "ManagementReachable") == null);
        assertThat(Conditions.isTrue(open.getStatus().getConditions(), "NetworkPolicyReady"))
                .isTrue();
    }

    static dev.appservice.operator.api.SecurityRule nsgRule(
            String name, int priority, String access, List<String> prefixes, List<String> ports) {
        var r = new dev.appservice.operator.api.SecurityRule();
        r.setName(name);
        r.setPriority(priority);
        r.setAccess(dev.appservice.operator.api.RuleAccess.valueOf(access));
        r.setSourceAddressPrefixes(prefixes.get(0).contains(".") ? null : prefixes);
        r.setDestinationAddressPrefixes(prefixes.get(0).contains(".") ? prefixes : null);
        r.setDestinationPortRanges(ports);
        return r;
    }

    private <T extends HasMetadata> T awaitObject(Class<T> type, String name) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(type)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        o -> o != null);
    }

    private void awaitReplicas(String deployment, int replicas) {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName(deployment)
                    .get();
            assertThat(d).as("deployment %s", deployment).isNotNull();
            assertThat(d.getSpec().getReplicas()).isEqualTo(replicas);
        });
    }

    private AppServiceEnvironment awaitStatus(
            String name, java.util.function.Predicate<AppServiceEnvironment> condition) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> client.resources(AppServiceEnvironment.class)
                                .inNamespace(ns)
                                .withName(name)
                                .get(),
                        a -> a != null && a.getStatus() != null && condition.test(a));
    }

    static void assertOwnedBy(HasMetadata child, HasMetadata owner) {
        assertThat(child.getMetadata().getOwnerReferences()).hasSize(1);
        OwnerReference ref = child.getMetadata().getOwnerReferences().get(0);
        assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
        assertThat(ref.getKind()).isEqualTo(owner.getKind());
        assertThat(ref.getController()).isTrue();
    }

    static void assertRestricted(PodSpec pod) {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        for (Container c : pod.getContainers()) {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
            assertThat(c.getReadinessProbe()).isNotNull();
            assertThat(c.getLivenessProbe()).isNotNull();
        }
    }
}
