package io.kavach.core.internal;

import io.kavach.error.InvalidInputException;
import java.time.Duration;

/** Parses the short durations users write: {@code 30s}, {@code 30m}, {@code 1h}, {@code 7d}. */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String field, String text) {
        if (text == null || text.length() < 2 || text.length() > 10) {
            throw new InvalidInputException(field, text, "must be digits followed by s, m, h or d, such as 30m, 1h or 7d");
        }
        String digits = text.substring(0, text.length() - 1);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException(field, text, "must be digits followed by s, m, h or d, such as 30m, 1h or 7d");
        }
        long amount = Long.parseLong(digits);
        Duration duration = switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new InvalidInputException(field, text, "must end with s, m, h or d");
        };
        if (duration.isZero()) {
            throw new InvalidInputException(field, text, "must be longer than zero");
        }
        return duration;
    }
}
