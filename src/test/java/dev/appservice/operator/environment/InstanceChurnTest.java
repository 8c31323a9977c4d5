package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.AppWorkloads;
import dev.appservice.operator.model.EndpointDrain;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.RunningFrontEnd;
import dev.appservice.operator.testing.cluster.AppInstance;
import dev.appservice.operator.testing.cluster.ClientLoad;
import dev.appservice.operator.testing.cluster.PodTermination;
import dev.appservice.operator.testing.cluster.ServiceProxy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * App instances come and go under load, as a cluster does it, in front of the real nginx with the
 * generated configuration: the app's Service is a kube-proxy stand-in ({@link ServiceProxy}: an
 * instance per connection, pinned for the connection's life), and a deleted pod goes through
 * {@link PodTermination} with the {@code preStop} and grace period of the rendered Deployment.
 * Clients send GETs and POSTs over keep-alive connections throughout. The assertions are counts:
 * failed requests, requests an instance got after it left the endpoints.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.DATA_PLANE)
class InstanceChurnTest {
    static final String HOST = "shop.ase1.p.appservice.local";
    static final int CLIENTS = 16;
    static final int INSTANCES = 3;
    /** kube-proxy's lag behind a deleted pod in the model: within {@link EndpointDrain#ENDPOINT_PROPAGATION_SECONDS}. */
    static final Duration PROPAGATION = Duration.ofSeconds(1);
    /** Between one new instance ready and the next, as a Deployment rolls one at a time. */
    static final Duration ROLLOUT_STEP = Duration.ofMillis(500);
    /**
     * Answers the clients get before the change, so pools are full, and after it, so the last
     * requests are counted: a few per client.
     */
    static final long SETTLE_ANSWERS = 4L * CLIENTS;
    /** Beyond the pooled connections' bound, for a busy machine's timers. */
    static final Duration TIMER_SLACK = Duration.ofSeconds(3);
    /** How long an instance out of the endpoints is watched for new requests. */
    static final Duration WATCH = Duration.ofSeconds(2);

    RunningFrontEnd frontEnd;
    ServiceProxy service;
    final List<AppInstance> instances = new ArrayList<>();
    Deployment deployment;

    @BeforeEach
    void start() throws Exception {
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        IsolatedPlan plan = Fixtures.plan("contoso", "web-plan", "ase1", InstanceSize.I1, INSTANCES);
        WebApp shop = Fixtures.app("contoso", "shop", "web-plan", 8080);
        EnvironmentTopology topology = new EnvironmentTopology(ase, List.of(plan), List.of(shop));
        deployment = AppWorkloads.deployment(topology, plan, shop);
        service = new ServiceProxy();
        for (int i = 0; i < INSTANCES; i++) {
            AppInstance instance = instance("v1-" + i);
            service.add(instance.endpoint());
        }
        frontEnd = RunningFrontEnd.onFreePorts();
        frontEnd.start(frontEnd.render(topology, Map.of("shop", service.address())));
    }

    @AfterEach
    void stop() throws Exception {
        frontEnd.close();
        service.close();
        instances.forEach(AppInstance::close);
    }

    AppInstance instance(String name) throws Exception {
        AppInstance instance = new AppInstance(name);
        instances.add(instance);
        return instance;
    }

    static void report(String scenario, ClientLoad load) {
        System.out.printf("%s: %s%n", scenario, load.summary());
    }

    ClientLoad load() {
        return new ClientLoad("http://127.0.0.1:" + frontEnd.httpPort() + "/", HOST, CLIENTS);
    }

    /** The clients have had {@link #SETTLE_ANSWERS} more answers, and every instance of {@code serving} has served. */
    static void settled(ClientLoad load, List<AppInstance> serving) {
        load.awaitMoreAnswers(SETTLE_ANSWERS);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> serving.stream().allMatch(i -> i.requests() > 0)
                        || !load.failures().isEmpty());
    }

    @Test
    void aRolloutOfANewImageOverThreeInstancesFailsNoRequest() throws Exception {
        PodTermination termination = PodTermination.of(deployment, PROPAGATION);
        List<AppInstance> old = List.copyOf(instances);
        List<AppInstance> rolledIn = new ArrayList<>();
        List<CompletableFuture<Void>> deletions = new ArrayList<>();
        ClientLoad load = load();
        try (load) {
            settled(load, old);
            // maxSurge 1, maxUnavailable 0: a new instance is ready, then an old one is deleted.
            for (AppInstance previous : old) {
                AppInstance next = instance("v2-" + rolledIn.size());
                rolledIn.add(next);
                service.add(next.endpoint());
                deletions.add(termination.delete(service, previous));
                Thread.sleep(ROLLOUT_STEP.toMillis());
            }
            CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).join();
            settled(load, rolledIn);
        }

        report("rollout over 3 instances", load);
        assertThat(load.failures()).isEmpty();
        assertThat(load.failed()).isZero();
        assertThat(load.okPosts()).isPositive();
        assertThat(old).allMatch(AppInstance::exited);
        assertThat(rolledIn).allMatch(i -> i.requests() > 0);
        assertThat(service.endpoints())
                .containsExactlyInAnyOrderElementsOf(
                        rolledIn.stream().map(AppInstance::endpoint).toList());
    }

    @Test
    void aScaleInFromThreeInstancesToOneFailsNoRequest() throws Exception {
        PodTermination termination = PodTermination.of(deployment, PROPAGATION);
        AppInstance kept = instances.get(0);
        ClientLoad load = load();
        try (load) {
            settled(load, instances);
            CompletableFuture.allOf(
                            termination.delete(service, instances.get(1)),
                            termination.delete(service, instances.get(2)))
                    .join();
            settled(load, List.of(kept));
        }

        report("scale-in 3 to 1", load);
        assertThat(load.failures()).isEmpty();
        assertThat(load.failed()).isZero();
        assertThat(load.okPosts()).isPositive();
        assertThat(instances.subList(1, INSTANCES)).allMatch(AppInstance::exited);
        assertThat(service.endpoints()).containsExactly(kept.endpoint());
    }

    /**
     * An instance that fails its health check leaves the endpoints (the kubelet's readiness, then
     * kube-proxy: at most {@link EndpointDrain#readinessDetectionSeconds()} and
     * {@link EndpointDrain#ENDPOINT_PROPAGATION_SECONDS}), but keeps running and answering. From
     * then on the front ends' pooled connections to it carry new requests for at most
     * {@link EndpointDrain#pooledConnectionSeconds()}: after that, and a slack, it gets none.
     */
    @Test
    void anInstanceOutOfTheEndpointsGetsNoNewRequestsOnceItsPooledConnectionsAreRecycled() throws Exception {
        assertThat(EndpointDrain.lastNewRequestSeconds()).isLessThanOrEqualTo(EndpointDrain.HEALTH_EXCLUSION_SECONDS);
        AppInstance failing = instances.get(0);
        long before;
        long after;
        ClientLoad load = load();
        try (load) {
            settled(load, instances);
            long servedBefore = failing.requests();
            service.remove(failing.endpoint());
            Thread.sleep(Duration.ofSeconds(EndpointDrain.pooledConnectionSeconds())
                    .plus(TIMER_SLACK)
                    .toMillis());
            before = failing.requests();
            Thread.sleep(WATCH.toMillis());
            after = failing.requests();
            assertThat(servedBefore).isPositive();
        }

        System.out.printf(
                "instance out of the endpoints: %d new requests to it from %d s after (%d s watched); %s%n",
                after - before,
                EndpointDrain.pooledConnectionSeconds() + TIMER_SLACK.toSeconds(),
                WATCH.toSeconds(),
                load.summary());
        assertThat(after - before)
                .as("new requests to the instance out of the endpoints")
                .isZero();
        assertThat(load.failures()).isEmpty();
        assertThat(load.failed()).isZero();
        assertThat(instances.get(1).requests() + instances.get(2).requests()).isPositive();
    }
}
