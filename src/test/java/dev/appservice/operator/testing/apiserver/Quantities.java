package dev.appservice.operator.testing.apiserver;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resource quantities as k8s.io/apimachinery/pkg/api/resource parses them. */
public final class Quantities {
    private static final Pattern QUANTITY =
            Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))((?:[KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")),
            Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1024)),
            Map.entry("Mi", BigDecimal.valueOf(1024).pow(2)),
            Map.entry("Gi", BigDecimal.valueOf(1024).pow(3)),
            Map.entry("Ti", BigDecimal.valueOf(1024).pow(4)),
            Map.entry("Pi", BigDecimal.valueOf(1024).pow(5)),
            Map.entry("Ei", BigDecimal.valueOf(1024).pow(6)));

    private Quantities() {}

    /** The value of a quantity, or empty when the text is not one ("quantities must match the regular expression"). */
    public static Optional<BigDecimal> parse(String text) {
        Matcher matcher = QUANTITY.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(matcher.group(1).endsWith(".") ? matcher.group(1) + "0" : matcher.group(1));
        String suffix = matcher.group(2) == null ? "" : matcher.group(2);
        if (suffix.startsWith("e") || suffix.startsWith("E")) {
            int exponent = Integer.parseInt(suffix.substring(1));
            if (Math.abs(exponent) > 1000) {
                return Optional.empty();
            }
            return Optional.of(number.scaleByPowerOfTen(exponent));
        }
        return Optional.of(number.multiply(SUFFIXES.get(suffix)));
    }
}
