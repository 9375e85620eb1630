package io.kavach.store.sqlite;

import io.kavach.Kavach;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.AuditHasher;
import io.kavach.audit.AuditVerification;
import io.kavach.audit.ExportFormat;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.Ids;
import io.kavach.testkit.MutableClock;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The audit export at scale, in a JVM of its own so its heap can be capped:
 *
 * <pre>
 * AuditExportLoadMain &lt;db file&gt; &lt;rows&gt; &lt;csv file&gt; [verify]
 * </pre>
 *
 * Fills a new SQLite file with {@code rows} chained audit entries (straight through the store SPI,
 * in write units of {@value #UNIT} entries, hashed with {@link AuditHasher} as Kavach would), then
 * exports them all as CSV through {@code kavach.audit().export} to the file, and with {@code verify}
 * also checks the whole chain. Prints {@code fill rows=…, seconds=…}, then, if asked,
 * {@code verify ok=…, checked=…, seconds=…}, and then the result line
 * {@code rows=…, seconds=…, maxHeapMB=…, usedHeapAfterMB=…, peakHeapMB=…, csvMB=…}, where
 * {@code seconds} is the export's, {@code maxHeapMB} the heap cap, {@code usedHeapAfterMB} the heap
 * in use after the export and a full GC, and {@code peakHeapMB} the sum of the heap pools' peak use
 * during the export (an upper bound of the peak heap).
 */
public final class AuditExportLoadMain {
    static final int UNIT = 50_000;
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private AuditExportLoadMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: AuditExportLoadMain <db file> <rows> <csv file> [verify]");
            System.exit(2);
        }
        Path db = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        Path csv = Path.of(args[2]);
        boolean verify = args.length > 3 && args[3].equals("verify");
        MutableClock clock = MutableClock.at(START);

        long started = System.nanoTime();
        try (SqliteStore store = SqliteStore.open(db)) {
            fill(store, clock, rows);
        }
        System.out.printf(Locale.ROOT, "fill rows=%d, seconds=%.1f%n", rows, seconds(started));

        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(clock).build()) {
            if (verify) {
                long verifyStarted = System.nanoTime();
                AuditVerification result = kavach.audit().verify();
                System.out.printf(Locale.ROOT, "verify ok=%s, checked=%d, seconds=%.1f%n", result.ok(), result.checked(),
                        seconds(verifyStarted));
                if (!result.ok()) {
                    System.err.println(result.message());
                    System.exit(1);
                }
            }
            resetPeaks();
            long exportStarted = System.nanoTime();
            long written;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 16)) {
                written = kavach.audit().export(AuditFilter.all(), ExportFormat.CSV, out, n -> { });
            }
            double exportSeconds = seconds(exportStarted);
            long peak = peakHeap();
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            long usedAfter = runtime.totalMemory() - runtime.freeMemory();
            System.out.printf(Locale.ROOT, "rows=%d, seconds=%.1f, maxHeapMB=%d, usedHeapAfterMB=%d, peakHeapMB=%d, csvMB=%d%n",
                    written, exportSeconds, mb(runtime.maxMemory()), mb(usedAfter), mb(peak), mb(Files.size(csv)));
            if (written != rows) {
                System.exit(1);
            }
        }
    }

    /** Appends {@code rows} entries after the current head, {@link #UNIT} per write unit. */
    static void fill(SqliteStore store, MutableClock clock, long rows) {
        Ids ids = Ids.generator(clock);
        Random random = new Random(1);
        List<String> agents = List.of("agt_01KA0000000000000000000001", "agt_01KA0000000000000000000002",
                "agt_01KA0000000000000000000003", "agt_01KA0000000000000000000004");
        for (long done = 0; done < rows; ) {
            long unit = Math.min(UNIT, rows - done);
            long first = done;
            store.write(session -> {
                String previous = session.audit().headHash().orElse(AuditEntry.GENESIS);
                for (long i = first; i < first + unit; i++) {
                    clock.set(START.plusMillis(i * 10));
                    int a = (int) (i % agents.size());
                    boolean allowed = random.nextInt(10) != 0;
                    Map<String, Object> arguments = new LinkedHashMap<>();
                    arguments.put("model", i % 3 == 0 ? "gpt-4o" : "claude-sonnet");
                    arguments.put("prompt", "[REDACTED]");
                    arguments.put("n", i);
                    AuditEntry entry = new AuditEntry(ids.next(Ids.AUDIT), clock.instant(), agents.get(a), "user-" + a % 2,
                            a < 2 ? "acme" : null, "execute", "llm:openai:chat",
                            allowed ? AuditResult.ALLOWED : AuditResult.DENIED, allowed ? "ALLOWED" : "PERMISSION_DENIED",
                            allowed ? "execute on llm:openai:chat allowed by own permission llm:**"
                                    : "=agent has no permission, \"quoted\", for execute",
                            random.nextInt(4) == 0 ? null : (long) random.nextInt(2_000), 40 + random.nextInt(400), null,
                            List.of(), "10.0.0." + a, "agent-sdk/1.4 (java)", AuditHasher.normalize(arguments), previous, null);
                    AuditEntry linked = entry.chained(previous, AuditHasher.hash(entry));
                    session.audit().append(linked);
                    previous = linked.hash();
                }
                return null;
            });
            done += unit;
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peak use since {@link #resetPeaks}: an upper bound of the peak heap. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static double seconds(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis() / 1000.0;
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }
}
