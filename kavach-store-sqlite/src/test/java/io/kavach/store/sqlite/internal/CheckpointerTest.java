package io.kavach.store.sqlite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.Ids;
import io.kavach.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background checkpoint thread of a SQLite store: it copies the log back, and stops with the store. */
class CheckpointerTest {
    private static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void committedPagesReachTheDatabaseFileWhileNoWriterCheckpoints() throws Exception {
        Path file = dir.resolve("checkpoint.db");
        String thread = "kavach-sqlite-checkpoint:" + file;
        try (SqliteStore store = SqliteStore.open(file)) {
            long before = Files.size(file);
            Ids ids = Ids.generator(Clock.systemUTC());
            for (int batch = 0; batch < 20; batch++) {
                List<AuditEntry> entries = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    entries.add(new AuditEntry(ids.next(Ids.AUDIT), T0, "agt_1", "user-1", null, "read", "db:orders:1",
                            AuditResult.ALLOWED, "ALLOWED", "x".repeat(400), null, 1, null, List.of(), null, null,
                            Map.of(), AuditEntry.GENESIS, "0".repeat(64)));
                }
                store.write(s -> {
                    s.audit().appendAll(entries);
                    return null;
                });
            }
            // About 1 MB went to the log, far below the writer's own automatic checkpoint (16,000 pages): only the
            // checkpoint thread copies it into the database file.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.size(file) < before + 800_000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.size(file)).isGreaterThan(before + 800_000);
            assertThat(threadsNamed(thread)).isEqualTo(1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (threadsNamed(thread) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(threadsNamed(thread)).as("the thread stops when the store closes").isZero();
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).count();
    }
}
