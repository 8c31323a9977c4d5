package dev.appservice.operator.model;

import java.util.Locale;

/**
 * Names of the objects the operator creates. A custom resource's name may be up to 253 characters
 * and contain dots; Service names and label values may not. Every child name is a DNS-1035 label
 * (at most 63 characters, starting with a letter) and every label value is valid; names that would
 * be too long are shortened and end in a hash of the full name, so they stay unique and stable.
 */
public final class ResourceNames {
    public static final int MAX_LABEL_LENGTH = 63;
    private static final int HASH_LENGTH = 8;
    /** A DNS-1035 label: lower case letters, digits and '-', starting with a letter. */
    private static final java.util.regex.Pattern CANONICAL =
            java.util.regex.Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private ResourceNames() {}

    public static String frontEndDeployment(String environment) {
        return child(environment, "frontend");
    }

    public static String frontEndConfig(String environment) {
        return child(environment, "frontend-config");
    }

    public static String vipService(String environment) {
        return child(environment, "vip");
    }

    public static String internalService(String environment) {
        return child(environment, "internal");
    }

    public static String managementService(String environment) {
        return child(environment, "management");
    }

    public static String workerDeployment(String plan) {
        return child(plan, "workers");
    }

    /**
     * The Deployment and the Service that run one app: {@code <app>-<hash>}, the hash being that of
     * the app's exact name, so apps whose names differ only by '.' and '-', or beyond the length
     * kept, get different names. No other child ends in eight hexadecimal digits ({@code -workers},
     * {@code -frontend}, {@code -vip}, ... and the shortened forms end in their suffix), except a V1
     * pool's placeholder {@code <ase>-pool-<pool>} whose pool name is such a hash of an app name.
     */
    public static String appWorkload(String app) {
        String cleaned = app.toLowerCase(Locale.ROOT).replace('.', '-');
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
            cleaned = "x" + cleaned;
        }
        int keep = MAX_LABEL_LENGTH - HASH_LENGTH - 1;
        String head = trimTrailingDashes(cleaned.length() > keep ? cleaned.substring(0, keep) : cleaned);
        return head + "-" + hash(app);
    }

    /**
     * The Deployment and the Service that run one deployment slot of an app:
     * {@code <app>-<slot>-<hash>}, cut as {@link #appWorkload} cuts, the hash being that of
     * {@code <app>/<slot>}. No app name contains '/', so a slot's name never stands for an app's,
     * and it does not depend on which deployment serves production (a swap renames nothing).
     */
    public static String slotWorkload(String app, String slot) {
        String cleaned = (app + "-" + slot).toLowerCase(Locale.ROOT).replace('.', '-');
        if (!Character.isLetter(cleaned.charAt(0))) {
            cleaned = "x" + cleaned;
        }
        int keep = MAX_LABEL_LENGTH - HASH_LENGTH - 1;
        String head = trimTrailingDashes(cleaned.length() > keep ? cleaned.substring(0, keep) : cleaned);
        return head + "-" + hash(app + "/" + slot);
    }

    /** A container name (a DNS label) for an app. */
    public static String containerName(String app) {
        String cleaned = app.toLowerCase(Locale.ROOT).replace('.', '-');
        return labelValue(cleaned);
    }

    /**
     * {@code <base>-<suffix>} as a DNS-1035 label of at most 63 characters. A base that is not
     * already such a label (it has dots or upper case, starts with a digit) or would make the name
     * too long is cleaned and shortened, and the hash of the exact base is put before the suffix:
     * so {@code a.b} and {@code a-b}, {@code 1web} and {@code x1web}, or two long names with the same
     * beginning never share a child name. A canonical base keeps its readable name.
     */
    public static String child(String base, String suffix) {
        String name = base + "-" + suffix;
        if (CANONICAL.matcher(base).matches() && name.length() <= MAX_LABEL_LENGTH) {
            return name;
        }
        String cleaned = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
            cleaned = "x" + cleaned;
        }
        int keep = Math.max(1, MAX_LABEL_LENGTH - suffix.length() - HASH_LENGTH - 2);
        String head = trimTrailingDashes(cleaned.length() > keep ? cleaned.substring(0, keep) : cleaned);
        return head + "-" + hash(base) + "-" + suffix;
    }

    /** A valid label value for a resource name: itself when short enough, else shortened with a hash. */
    public static String labelValue(String name) {
        if (name.length() <= MAX_LABEL_LENGTH) {
            return name;
        }
        String head = trimTrailingDashes(
                name.substring(0, MAX_LABEL_LENGTH - HASH_LENGTH - 1).replaceAll("[.-]+$", ""));
        return head + "-" + hash(name);
    }

    /** A short, stable hash of a string, as lowercase hex. */
    public static String hash(String value) {
        return Checksums.sha256(value).substring(0, HASH_LENGTH);
    }

    private static String trimTrailingDashes(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '-' || s.charAt(end - 1) == '.')) {
            end--;
        }
        return s.substring(0, end);
    }
}
