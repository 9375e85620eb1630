package io.kavach.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.audit.AuditCsv;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export streams in bounded memory and has no row cap: 200,000 entries exported as CSV by a
 * JVM with a 64 MB heap ({@link AuditExportLoadMain}). Filling the file takes most of the time;
 * the chain check at scale is left to a manual run of the main with {@code verify}.
 */
class SqliteAuditExportMemoryTest {
    private static final int ROWS = 200_000;
    private static final Pattern RESULT = Pattern.compile(
            "rows=(\\d+), seconds=([\\d.]+), maxHeapMB=(\\d+), usedHeapAfterMB=(\\d+), peakHeapMB=(\\d+), csvMB=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void twoHundredThousandRowsExportWithASixtyFourMegabyteHeap() throws Exception {
        Path db = dir.resolve("big.db");
        Path csv = dir.resolve("big.csv");
        Path output = dir.resolve("child.out");
        List<String> command = ForkedJvm.command(AuditExportLoadMain.class, List.of("-Xmx64m"),
                List.of(db.toString(), Integer.toString(ROWS), csv.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the export JVM finishes").isTrue();
        } finally {
            child.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output);
        assertThat(child.exitValue()).as(String.join("\n", lines)).isZero();
        Matcher result = lines.stream().map(RESULT::matcher).filter(Matcher::matches).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no result line in:\n" + String.join("\n", lines)));
        assertThat(Long.parseLong(result.group(1))).isEqualTo(ROWS);
        assertThat(Long.parseLong(result.group(3))).as("the heap cap").isLessThanOrEqualTo(64);
        assertThat(Long.parseLong(result.group(6))).as("the CSV is far larger than the heap").isGreaterThan(64);

        long lineCount = 0;
        List<String> firstTwo = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (lineCount < 2) {
                    firstTwo.add(line);
                }
                lineCount++;
            }
        }
        assertThat(lineCount).isEqualTo(ROWS + 1);
        assertThat(firstTwo.get(0)).isEqualTo(AuditCsv.HEADER);
        assertThat(firstTwo.get(1)).contains("2026-01-01T00:00:00.000Z");
    }
}
