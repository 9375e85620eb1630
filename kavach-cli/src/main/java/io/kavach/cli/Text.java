package io.kavach.cli;

import io.kavach.model.BudgetLimits;
import io.kavach.model.Microdollars;
import io.kavach.model.Permission;
import io.kavach.cost.CostPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formatting shared by the commands. */
final class Text {
    private Text() {
    }

    /** An instant as ISO-8601 UTC to the second; "-" for none. */
    static String time(Instant instant) {
        return instant == null ? "-" : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String oneLine(String text) {
        return KavachCli.oneLine(text);
    }

    /** {@code text} cut to {@code max} characters with an ellipsis; unchanged when it fits. */
    static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
    }

    static String lower(Enum<?> value) {
        return value == null ? "" : value.name().toLowerCase(Locale.ROOT);
    }

    /** A permission as {@code pattern=action,action}, the form {@code --permission} takes, plus its constraints. */
    static String permission(Permission permission) {
        String base = permission.resource() + "=" + String.join(",", permission.actions());
        return permission.constraints().isEmpty() ? base : base + " " + Json.constraints(permission);
    }

    static String permissions(List<Permission> permissions) {
        if (permissions.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        for (Permission permission : permissions) {
            parts.add(permission(permission));
        }
        return String.join("; ", parts);
    }

    /** A policy's limits, such as {@code 800 tokens/day, 500 calls/day}. */
    static String limits(BudgetLimits limits) {
        List<String> parts = new ArrayList<>();
        add(parts, limits.maxTokensCostPerDay(), "tokens/day");
        add(parts, limits.maxTokensCostPerMonth(), "tokens/month");
        add(parts, limits.maxCallsPerDay(), "calls/day");
        add(parts, limits.maxCallsPerMonth(), "calls/month");
        if (limits.maxCostPerDay() != null) {
            parts.add(Microdollars.of(limits.maxCostPerDay()) + "/day");
        }
        if (limits.maxCostPerMonth() != null) {
            parts.add(Microdollars.of(limits.maxCostPerMonth()) + "/month");
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static void add(List<String> parts, Long value, String unit) {
        if (value != null) {
            parts.add(value + " " + unit);
        }
    }

    /**
     * An amount in dollars, exact but without needless zeros: {@code $0.0125}, {@code $1.00},
     * {@code $0.000001}. (Tables use {@link Microdollars#toString()}, six decimals, so columns align.)
     */
    static String usd(Microdollars amount) {
        BigDecimal dollars = amount.toDollars().abs().stripTrailingZeros();
        if (dollars.scale() < 2) {
            dollars = dollars.setScale(2);
        }
        return (amount.isNegative() ? "-$" : "$") + dollars.toPlainString();
    }

    /** A report period: {@code 2026-03-01 to 2026-04-01 (UTC, end exclusive)}, or "all recorded time". */
    static String period(CostPeriod period) {
        if (period == null) {
            return "all recorded time";
        }
        return day(period.start()) + " to " + day(period.end()) + " (UTC, end exclusive)";
    }

    /** The date alone at midnight UTC, else the instant. */
    private static String day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)
                ? instant.atOffset(ZoneOffset.UTC).toLocalDate().toString() : time(instant);
    }


    static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
