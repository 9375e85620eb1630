package io.kavach.cli;

import io.kavach.error.InvalidInputException;
import io.kavach.model.Permission;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters: a bad value is a usage error (exit 2) naming the option. */
final class Converters {
    private Converters() {
    }

    /**
     * An instant: ISO-8601 with a zone or offset ({@code 2026-01-01T00:00:00Z},
     * {@code 2026-01-01T09:30:00+05:30}), a date ({@code 2026-01-01}, the start of that day in UTC),
     * or a date and time without a zone ({@code 2026-01-01T09:30}, taken as UTC).
     */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return parseInstant(value);
        }
    }

    static Instant parseInstant(String value) {
        String text = value == null ? "" : value.strip();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.endsWith("Z") || text.endsWith("z")) {
                return Instant.parse(text.substring(0, text.length() - 1) + "Z");
            }
            if (text.matches(".*[+-]\\d\\d(:?\\d\\d)?$") && text.indexOf('T') > 0) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new TypeConversionException("'" + value
                    + "' is not a date or instant: use 2026-01-01 (start of the day, UTC) or 2026-01-01T00:00:00Z");
        }
    }

    /** A duration: digits then s, m, h or d ({@code 30m}, {@code 7d}), or ISO-8601 ({@code PT12H}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

        @Override
        public Duration convert(String value) {
            String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            Matcher m = SHORT.matcher(text);
            Duration duration = null;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                duration = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else if (text.startsWith("p")) {
                try {
                    duration = Duration.parse(text.toUpperCase(Locale.ROOT));
                } catch (DateTimeException e) {
                    duration = null;
                }
            }
            if (duration == null || duration.isZero() || duration.isNegative()) {
                throw new TypeConversionException("'" + value
                        + "' is not a positive duration: use digits then s, m, h or d, such as 30m, 12h or 7d");
            }
            return duration;
        }
    }

    /**
     * A permission {@code RESOURCE_PATTERN=ACTION[,ACTION...]}, such as {@code mcp:github:**=read}
     * or {@code llm:openai:*=execute,stream}. The last {@code =} separates the pattern from the actions.
     */
    static final class PermissionConverter implements ITypeConverter<Permission> {
        @Override
        public Permission convert(String value) {
            int eq = value == null ? -1 : value.lastIndexOf('=');
            if (eq <= 0 || eq == value.length() - 1) {
                throw new TypeConversionException("'" + value
                        + "' is not a permission: use RESOURCE=ACTION[,ACTION...], such as 'mcp:github:**=read'");
            }
            String resource = value.substring(0, eq).strip();
            List<String> actions = new ArrayList<>();
            for (String action : value.substring(eq + 1).split(",")) {
                if (!action.isBlank()) {
                    actions.add(action.strip());
                }
            }
            if (actions.isEmpty()) {
                throw new TypeConversionException("'" + value + "' names no action after '='");
            }
            try {
                return Permission.of(resource, actions);
            } catch (InvalidInputException e) {
                throw new TypeConversionException("'" + value + "' is not a valid permission: "
                        + KavachCli.withoutCode(e));
            }
        }
    }
}
