package dev.appservice.operator.api;

/** Formats a memory amount the way the API server canonicalises binary quantities. */
public final class MemoryQuantity {
    private MemoryQuantity() {}

    /** {@code 3584 -> "3584Mi"}, {@code 7168 -> "7Gi"}, {@code 0 -> "0"}. */
    public static String ofMiB(long mebibytes) {
        if (mebibytes == 0) {
            return "0";
        }
        if (mebibytes % (1024L * 1024L) == 0) {
            return (mebibytes / (1024L * 1024L)) + "Ti";
        }
        if (mebibytes % 1024L == 0) {
            return (mebibytes / 1024L) + "Gi";
        }
        return mebibytes + "Mi";
    }
}
