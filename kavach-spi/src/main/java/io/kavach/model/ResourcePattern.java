package io.kavach.model;

import io.kavach.error.InvalidInputException;

/**
 * A resource pattern: {@code :}-separated segments. A literal segment matches itself, {@code *}
 * matches exactly one segment, and {@code **}, allowed only as the last segment, matches one or
 * more segments; the pattern {@code **} alone matches every resource. Matching is case-sensitive.
 *
 * <p>{@link #covers} is the one definition of "this pattern grants at least what that pattern
 * grants", used both by authorization and by delegation. Immutable and thread-safe.
 */
public final class ResourcePattern {
    /** The longest pattern or resource accepted, in characters. */
    public static final int MAX_LENGTH = 512;
    /** The most segments a pattern or resource may have. */
    public static final int MAX_SEGMENTS = 64;

    private static final String ONE = "*";
    private static final String MANY = "**";

    private final String value;
    private final String[] segments;
    /** Segments before a trailing {@code **}; all of them when there is none. */
    private final int fixed;
    private final boolean open;

    private ResourcePattern(String value, String[] segments) {
        this.value = value;
        this.segments = segments;
        this.open = MANY.equals(segments[segments.length - 1]);
        this.fixed = open ? segments.length - 1 : segments.length;
    }

    /** Parses a pattern, reporting problems against the field name {@code resource}. */
    public static ResourcePattern of(String pattern) {
        return parse("resource", pattern);
    }

    /** Parses a pattern, reporting problems against {@code field}. */
    public static ResourcePattern parse(String field, String pattern) {
        String problem = problem(pattern, true);
        if (problem != null) {
            throw new InvalidInputException(field, pattern, problem);
        }
        return new ResourcePattern(pattern, pattern.split(":", -1));
    }

    /**
     * What is wrong with {@code resource} as a concrete resource (no wildcards), or null if it is
     * valid.
     */
    public static String resourceProblem(String resource) {
        return problem(resource, false);
    }

    private static String problem(String text, boolean wildcards) {
        if (text == null) {
            return "must not be null";
        }
        if (text.isEmpty()) {
            return "must not be empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters, was " + text.length();
        }
        int segmentCount = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && text.charAt(i) != ':') {
                char c = text.charAt(i);
                if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                    return "must not contain whitespace or control characters";
                }
                continue;
            }
            String segment = text.substring(start, i);
            if (segment.isEmpty()) {
                return "has an empty segment (segments are separated by a single ':')";
            }
            if (segment.indexOf('*') >= 0) {
                if (!wildcards) {
                    return "must be a concrete resource without '*'";
                }
                if (!segment.equals(ONE) && !segment.equals(MANY)) {
                    return "segment '" + segment + "' mixes '*' with other characters; use '*' or '**' alone";
                }
                if (segment.equals(MANY) && i != text.length()) {
                    return "'**' may only be the last segment";
                }
            }
            if (i < text.length()) {
                segmentCount++;
                if (segmentCount > MAX_SEGMENTS) {
                    return "must have at most " + MAX_SEGMENTS + " segments";
                }
            }
            start = i + 1;
        }
        return null;
    }

    /**
     * Whether this pattern matches the concrete {@code resource}. A resource that is not valid
     * (see {@link #resourceProblem}) matches nothing.
     */
    public boolean matches(String resource) {
        if (problem(resource, false) != null) {
            return false; // also over-long resources, too many segments, whitespace and control characters
        }
        int position = 0;
        for (int i = 0; i < fixed; i++) {
            if (position > resource.length()) {
                return false; // the resource has fewer segments than the pattern
            }
            int end = resource.indexOf(':', position);
            if (end < 0) {
                end = resource.length();
            }
            String segment = segments[i];
            if (end == position) {
                return false; // empty segment
            }
            if (segment.equals(ONE)) {
                if (containsWildcard(resource, position, end)) {
                    return false;
                }
            } else if (end - position != segment.length() || !resource.startsWith(segment, position)) {
                return false;
            }
            position = end + 1;
        }
        if (open) {
            // one or more further non-empty segments
            return position < resource.length() && validTail(resource, position);
        }
        return position == resource.length() + 1;
    }

    /**
     * Whether every resource that {@code other} matches, this pattern matches too. This is the
     * relation delegation uses to decide that a parent holds what it passes on.
     */
    public boolean covers(ResourcePattern other) {
        // The lengths other matches must be lengths this matches.
        if (!open && (other.open || other.segments.length != segments.length)) {
            return false;
        }
        if (open && other.fixed < fixed + (other.open ? 0 : 1)) {
            return false;
        }
        // Position by position, what other allows must be allowed here. Past this pattern's fixed
        // segments this pattern allows anything.
        for (int i = 0; i < fixed; i++) {
            String mine = segments[i];
            if (mine.equals(ONE)) {
                continue;
            }
            if (i >= other.fixed || !mine.equals(other.segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsWildcard(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '*') {
                return true;
            }
        }
        return false;
    }

    private static boolean validTail(String resource, int from) {
        char previous = ':';
        for (int i = from; i < resource.length(); i++) {
            char c = resource.charAt(i);
            if (c == ':' && previous == ':') {
                return false;
            }
            if (c == '*') {
                return false;
            }
            previous = c;
        }
        return previous != ':';
    }

    /** The pattern's segments, in order. */
    public String[] segments() {
        return segments.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourcePattern other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return value;
    }

}
