package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.error.InvalidInputException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("TimeWindow")
class TimeWindowTest {

    /** An instant on 2024-03-14 (UTC) at the given time of day. */
    private static Instant utc(String time) {
        return Instant.parse("2024-03-14T" + time + "Z");
    }

    @Test
    @DisplayName("parse reads HH:MM-HH:MM in UTC by default")
    void parseDefaultsToUtc() {
        TimeWindow window = TimeWindow.parse("09:00-17:30", null);
        assertThat(window.start()).isEqualTo(LocalTime.of(9, 0));
        assertThat(window.end()).isEqualTo(LocalTime.of(17, 30));
        assertThat(window.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(window.text()).isEqualTo("09:00-17:30");
        assertThat(window).hasToString("09:00-17:30 Z");
    }

    @Test
    @DisplayName("parse reads a zone id and tolerates spaces around the times")
    void parseWithZone() {
        TimeWindow window = TimeWindow.parse(" 22:00 - 06:00 ", "Asia/Kolkata");
        assertThat(window.zone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
        assertThat(window.text()).isEqualTo("22:00-06:00");
        assertThat(window).isEqualTo(new TimeWindow(LocalTime.of(22, 0), LocalTime.of(6, 0), ZoneId.of("Asia/Kolkata")));
    }

    @Test
    @DisplayName("the constructor drops seconds and defaults the zone to UTC")
    void constructorNormalizes() {
        TimeWindow window = new TimeWindow(LocalTime.of(9, 0, 59, 5), LocalTime.of(17, 0, 1), null);
        assertThat(window.start()).isEqualTo(LocalTime.of(9, 0));
        assertThat(window.end()).isEqualTo(LocalTime.of(17, 0));
        assertThat(window.zone()).isEqualTo(ZoneOffset.UTC);
    }

    @ParameterizedTest(name = "09:00-17:00 UTC contains {0}: {1}")
    @CsvSource({
        "08:59:59.999, false",
        "09:00:00,     true",
        "12:00:00,     true",
        "16:59:59.999, true",
        "17:00:00,     false",
        "23:00:00,     false",
        "00:00:00,     false",
    })
    void startInclusiveEndExclusive(String time, boolean expected) {
        assertThat(TimeWindow.parse("09:00-17:00", null).contains(utc(time))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "22:00-06:00 UTC contains {0}: {1}")
    @CsvSource({
        "21:59:59, false",
        "22:00:00, true",
        "23:30:00, true",
        "00:00:00, true",
        "05:59:00, true",
        "05:59:59, true",
        "06:00:00, false",
        "12:00:00, false",
    })
    void windowCrossingMidnight(String time, boolean expected) {
        assertThat(TimeWindow.parse("22:00-06:00", null).contains(utc(time))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "09:00-17:00 Asia/Kolkata contains {0}Z: {1}")
    @CsvSource({
        "03:29:00, false", // 08:59 IST
        "03:30:00, true",  // 09:00 IST
        "11:29:00, true",  // 16:59 IST
        "11:30:00, false", // 17:00 IST
        "09:00:00, true",  // 14:30 IST
    })
    void kolkataIsUtcPlusFiveThirty(String time, boolean expected) {
        assertThat(TimeWindow.parse("09:00-17:00", "Asia/Kolkata").contains(utc(time))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "09:00-17:00 America/New_York contains {0}: {1}")
    @CsvSource({
        // winter, EST = UTC-5
        "2024-01-15T13:59:00Z, false",
        "2024-01-15T14:00:00Z, true",
        "2024-01-15T21:59:00Z, true",
        "2024-01-15T22:00:00Z, false",
        // summer, EDT = UTC-4
        "2024-07-15T12:59:00Z, false",
        "2024-07-15T13:00:00Z, true",
        "2024-07-15T20:59:00Z, true",
        "2024-07-15T21:00:00Z, false",
    })
    void newYorkFollowsDaylightSaving(String instant, boolean expected) {
        assertThat(TimeWindow.parse("09:00-17:00", "America/New_York").contains(Instant.parse(instant)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"", "09:00", "9:00-17:00", "09:00-7:00", "0900-1700", "09:00-17:00-18:00", "25:00-26:00",
        "09:60-10:00", "-09:00-10:00", "09:00–17:00", "ab:cd-ef:gh", "09:00:00-17:00:00", "09.00-17.00", "09:00-"})
    void rejectsBadFormats(String window) {
        assertThatThrownBy(() -> TimeWindow.parse(window, null))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("timeWindow");
                    assertThat(e.getMessage()).contains(window);
                });
    }

    @Test
    @DisplayName("an unknown zone is rejected against timeWindow.zone")
    void rejectsUnknownZone() {
        assertThatThrownBy(() -> TimeWindow.parse("09:00-17:00", "Mars/Olympus_Mons"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("timeWindow.zone");
                    assertThat(e.getMessage()).contains("Mars/Olympus_Mons");
                });
        assertThatThrownBy(() -> TimeWindow.parse("09:00-17:00", ""))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    @DisplayName("equal start and end are rejected, also when they differ only in seconds")
    void rejectsEmptyWindow() {
        assertThatThrownBy(() -> TimeWindow.parse("09:00-09:00", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("09:00-09:00");
        assertThatThrownBy(() -> new TimeWindow(LocalTime.of(10, 0, 30), LocalTime.of(10, 0), null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("10:00-10:00");
        assertThatThrownBy(() -> new TimeWindow(null, LocalTime.NOON, null))
                .isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest(name = "{0} encloses {1}: {2}")
    @CsvSource({
        "09:00-17:00, 09:00-17:00, true",
        "09:00-17:00, 10:00-12:00, true",
        "09:00-17:00, 09:00-09:01, true",
        "09:00-17:00, 16:59-17:00, true",
        "09:00-17:00, 08:00-10:00, false",
        "09:00-17:00, 16:00-18:00, false",
        "09:00-17:00, 18:00-19:00, false",
        "09:00-17:00, 16:00-10:00, false",
        "09:00-17:00, 22:00-06:00, false",
        "22:00-06:00, 22:00-06:00, true",
        "22:00-06:00, 23:00-01:00, true",
        "22:00-06:00, 01:00-05:00, true",
        "22:00-06:00, 22:30-23:00, true",
        "22:00-06:00, 21:00-23:00, false",
        "22:00-06:00, 05:00-07:00, false",
        "22:00-06:00, 10:00-11:00, false",
        "22:00-06:00, 12:00-06:00, false",
        "22:00-06:00, 23:00-22:30, false",
        "00:00-23:59, 22:00-06:00, false",
        "00:00-23:59, 00:00-23:59, true",
        "22:00-21:59, 09:00-17:00, true",
        "22:00-21:59, 21:00-23:00, false",
    })
    void enclosesExamples(String outer, String inner, boolean expected) {
        assertThat(TimeWindow.parse(outer, null).encloses(TimeWindow.parse(inner, null))).isEqualTo(expected);
    }

    @Test
    @DisplayName("encloses compares only windows in the same zone")
    void enclosesRequiresSameZone() {
        TimeWindow utc = TimeWindow.parse("00:00-23:00", null);
        assertThat(utc.encloses(TimeWindow.parse("10:00-11:00", "Asia/Kolkata"))).isFalse();
        assertThat(utc.encloses(TimeWindow.parse("10:00-11:00", "UTC"))).isTrue();
        assertThat(TimeWindow.parse("09:00-17:00", "America/New_York")
                .encloses(TimeWindow.parse("10:00-11:00", "America/New_York"))).isTrue();
    }

    @Test
    @DisplayName("encloses agrees with contains, minute by minute")
    void enclosesAgreesWithContains() {
        Random random = new Random(7);
        Instant midnight = utc("00:00:00");
        for (int i = 0; i < 400; i++) {
            TimeWindow outer = randomWindow(random);
            TimeWindow inner = randomWindow(random);
            boolean everyMinuteInside = true;
            for (int minute = 0; minute < 1440 && everyMinuteInside; minute++) {
                Instant at = midnight.plusSeconds(60L * minute);
                everyMinuteInside = !inner.contains(at) || outer.contains(at);
            }
            assertThat(outer.encloses(inner)).as("%s encloses %s", outer, inner).isEqualTo(everyMinuteInside);
        }
    }

    private static TimeWindow randomWindow(Random random) {
        // coarse times (multiples of 30 minutes) so that enclosing pairs are common
        int start = random.nextInt(48) * 30;
        int end = (start + 30 * (1 + random.nextInt(47))) % 1440;
        return new TimeWindow(LocalTime.of(start / 60, start % 60), LocalTime.of(end / 60, end % 60), null);
    }
}
