package dev.appservice.operator.model;

import dev.appservice.operator.api.AppServiceEnvironmentSpec;
import dev.appservice.operator.api.FrontEndSettings;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the front ends treat app traffic, resolved from {@code spec.frontEnd}: the largest request
 * body, how long to wait for an app (and how long an upgraded connection may idle), and whose
 * {@code X-Forwarded-For} to believe. Values the admission rules refuse never reach here; should
 * one anyway, the default stands in for it.
 *
 * @param maxRequestBodyBytes the largest request body in bytes; 0 means no limit
 * @param requestTimeout      how long to wait for an app's response
 * @param trustedProxies      CIDRs whose X-Forwarded-For is believed
 */
public record FrontEndTraffic(long maxRequestBodyBytes, Duration requestTimeout, List<String> trustedProxies) {
    /** App Service's default: 30,000,000 bytes. */
    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 30_000_000L;
    /** The largest limit a user may set: 1 TiB (beyond it, say 0 for no limit). */
    public static final long MAX_REQUEST_BODY_BYTES = 1L << 40;
    /** App Service's front ends wait 230 s for an app. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(230);

    public static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofHours(1);

    private static final Pattern DURATION = Pattern.compile("^([0-9]{1,9}(ms|s|m|h))+$");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    public FrontEndTraffic {
        trustedProxies = List.copyOf(trustedProxies);
    }

    public static FrontEndTraffic of(AppServiceEnvironmentSpec spec) {
        FrontEndSettings frontEnd = spec.getFrontEnd();
        if (frontEnd == null) {
            return new FrontEndTraffic(DEFAULT_MAX_REQUEST_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT, List.of());
        }
        long body = frontEnd.getMaxRequestBodySize() == null
                ? DEFAULT_MAX_REQUEST_BODY_BYTES
                : bytes(frontEnd.getMaxRequestBodySize()).orElse(DEFAULT_MAX_REQUEST_BODY_BYTES);
        Duration timeout = frontEnd.getRequestTimeout() == null
                ? DEFAULT_REQUEST_TIMEOUT
                : duration(frontEnd.getRequestTimeout()).orElse(DEFAULT_REQUEST_TIMEOUT);
        List<String> proxies = frontEnd.getTrustedProxies() == null ? List.of() : frontEnd.getTrustedProxies();
        return new FrontEndTraffic(body, timeout, proxies);
    }

    /** A Kubernetes quantity as whole bytes (rounded up); empty when it is not a quantity or negative. */
    public static OptionalLong bytes(IntOrString quantity) {
        String text = text(quantity);
        if (text == null || text.isBlank() || text.length() > 64) {
            return OptionalLong.empty();
        }
        try {
            BigDecimal amount = Quantity.getAmountInBytes(new Quantity(text.strip()));
            if (amount.signum() < 0 || amount.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(
                    amount.setScale(0, java.math.RoundingMode.CEILING).longValueExact());
        } catch (RuntimeException notAQuantity) {
            return OptionalLong.empty();
        }
    }

    /** A quantity as the user wrote it. */
    public static String text(IntOrString quantity) {
        return quantity.getIntVal() != null ? quantity.getIntVal().toString() : quantity.getStrVal();
    }

    /** A duration as Kubernetes writes them ({@code 230s}, {@code 4m}, {@code 1h30m}, {@code 500ms}); empty when malformed. */
    public static Optional<Duration> duration(String text) {
        if (text == null || text.length() > 32 || !DURATION.matcher(text).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher part = DURATION_PART.matcher(text);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
        }
        return Optional.of(total);
    }

    /** The timeout in nginx's notation: whole seconds where possible, else milliseconds. */
    public String requestTimeoutDirective() {
        long millis = requestTimeout.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
