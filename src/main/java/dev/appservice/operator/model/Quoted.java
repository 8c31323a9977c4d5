package dev.appservice.operator.model;

/**
 * A user's value as it may appear in a message: in single quotes, control characters escaped (a
 * newline or an escape sequence in a manifest never reaches a terminal, a log line or an Event
 * as such) and long values cut, saying how long they were.
 */
public final class Quoted {
    /** Characters of a value shown in a message; the rest is summarised by its length. */
    static final int SHOWN_CHARACTERS = 100;

    private Quoted() {}

    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        int shown = Math.min(value.length(), SHOWN_CHARACTERS);
        escape(value, shown, sb);
        sb.append('\'');
        if (value.length() > shown) {
            sb.append("... (").append(value.length()).append(" characters)");
        }
        return sb.toString();
    }

    /**
     * A whole message with any control character left in it escaped: the last guard of every
     * message path (webhook answers, validate's lines, status conditions), whatever a rule forgot.
     */
    public static String escaped(String message) {
        if (message == null) {
            return null;
        }
        for (int i = 0; i < message.length(); i++) {
            if (needsEscape(message.charAt(i))) {
                StringBuilder sb = new StringBuilder(message.length() + 16);
                escape(message, message.length(), sb);
                return sb.toString();
            }
        }
        return message;
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT || c == '\u2028' || c == '\u2029';
    }

    private static void escape(String value, int shown, StringBuilder sb) {
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT
                    || c == '\u2028'
                    || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }
}
