package dev.appservice.operator.admission;

/** User text as it may appear in a message: quoted, control characters escaped, long values cut. */
final class Messages {
    /** How much of a user's value a message repeats. */
    static final int MAX_ECHOED_CHARACTERS = 100;

    private Messages() {
    }

    /** {@code 'value'}, printable (see {@link #printable}). */
    static String quote(String value) {
        return value == null ? "nothing" : "'" + printable(value) + "'";
    }

    /** Control characters as {@code \n}, {@code \t} or {@code \\uXXXX}; over {@value #MAX_ECHOED_CHARACTERS} characters cut with "…". */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), MAX_ECHOED_CHARACTERS);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (value.length() > limit) {
            out.append("… (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
