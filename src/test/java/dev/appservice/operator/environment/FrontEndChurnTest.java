package dev.appservice.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.appservice.operator.api.AppServiceEnvironment;
import dev.appservice.operator.api.InstanceSize;
import dev.appservice.operator.api.IsolatedPlan;
import dev.appservice.operator.api.WebApp;
import dev.appservice.operator.desired.FrontEndConfiguration;
import dev.appservice.operator.desired.FrontEnds;
import dev.appservice.operator.model.EnvironmentTopology;
import dev.appservice.operator.testing.Fixtures;
import dev.appservice.operator.testing.RunningFrontEnd;
import dev.appservice.operator.testing.cluster.AppInstance;
import dev.appservice.operator.testing.cluster.ClientLoad;
import dev.appservice.operator.testing.cluster.FrontEndPod;
import dev.appservice.operator.testing.cluster.PodTermination;
import dev.appservice.operator.testing.cluster.ServiceProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Front ends come and go under load, as a cluster does it: the real nginx with the generated
 * configuration, several at once, each on its own ports; the VIP's Service (and the cloud load
 * balancer in front of it) is a {@link ServiceProxy}, a front end per client connection, pinned
 * for the connection's life; a deleted front-end pod goes through {@link PodTermination} with the
 * {@code preStop} and grace period of the rendered front-end Deployment (its endpoint removed,
 * the pause, SIGTERM to the container's script, which quits nginx gracefully, SIGKILL at the end
 * of the grace period), in test time: every duration of the front ends' drain (the {@code preStop},
 * the grace period, the client connections' {@code keepalive_time} in the rendered configuration,
 * the load balancer's deregistration) divided by {@link #TIME_SCALE}, so their order and ratios
 * are the rendered ones. Behind the front ends, the app's instances stay put.
 * Clients send GETs and POSTs over keep-alive connections through the VIP throughout. The
 * assertions are counts: failed requests, refused connections, connections given a front end
 * after it left the endpoints, front ends killed at the end of their grace period.
 */
@org.junit.jupiter.api.Tag(dev.appservice.operator.testing.TestGroups.DATA_PLANE)
class FrontEndChurnTest {
    static final String HOST = "shop.ase1.p.appservice.local";
    static final int CLIENTS = 16;
    static final int APP_INSTANCES = 2;
    /** The front ends' drain runs this many times faster than rendered (a 30 s preStop takes 6 s). */
    static final long TIME_SCALE = 5;
    /** A cloud load balancer's deregistration of a target (10 s at its quickest), in test time. */
    static final Duration DEREGISTRATION = Duration.ofSeconds(10).dividedBy(TIME_SCALE);
    /** Between one new front end ready and the next, as a Deployment rolls one at a time. */
    static final Duration ROLLOUT_STEP = Duration.ofMillis(500);
    /**
     * Answers the clients get before the change, so connections are pooled, and after it, so the
     * last requests are counted: a few per client.
     */
    static final long SETTLE_ANSWERS = 4L * CLIENTS;

    EnvironmentTopology topology;
    PodTermination termination;
    ServiceProxy appService;
    ServiceProxy vip;
    final List<AppInstance> instances = new ArrayList<>();
    final List<FrontEndPod> frontEnds = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        AppServiceEnvironment ase = Fixtures.environment("contoso", "ase1");
        IsolatedPlan plan = Fixtures.plan("contoso", "web-plan", "ase1", InstanceSize.I1, APP_INSTANCES);
        WebApp shop = Fixtures.app("contoso", "shop", "web-plan", 8080);
        topology = new EnvironmentTopology(ase, List.of(plan), List.of(shop));
        termination = PodTermination.of(FrontEnds.deployment(topology), DEREGISTRATION)
                .scaledDown(TIME_SCALE);
        appService = new ServiceProxy();
        for (int i = 0; i < APP_INSTANCES; i++) {
            AppInstance instance = new AppInstance("app-" + i);
            instances.add(instance);
            appService.add(instance.endpoint());
        }
        vip = new ServiceProxy();
    }

    @AfterEach
    void stop() throws Exception {
        for (FrontEndPod frontEnd : frontEnds) {
            frontEnd.close();
        }
        vip.close();
        appService.close();
        instances.forEach(AppInstance::close);
    }

    /** A new front-end pod, started and ready (nginx listening), in the VIP's endpoints. */
    FrontEndPod frontEnd(String name) throws Exception {
        RunningFrontEnd running = RunningFrontEnd.onFreePorts();
        FrontEndPod pod = new FrontEndPod(name, running);
        frontEnds.add(pod);
        running.start(scaled(running.render(topology, Map.of("shop", appService.address()))));
        vip.add(pod.endpoint());
        return pod;
    }

    /** The rendered configuration with the client connections' {@code keepalive_time} in test time. */
    static FrontEndConfiguration scaled(FrontEndConfiguration rendered) {
        String directive = "keepalive_time " + FrontEnds.CLIENT_CONNECTION_SECONDS + "s;";
        assertThat(rendered.main()).containsOnlyOnce(directive);
        long millis = Duration.ofSeconds(FrontEnds.CLIENT_CONNECTION_SECONDS)
                .dividedBy(TIME_SCALE)
                .toMillis();
        return new FrontEndConfiguration(
                rendered.main().replace(directive, "keepalive_time " + millis + "ms;"), rendered.shards());
    }

    ClientLoad load() {
        return new ClientLoad("http://" + vip.address() + "/", HOST, CLIENTS);
    }

    static void report(String scenario, ClientLoad load, ServiceProxy vip) {
        System.out.printf("%s: %s, %d connections refused%n", scenario, load.summary(), vip.rejected());
    }

    void assertDrained(ClientLoad load, List<FrontEndPod> gone, List<FrontEndPod> kept) {
        assertThat(load.failures()).isEmpty();
        assertThat(load.failed()).isZero();
        assertThat(load.okPosts()).isPositive();
        assertThat(vip.rejected()).as("connections refused").isZero();
        for (FrontEndPod pod : gone) {
            assertThat(vip.connectionsAfterRemoval(pod.endpoint()))
                    .as("new connections to %s after its endpoint was removed", pod)
                    .isZero();
            assertThat(pod.exited()).as("%s exited", pod).isTrue();
            assertThat(pod.killed())
                    .as("%s killed at the end of its grace period", pod)
                    .isFalse();
        }
        assertThat(vip.endpoints())
                .containsExactlyInAnyOrderElementsOf(
                        kept.stream().map(FrontEndPod::endpoint).toList());
        assertThat(kept).allMatch(pod -> vip.connections(pod.endpoint()) > 0);
    }

    /** The clients have had {@link #SETTLE_ANSWERS} more answers, and every front end of {@code serving} has connections. */
    void settled(ClientLoad load, List<FrontEndPod> serving) {
        load.awaitMoreAnswers(SETTLE_ANSWERS);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> serving.stream().allMatch(pod -> vip.connections(pod.endpoint()) > 0)
                        || !load.failures().isEmpty());
    }

    @Test
    void aRolloutOfTheFrontEndsFailsNoRequestAndRefusesNoConnection() throws Exception {
        int count = topology.frontEndCount();
        List<FrontEndPod> old = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            old.add(frontEnd("v1-" + i));
        }
        List<FrontEndPod> rolledIn = new ArrayList<>();
        List<CompletableFuture<Void>> deletions = new ArrayList<>();
        ClientLoad load = load();
        try (load) {
            settled(load, old);
            // maxSurge 1, maxUnavailable 0: a new front end is ready, then an old one is deleted.
            for (FrontEndPod previous : old) {
                rolledIn.add(frontEnd("v2-" + rolledIn.size()));
                deletions.add(termination.delete(vip, previous));
                Thread.sleep(ROLLOUT_STEP.toMillis());
            }
            CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).join();
            settled(load, rolledIn);
        }

        report("front-end rollout over " + count, load, vip);
        assertDrained(load, old, rolledIn);
    }

    @Test
    void aScaleInFromThreeFrontEndsToTwoFailsNoRequestAndRefusesNoConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            frontEnd("fe-" + i);
        }
        FrontEndPod removed = frontEnds.get(2);
        ClientLoad load = load();
        try (load) {
            settled(load, frontEnds);
            termination.delete(vip, removed).join();
            settled(load, frontEnds.subList(0, 2));
        }

        report("front-end scale-in 3 to 2", load, vip);
        assertDrained(load, List.of(removed), frontEnds.subList(0, 2));
    }
}
