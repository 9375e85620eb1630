package io.kavach.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.Kavach;
import io.kavach.audit.AuditFilter;
import io.kavach.examples.MonthlyBilling.Report;
import io.kavach.examples.MonthlyBilling.Usage;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.store.sqlite.SqliteStore;
import io.kavach.testkit.AuditExports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonthlyBillingTest {
    private static final Instant NOW = Instant.parse("2026-03-10T10:00:00Z");
    private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theBillPerUserEqualsWhatWasAuthorizedInTheMonth() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path db = dir.resolve("billing.db");
        Report report = MonthlyBilling.run(db, Clock.fixed(NOW, ZoneOffset.UTC), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(report.month()).isEqualTo(YearMonth.of(2026, 2));
        assertThat(report.csv()).isEqualTo(dir.resolve("kavach-audit-2026-02.csv").toAbsolutePath());
        assertThat(report.byUser()).containsOnlyKeys("user-123", "user-456", "user-789");
        assertThat(report.byUser()).isEqualTo(report.authorized());
        assertThat(report.byUser().get("user-789").tokensCost()).as("reads without a cost are calls that cost 0").isZero();
        assertThat(report.byUser().get("user-789").calls()).isPositive();
        long calls = report.byUser().values().stream().mapToLong(Usage::calls).sum();
        assertThat(report.rows()).isEqualTo(calls);

        // The same bill from the same file, read by a standard CSV parser.
        List<AuditEntry> rows = AuditExports.readCsv(Files.readString(report.csv()));
        assertThat(rows).hasSize((int) report.rows()).allSatisfy(e -> {
            assertThat(e.result()).isEqualTo(AuditResult.ALLOWED);
            assertThat(e.timestamp()).isBetween(FEB, MAR.minusMillis(1));
        });
        assertThat(sum(rows)).isEqualTo(report.byUser());
        assertThat(rows.get(0).timestamp()).as("a call at the first instant of the month is billed").isEqualTo(FEB);

        // And from the audit log itself: the month's allowed decisions, nothing before or after.
        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
            List<AuditEntry> logged = kavach.audit().query(AuditFilter.all().withLimit(AuditFilter.MAX_LIMIT));
            assertThat(logged).hasSizeLessThan(AuditFilter.MAX_LIMIT);
            List<AuditEntry> february = logged.stream().filter(e -> e.result() == AuditResult.ALLOWED
                    && !e.timestamp().isBefore(FEB) && e.timestamp().isBefore(MAR)).toList();
            assertThat(sum(february)).isEqualTo(report.byUser());
            assertThat(logged).as("entries outside the month exist and are not billed")
                    .anySatisfy(e -> assertThat(e.timestamp()).isBefore(FEB))
                    .anySatisfy(e -> assertThat(e.timestamp()).isEqualTo(MAR));
            assertThat(logged).as("denied calls of the month exist and are not billed").anySatisfy(e -> {
                assertThat(e.result()).isEqualTo(AuditResult.DENIED);
                assertThat(e.timestamp()).isBetween(FEB, MAR);
            });
            assertThat(logged).as("calls without a cost exist").anySatisfy(e -> {
                assertThat(e.result()).isEqualTo(AuditResult.ALLOWED);
                assertThat(e.action()).isEqualTo("execute");
                assertThat(e.tokensCost()).isNull();
            });
            assertThat(kavach.audit().verify().ok()).isTrue();
        }

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("Billing report for 2026-02 (UTC) from kavach-audit-2026-02.csv: " + calls
                + " allowed calls");
        report.byUser().forEach((user, usage) -> assertThat(lines)
                .contains(String.format(java.util.Locale.ROOT, "  %-10s %8d %12d", user, usage.calls(), usage.tokensCost())));
        assertThat(lines.get(lines.size() - 1)).startsWith("  total").endsWith(" " + report.byUser().values().stream()
                .mapToLong(Usage::tokensCost).sum());
    }

    @Test
    void theSmallCsvReaderFollowsRfc4180() throws IOException {
        List<List<String>> records = new ArrayList<>();
        MonthlyBilling.readCsv(new StringReader("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"line\r\nbreak\"\r\n,,\r\nlast,row,no-crlf"),
                records::add);
        assertThat(records).containsExactly(List.of("a", "b", "c"), List.of("x,y", "say \"hi\"", "line\r\nbreak"),
                List.of("", "", ""), List.of("last", "row", "no-crlf"));
    }

    private static Map<String, Usage> sum(List<AuditEntry> entries) {
        Map<String, Usage> out = new TreeMap<>();
        for (AuditEntry e : entries) {
            long cost = e.tokensCost() == null ? 0 : e.tokensCost();
            out.merge(e.userId(), new Usage(1, cost), (a, b) -> new Usage(a.calls() + b.calls(), a.tokensCost() + b.tokensCost()));
        }
        return out;
    }
}
