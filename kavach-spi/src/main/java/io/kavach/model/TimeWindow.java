package io.kavach.model;

import io.kavach.error.InvalidInputException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * A daily window of local time, {@code start} inclusive to {@code end} exclusive, in a zone (UTC by
 * default). A window whose end is before its start crosses midnight: 22:00-06:00 is the night.
 */
public record TimeWindow(LocalTime start, LocalTime end, ZoneId zone) {
    // Strict, so that 24:00 is rejected rather than read as the next midnight.
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withResolverStyle(ResolverStyle.STRICT);

    public TimeWindow {
        if (start == null || end == null) {
            throw new InvalidInputException("timeWindow", start + "-" + end, "start and end must both be set");
        }
        // Truncate first: 10:00:30-10:00 would otherwise pass the check and become a full day.
        start = start.withSecond(0).withNano(0);
        end = end.withSecond(0).withNano(0);
        if (start.equals(end)) {
            throw new InvalidInputException("timeWindow", format(start) + "-" + format(end),
                    "start and end must differ (an empty or full-day window is ambiguous)");
        }
        zone = zone == null ? ZoneOffset.UTC : zone;
    }

    /** Parses {@code HH:MM-HH:MM} in {@code zone} (an id such as {@code Europe/Berlin}, or null for UTC). */
    public static TimeWindow parse(String window, String zone) {
        if (window == null) {
            throw new InvalidInputException("timeWindow", null, "must be HH:MM-HH:MM");
        }
        String[] parts = window.split("-", -1);
        if (parts.length != 2) {
            throw new InvalidInputException("timeWindow", window, "must be HH:MM-HH:MM");
        }
        ZoneId zoneId;
        try {
            zoneId = zone == null ? ZoneOffset.UTC : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new InvalidInputException("timeWindow.zone", zone, "is not a known time zone");
        }
        try {
            return new TimeWindow(LocalTime.parse(parts[0].trim(), HH_MM), LocalTime.parse(parts[1].trim(), HH_MM), zoneId);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("timeWindow", window, "must be HH:MM-HH:MM with hours 00-23");
        }
    }

    /** Whether {@code instant} falls inside the window, read in the window's zone. */
    public boolean contains(Instant instant) {
        LocalTime local = LocalTime.ofInstant(instant, zone);
        if (start.isBefore(end)) {
            return !local.isBefore(start) && local.isBefore(end);
        }
        return !local.isBefore(start) || local.isBefore(end);
    }

    /** Whether every moment of {@code other} lies inside this window (both read in their own zones). */
    public boolean encloses(TimeWindow other) {
        if (!zone.normalized().equals(other.zone.normalized())) {
            return false; // zones with daylight saving shift against each other; only equal zones compare
        }
        int s = minutes(start);
        int length = Math.floorMod(minutes(end) - s, 1440);
        int otherStart = Math.floorMod(minutes(other.start) - s, 1440);
        int otherLength = Math.floorMod(minutes(other.end) - minutes(other.start), 1440);
        return otherStart + otherLength <= length;
    }

    private static int minutes(LocalTime time) {
        return time.getHour() * 60 + time.getMinute();
    }

    private static String format(LocalTime time) {
        return time == null ? "null" : HH_MM.format(time);
    }

    /** {@code HH:MM-HH:MM}, without the zone. */
    public String text() {
        return format(start) + "-" + format(end);
    }

    @Override
    public String toString() {
        return text() + " " + zone.getId();
    }
}
