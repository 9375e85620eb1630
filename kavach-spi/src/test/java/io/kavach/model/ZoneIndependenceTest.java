package io.kavach.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs with the JVM default zone set to Pacific/Chatham (UTC+12:45, +13:45 in summer, so no whole
 * hour lines up with UTC) and checks that time windows and ids give the answers they give under
 * UTC. The expected values below are the UTC answers.
 */
@DisplayName("Zone independence (default zone Pacific/Chatham)")
class ZoneIndependenceTest {

    private static TimeZone original;

    @BeforeAll
    static void switchDefaultZone() {
        original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
    }

    @AfterAll
    static void restoreDefaultZone() {
        TimeZone.setDefault(original);
    }

    @Test
    @DisplayName("the default zone really is Pacific/Chatham while these tests run")
    void defaultZoneIsSwitched() {
        assertThat(ZoneId.systemDefault()).isEqualTo(ZoneId.of("Pacific/Chatham"));
    }

    @ParameterizedTest(name = "{0} ({1}) contains {2}: {3}")
    @CsvSource({
        // windows without a zone are UTC, whatever the default zone
        "09:00-17:00, ,                 2024-03-14T09:00:00Z, true",
        "09:00-17:00, ,                 2024-03-14T08:59:00Z, false",
        "09:00-17:00, ,                 2024-03-14T16:59:59Z, true",
        "09:00-17:00, ,                 2024-03-14T17:00:00Z, false",
        "22:00-06:00, ,                 2024-03-14T23:30:00Z, true",
        "22:00-06:00, ,                 2024-03-14T05:59:00Z, true",
        "22:00-06:00, ,                 2024-03-14T06:00:00Z, false",
        "22:00-06:00, ,                 2024-03-14T12:00:00Z, false",
        // windows with a zone use that zone, not the default one
        "09:00-17:00, Asia/Kolkata,     2024-03-14T03:30:00Z, true",
        "09:00-17:00, Asia/Kolkata,     2024-03-14T03:29:00Z, false",
        "09:00-17:00, America/New_York, 2024-01-15T14:00:00Z, true",
        "09:00-17:00, America/New_York, 2024-07-15T12:59:00Z, false",
    })
    void timeWindowAnswersAsUnderUtc(String window, String zone, String instant, boolean expected) {
        TimeWindow parsed = TimeWindow.parse(window, zone);
        assertThat(parsed.contains(Instant.parse(instant))).isEqualTo(expected);
        if (zone == null) {
            assertThat(parsed.zone()).isEqualTo(ZoneOffset.UTC);
        }
    }

    @Test
    @DisplayName("a window read from a clock in the default zone still reads the instant in UTC")
    void windowIgnoresClockZone() {
        Instant nineUtc = Instant.parse("2024-03-14T09:30:00Z");
        Clock chatham = Clock.fixed(nineUtc, ZoneId.systemDefault());
        assertThat(TimeWindow.parse("09:00-10:00", null).contains(chatham.instant())).isTrue();
        // 09:30 UTC is 23:15 in Chatham (UTC+13:45, daylight saving in March): not in 09:00-10:00 there
        assertThat(TimeWindow.parse("09:00-10:00", "Pacific/Chatham").contains(chatham.instant())).isFalse();
    }

    @Test
    @DisplayName("ids encode the same time and sort the same way whatever the clock's zone")
    void idsAsUnderUtc() {
        Instant t0 = Instant.parse("2025-06-01T12:00:00.123Z");
        String underUtc = Ids.generator(Clock.fixed(t0, ZoneOffset.UTC)).next(Ids.AGENT);
        String underDefault = Ids.generator(Clock.fixed(t0, ZoneId.systemDefault())).next(Ids.AGENT);
        // the first 10 characters after the prefix are the time
        assertThat(underDefault.substring(0, 14)).isEqualTo(underUtc.substring(0, 14));
        assertThat(IdsTest.millisOf(Ids.AGENT, underDefault)).isEqualTo(t0.toEpochMilli());

        Ids ids = Ids.generator(Clock.fixed(t0, ZoneId.systemDefault()));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.next(Ids.AUDIT));
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();

        String later = Ids.generator(Clock.fixed(t0.plusMillis(1), ZoneId.systemDefault())).next(Ids.AUDIT);
        assertThat(later).isGreaterThan(made.get(made.size() - 1));
        assertThat(Ids.generator(Clock.systemDefaultZone()).next(Ids.AUDIT)).isGreaterThan(later);
    }
}
