package io.kavach.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each scenario for about a second with small sizes, through the harness's entry point: one JSON line each. */
class LoadHarnessSmokeTest {
    private static final Pattern OPS_PER_SECOND = Pattern.compile("\"opsPerSecond\":([0-9.]+)");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "durable-sqlite, 2",
            "durable-sqlite-full, 1",
            "raw-sqlite-insert, 1",
            "memory-eval, 2",
            "spend-read, 2",
            "export-csv, 1"})
    void scenarioPrintsOneJsonLine(String scenario, int threads) throws Exception {
        Path db = dir.resolve(scenario + ".db");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            LoadHarness.run(new String[] {"--scenario", scenario, "--threads", String.valueOf(threads), "--seconds", "1",
                    "--warmup", "0", "--db", db.toString(), "--agents", "16", "--events", "5000", "--entries", "3000",
                    "--batch", "100"}, out);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output.lines()).hasSize(1);
        String line = output.strip();
        assertThat(line).startsWith("{\"scenario\":\"" + scenario + "\",\"threads\":").endsWith("}")
                .contains("\"ops\":", "\"p50Micros\":", "\"p99Micros\":", "\"seconds\":");
        Matcher m = OPS_PER_SECOND.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as(line).isPositive();
        assertThat(line).doesNotContain("\"denied\":1", "\"denied\":2");
        // A file given with --db is kept (memory-eval has none).
        assertThat(Files.exists(db)).isEqualTo(!scenario.equals("memory-eval"));
    }

    @Test
    void rejectsUnknownScenarioAndExistingDb() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LoadHarness.run(new String[] {"--scenario", "nope", "--seconds", "1"}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown scenario");
        Path existing = Files.createFile(dir.resolve("exists.db"));
        assertThatThrownBy(() -> LoadHarness.run(new String[] {"--scenario", "durable-sqlite", "--seconds", "1", "--db",
                existing.toString()}, out)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1_000L;
        }
        assertThat(Latencies.percentileMicros(sorted, 50)).isEqualTo(50.0);
        assertThat(Latencies.percentileMicros(sorted, 99)).isEqualTo(99.0);
        assertThat(Latencies.percentileMicros(new long[0], 99)).isZero();
    }
}
