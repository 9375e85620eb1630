package io.kavach.spi.internal;

import io.kavach.error.InvalidInputException;

/**
 * Input checks shared by the value types and the Kavach root. Each failure is an
 * {@link InvalidInputException} naming the field and the value. Not part of the public API.
 */
public final class Checks {
    /** The longest free-text identifier (owner id, tenant id, name) Kavach accepts. */
    public static final int MAX_IDENTIFIER = 128;

    private Checks() {
    }

    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new InvalidInputException(field, null, "must not be null");
        }
        return value;
    }

    /** Non-blank text of at most {@code max} characters, without control characters. */
    public static String text(String field, String value, int max) {
        String problem = textProblem(value, max);
        if (problem != null) {
            throw new InvalidInputException(field, value, problem);
        }
        return value;
    }

    /** As {@link #text} but {@code null} is allowed and returned as is. */
    public static String optionalText(String field, String value, int max) {
        return value == null ? null : text(field, value, max);
    }

    /** What is wrong with {@code value} as non-blank text of at most {@code max} characters, or null. */
    public static String textProblem(String value, int max) {
        if (value == null) {
            return "must not be null";
        }
        if (value.isBlank()) {
            return "must not be blank";
        }
        if (value.length() > max) {
            return "must be at most " + max + " characters, was " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "must not contain control characters";
            }
        }
        return null;
    }

    /** An id with the given prefix, as made by {@code Ids}. */
    public static String id(String field, String value, String prefix) {
        if (!io.kavach.model.Ids.isValid(prefix, value)) {
            throw new InvalidInputException(field, value, "must be an id starting with " + prefix);
        }
        return value;
    }

    public static int positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidInputException(field, value, "must be positive");
        }
        return value;
    }
}
