package dev.appservice.operator.validation;

import dev.appservice.operator.api.FrontEndSettings;
import dev.appservice.operator.model.FrontEndTraffic;
import dev.appservice.operator.model.Quoted;
import dev.appservice.operator.network.CidrNotation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rules for {@code spec.frontEnd}'s traffic settings that the CRD schema cannot say: the body
 * size a quantity within 1Ti, the request timeout a duration from 1s to 1h (the schema has its
 * shape), each trusted proxy a CIDR (the schema has their count).
 */
final class FrontEndRules {
    private FrontEndRules() {}

    static void check(String object, FrontEndSettings frontEnd, List<Violation> problems) {
        if (frontEnd == null) {
            return;
        }
        if (frontEnd.getMaxRequestBodySize() != null) {
            OptionalLong bytes = FrontEndTraffic.bytes(frontEnd.getMaxRequestBodySize());
            String given = FrontEndTraffic.text(frontEnd.getMaxRequestBodySize());
            if (bytes.isEmpty()) {
                problems.add(Violation.error(
                        object,
                        "spec.frontEnd.maxRequestBodySize",
                        "must be a non-negative quantity such as 30M, 100Mi or 0 (no limit), got " + Quoted.of(given)));
            } else if (bytes.getAsLong() > FrontEndTraffic.MAX_REQUEST_BODY_BYTES) {
                problems.add(Violation.error(
                        object,
                        "spec.frontEnd.maxRequestBodySize",
                        "must be at most 1Ti (use 0 for no limit), got " + Quoted.of(given)));
            }
        }
        if (frontEnd.getRequestTimeout() != null) {
            Optional<Duration> timeout = FrontEndTraffic.duration(frontEnd.getRequestTimeout());
            if (timeout.isEmpty()) {
                problems.add(Violation.error(
                        object,
                        "spec.frontEnd.requestTimeout",
                        "must be a duration such as 230s, 4m or 1h, got " + Quoted.of(frontEnd.getRequestTimeout())));
            } else if (timeout.get().compareTo(FrontEndTraffic.MIN_REQUEST_TIMEOUT) < 0
                    || timeout.get().compareTo(FrontEndTraffic.MAX_REQUEST_TIMEOUT) > 0) {
                problems.add(Violation.error(
                        object,
                        "spec.frontEnd.requestTimeout",
                        "must be between 1s and 1h, got " + Quoted.of(frontEnd.getRequestTimeout())));
            }
        }
        List<String> proxies = frontEnd.getTrustedProxies();
        if (proxies != null) {
            for (int i = 0; i < proxies.size(); i++) {
                String problem = CidrNotation.problem(proxies.get(i));
                if (problem != null) {
                    problems.add(Violation.error(object, "spec.frontEnd.trustedProxies[" + i + "]", problem));
                }
            }
        }
    }
}
