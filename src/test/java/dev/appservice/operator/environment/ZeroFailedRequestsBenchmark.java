package dev.appservice.operator.environment;

import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark (not a test) of issue 26, "zero failed requests": runs the scenarios of
 * {@link InstanceChurnTest}, {@link FrontEndChurnTest} and {@link ReloadsWithWebSocketsTest} once
 * each, in this order, as the tests run them (the real nginx with the generated configuration,
 * the cluster model of {@code testing/cluster}, keep-alive clients alternating GET and POST), and
 * prints their figures: requests answered and failed through an app rollout over 3 instances, a
 * scale-in 3 → 1, an instance out of the endpoints, a front-end rollout and a front-end scale-in
 * 3 → 2 (with refused connections), and 100 reloads with 200 WebSockets open (how long old workers
 * outlive their reload, front-end memory before and after). A scenario whose assertions fail is
 * reported and the others still run; the exit status is then 1. Run it with the command in
 * BENCHMARKS.md; it lives beside the tests to run them as they are.
 */
public final class ZeroFailedRequestsBenchmark {
    private ZeroFailedRequestsBenchmark() {}

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        // The clients set Host, as the tests do (surefire sets the same property).
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        List<String> failed = new ArrayList<>();

        System.out.println("== app instances (3) behind one front end, 16 keep-alive clients, GET and POST");
        appScenario(failed, "app rollout", InstanceChurnTest::aRolloutOfANewImageOverThreeInstancesFailsNoRequest);
        appScenario(failed, "app scale-in", InstanceChurnTest::aScaleInFromThreeInstancesToOneFailsNoRequest);
        appScenario(
                failed,
                "instance failing its health check",
                InstanceChurnTest::anInstanceOutOfTheEndpointsGetsNoNewRequestsOnceItsPooledConnectionsAreRecycled);

        System.out.printf(
                "== front ends behind the VIP, 16 keep-alive clients, GET and POST; drain in 1/%d time%n",
                FrontEndChurnTest.TIME_SCALE);
        frontEndScenario(
                failed,
                "front-end rollout",
                FrontEndChurnTest::aRolloutOfTheFrontEndsFailsNoRequestAndRefusesNoConnection);
        frontEndScenario(
                failed,
                "front-end scale-in",
                FrontEndChurnTest::aScaleInFromThreeFrontEndsToTwoFailsNoRequestAndRefusesNoConnection);

        System.out.println("== 100 reloads with 200 WebSockets open");
        ReloadsWithWebSocketsTest reloads = new ReloadsWithWebSocketsTest();
        run(
                failed,
                "reloads with WebSockets",
                reloads::oldWorkersHoldingWebSocketsEndWithinTheRequestTimeout,
                reloads::stop);

        System.out.println(failed.isEmpty() ? "== every scenario passed its assertions" : "== FAILED: " + failed);
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    interface AppStep {
        void run(InstanceChurnTest test) throws Exception;
    }

    interface FrontEndStep {
        void run(FrontEndChurnTest test) throws Exception;
    }

    private static void appScenario(List<String> failed, String name, AppStep step) throws Exception {
        InstanceChurnTest test = new InstanceChurnTest();
        test.start();
        run(failed, name, () -> step.run(test), test::stop);
    }

    private static void frontEndScenario(List<String> failed, String name, FrontEndStep step) throws Exception {
        FrontEndChurnTest test = new FrontEndChurnTest();
        test.start();
        run(failed, name, () -> step.run(test), test::stop);
    }

    private static void run(List<String> failed, String name, Step scenario, Step cleanUp) throws Exception {
        try {
            scenario.run();
        } catch (AssertionError e) {
            failed.add(name);
            System.out.println("  " + name + " FAILED: " + e.getMessage());
        } finally {
            cleanUp.run();
        }
    }
}
