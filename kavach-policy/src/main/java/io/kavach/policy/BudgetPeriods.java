package io.kavach.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Calendar days and months in one zone, as budget counters see them. A counter's period key is
 * {@code D:2026-03-10} or {@code M:2026-03}; a window ends at the start of the next day or month
 * in the zone. Immutable and thread-safe.
 */
public final class BudgetPeriods {
    public static final String DAY_PREFIX = "D:";
    public static final String MONTH_PREFIX = "M:";

    private final ZoneId zone;

    public BudgetPeriods(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ZoneId zone() {
        return zone;
    }

    public String dayKey(Instant now) {
        return DAY_PREFIX + LocalDate.ofInstant(now, zone);
    }

    public String monthKey(Instant now) {
        return MONTH_PREFIX + YearMonth.from(LocalDate.ofInstant(now, zone));
    }

    /** The start of the next day in the zone. */
    public Instant dayEnd(Instant now) {
        return LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** The start of the next month in the zone. */
    public Instant monthEnd(Instant now) {
        return YearMonth.from(LocalDate.ofInstant(now, zone)).plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }
}
