package io.kavach.model;

import io.kavach.error.InvalidInputException;

/**
 * A glob for argument values: {@code *} matches any run of characters (also none), {@code ?}
 * exactly one, and every other character itself. No regular expressions are accepted from users,
 * so a pattern cannot be made to backtrack without bound: matching is O(pattern × value) at worst.
 * Immutable and thread-safe.
 */
public final class Glob {
    /** The longest glob accepted. */
    public static final int MAX_LENGTH = 256;

    private final String pattern;

    private Glob(String pattern) {
        this.pattern = pattern;
    }

    /** Parses a glob, reporting problems against {@code field}. */
    public static Glob parse(String field, String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidInputException(field, pattern, "must not be empty");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, pattern,
                    "must be at most " + MAX_LENGTH + " characters, was " + pattern.length());
        }
        return new Glob(pattern);
    }

    /** Whether the glob matches all of {@code value}. */
    public boolean matches(String value) {
        int p = 0;
        int v = 0;
        int starP = -1;
        int starV = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))
                    && pattern.charAt(p) != '*') {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starV = v;
            } else if (starP >= 0) {
                p = starP + 1;
                v = ++starV;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Whether the glob has no wildcard, so that it matches exactly one value. */
    public boolean isLiteral() {
        return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob other && pattern.equals(other.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
