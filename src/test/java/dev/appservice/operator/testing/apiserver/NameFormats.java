package dev.appservice.operator.testing.apiserver;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string formats of k8s.io/apimachinery/pkg/util/validation (Kubernetes 1.34), each returning
 * the messages the API server gives (empty when the value is valid).
 */
public final class NameFormats {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("[-a-z0-9]+");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern C_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern RELAXED_ENV_NAME = Pattern.compile("[ -<>-~]+");
    private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

    private NameFormats() {}

    public static List<String> dns1123Label(String value) {
        List<String> messages = new ArrayList<>();
        if (value.length() > 63) {
            messages.add("must be no more than 63 characters");
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            messages.add(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
        }
        return messages;
    }

    public static List<String> dns1123Subdomain(String value) {
        List<String> messages = new ArrayList<>();
        if (value.length() > 253) {
            messages.add("must be no more than 253 characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            messages.add(
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
        return messages;
    }

    public static List<String> dns1035Label(String value) {
        List<String> messages = new ArrayList<>();
        if (value.length() > 63) {
            messages.add("must be no more than 63 characters");
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            messages.add(
                    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character");
        }
        return messages;
    }

    /** A qualified name: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters. */
    public static List<String> qualifiedName(String value) {
        List<String> messages = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            if (parts[0].isEmpty()) {
                messages.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(parts[0]).forEach(m -> messages.add("prefix part " + m));
            }
            name = parts[1];
        } else {
            messages.add(
                    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/'");
            return messages;
        }
        if (name.isEmpty()) {
            messages.add("name part must be non-empty");
        } else if (name.length() > 63) {
            messages.add("name part must be no more than 63 characters");
        }
        if (!name.isEmpty() && !QUALIFIED_NAME.matcher(name).matches()) {
            messages.add(
                    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
        return messages;
    }

    public static List<String> labelValue(String value) {
        List<String> messages = new ArrayList<>();
        if (value.length() > 63) {
            messages.add("must be no more than 63 characters");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            messages.add(
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
        return messages;
    }

    /** IANA_SVC_NAME: a port name (at most 15 characters, a letter, no '--' nor '-' at either end). */
    public static List<String> ianaServiceName(String value) {
        List<String> messages = new ArrayList<>();
        if (value.length() > 15) {
            messages.add("must be no more than 15 characters");
        }
        if (!IANA_SVC_NAME.matcher(value).matches()) {
            messages.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (value.contains("--")) {
            messages.add("must not contain consecutive hyphens");
        }
        if (!value.chars().anyMatch(c -> c >= 'a' && c <= 'z')) {
            messages.add("must contain at least one letter (a-z)");
        }
        if (value.startsWith("-") || value.endsWith("-")) {
            messages.add("must not begin or end with a hyphen");
        }
        return messages;
    }

    /** A key of a ConfigMap, a Secret, or a key reference to one. */
    public static List<String> configMapKey(String value) {
        List<String> messages = new ArrayList<>();
        if (value.length() > 253) {
            messages.add("must be no more than 253 characters");
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            messages.add("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
        }
        if (value.equals(".")) {
            messages.add("must not be '.'");
        } else if (value.equals("..")) {
            messages.add("must not be '..'");
        } else if (value.startsWith("..")) {
            messages.add("must not start with '..'");
        }
        return messages;
    }

    /** An environment variable name as 1.34 accepts it (RelaxedEnvironmentVariableValidation, on by default). */
    public static List<String> environmentVariableName(String value) {
        List<String> messages = new ArrayList<>();
        if (!RELAXED_ENV_NAME.matcher(value).matches()) {
            messages.add(
                    "a valid environment variable name must consist only of printable ASCII characters other than '='");
        }
        return messages;
    }

    public static List<String> cIdentifier(String value) {
        return C_IDENTIFIER.matcher(value).matches()
                ? List.of()
                : List.of(
                        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'");
    }

    public static List<String> portNumber(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of("must be between 1 and 65535, inclusive");
    }

    /** An IP address in canonical form, as the API server's IP validation accepts it. */
    public static List<String> ipAddress(String value) {
        if (!looksLikeIp(value)) {
            return List.of("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
        try {
            InetAddress.getByName(value);
            return List.of();
        } catch (Exception e) {
            return List.of("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
    }

    /** A CIDR in canonical form: IPv4 or IPv6, a prefix length in range, no leading zeros. */
    public static List<String> cidr(String value) {
        int slash = value.indexOf('/');
        String invalid = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
        if (slash < 0 || !ipAddress(value.substring(0, slash)).isEmpty()) {
            return List.of(invalid);
        }
        String bits = value.substring(slash + 1);
        if (!bits.matches("0|[1-9][0-9]{0,2}")) {
            return List.of(invalid);
        }
        int max = value.contains(":") ? 128 : 32;
        return Integer.parseInt(bits) <= max ? List.of() : List.of(invalid);
    }

    /** An int-or-string that is a percentage: digits then '%'. */
    public static boolean isPercent(String value) {
        return PERCENT.matcher(value).matches();
    }

    private static boolean looksLikeIp(String value) {
        if (value.contains(":")) {
            return value.matches("[0-9a-fA-F:.]+") && !value.contains(":::");
        }
        String[] octets = value.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (!octet.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}
