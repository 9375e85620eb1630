package io.kavach.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BudgetAlertsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "block policy created first: {0}")
    @ValueSource(booleans = {false, true})
    void theAlertFiresOnceAtTheSixthCallAndTheBlockStopsTheSeventh(boolean blockFirst) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BudgetAlerts.run(dir.resolve("alerts.db"), Clock.fixed(Instant.parse("2026-03-10T10:00:00Z"), ZoneOffset.UTC),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), blockFirst);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        List<String> calls = lines.stream().filter(l -> l.contains("  call #")).toList();
        assertThat(calls).hasSize(7);
        for (int i = 0; i < 6; i++) {
            assertThat(calls.get(i)).startsWith("  call #" + (i + 1) + " (150 tokens) -> ALLOWED");
        }
        // Calls 1 to 5 spend 750 <= 800; the 6th brings the day to 900 > 800 and carries the warning.
        assertThat(calls.subList(0, 5)).noneMatch(l -> l.contains("warn"));
        assertThat(calls.get(5)).contains("(warn): maxTokensCostPerDay 750 + 150 would exceed 800");
        // The 7th would bring it to 1,050 > 1,000.
        assertThat(calls.get(6)).startsWith("  call #7 (150 tokens) -> DENIED  BUDGET_EXCEEDED")
                .contains("(block): maxTokensCostPerDay 900 + 150 would exceed 1000");

        List<String> alerts = lines.stream().filter(l -> l.contains("ALERT")).toList();
        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0)).startsWith("  ALERT during call #6: warn policy")
                .contains("maxTokensCostPerDay 750 + 150 would exceed 800");
        assertThat(alerts.get(1)).startsWith("  ALERT during call #7: block policy")
                .contains("maxTokensCostPerDay 900 + 150 would exceed 1000");
        // The alert is printed while call #6 is made, before its decision.
        assertThat(lines.indexOf(alerts.get(0))).isLessThan(lines.indexOf(calls.get(5)));

        assertThat(lines).contains("Spent today: 900 tokensCost in 6 calls; blocked until the day ends (2026-03-11T00:00:00Z)");
        assertThat(lines).anyMatch(l -> l.contains((blockFirst ? "block" : "warn") + " created first"));
    }
}
