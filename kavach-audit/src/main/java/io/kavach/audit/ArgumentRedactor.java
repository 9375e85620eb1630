package io.kavach.audit;

import io.kavach.error.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces the values of sensitive argument keys, such as prompt text, before arguments are
 * written to the audit log. Keys compare case-insensitively, at any depth of nested maps and
 * lists. Immutable and thread-safe.
 */
public final class ArgumentRedactor {
    /** What a redacted value becomes. */
    public static final String REDACTED = "[REDACTED]";

    /** The keys redacted unless configured otherwise. */
    public static final Set<String> DEFAULT_KEYS =
            Set.of("prompt", "messages", "completion", "prompt_text", "response_text");

    private final Set<String> keys;

    private ArgumentRedactor(Set<String> keys) {
        this.keys = keys;
    }

    /** A redactor for {@code keys}; an empty set redacts nothing. */
    public static ArgumentRedactor of(Set<String> keys) {
        TreeSet<String> lower = new TreeSet<>();
        for (String key : keys) {
            if (key == null || key.isBlank()) {
                throw new InvalidInputException("redactedArgumentKeys", key, "must not be blank");
            }
            lower.add(key.toLowerCase(Locale.ROOT));
        }
        return new ArgumentRedactor(Set.copyOf(lower));
    }

    public static ArgumentRedactor defaults() {
        return of(DEFAULT_KEYS);
    }

    /** The keys this redactor replaces, lower-case. */
    public Set<String> keys() {
        return keys;
    }

    /** A copy of {@code arguments} with sensitive values replaced; the input is not changed. */
    public Map<String, Object> redact(Map<String, Object> arguments) {
        if (arguments.isEmpty() || keys.isEmpty()) {
            return arguments;
        }
        return redactMap(arguments);
    }

    private Map<String, Object> redactMap(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            String name = String.valueOf(key);
            out.put(name, keys.contains(name.toLowerCase(Locale.ROOT)) ? REDACTED : redactValue(value));
        });
        return out;
    }

    private Object redactValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return redactMap(map);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(redactValue(v)));
            return out;
        }
        return value;
    }
}
