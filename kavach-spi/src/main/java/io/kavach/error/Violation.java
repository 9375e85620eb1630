package io.kavach.error;

/**
 * One rejected input: the field's path (such as {@code permissions[0].resource}), the rejected
 * value as text (shortened when very long) and what is wrong with it.
 */
public record Violation(String field, String value, String problem) {
    private static final int MAX_SHOWN = 80;

    /** Builds a violation, rendering {@code value} for humans: {@code null}, or quoted and shortened. */
    public static Violation of(String field, Object value, String problem) {
        return new Violation(field, render(value), problem);
    }

    static String render(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        if (text.length() > MAX_SHOWN) {
            text = text.substring(0, MAX_SHOWN) + "...(" + text.length() + " chars)";
        }
        return '"' + text + '"';
    }

    @Override
    public String toString() {
        return field + "=" + value + ": " + problem;
    }
}
