package io.kavach.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.AuditPage;
import io.kavach.audit.AuditVerification;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.PolicyUsage;
import io.kavach.policy.PolicyCounters;
import io.kavach.testkit.KavachAssertions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the durable authorize path on a real SQLite file: a second JVM
 * ({@link CrashLoadMain}) runs an authorize load on 8 threads with three stacked budget policies
 * (agent, user, global) and is killed with SIGKILL in the middle of it; the file is then reopened
 * by a new store.
 *
 * <p>It proves that a decision {@code authorize} returned survives the process dying, with what it
 * counted, and that a commit is all or nothing:
 * <ul>
 *   <li>every decision the child printed (so had seen returned) has its audit entry, with the same
 *       agent, token cost and result;</li>
 *   <li>each policy's counters hold at least the tokens of the printed allowed decisions it applies
 *       to, and exactly the tokens and calls of the allowed audit entries in the file: no counter
 *       update survived without its audit entry, nor an audit entry without its counters;</li>
 *   <li>the file holds at most one decision per thread beyond those printed (the call each thread
 *       had in flight), so nothing is committed that no caller was waiting for;</li>
 *   <li>the hash chain verifies over the whole file, and the reopened store takes new decisions.</li>
 * </ul>
 */
class SqliteCrashSafetyTest {
    /** Both JVMs read this instant, so the counters read after the reopen are those of the period the load wrote. */
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final int THREADS = 8;
    private static final int DECISIONS_BEFORE_KILL = 2_000;
    private static final long LOAD_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    /** A decision line of the child: a decision that authorize had returned. */
    record Printed(String auditId, String agentId, long tokens, boolean allowed) {
    }

    /** The child's complete lines, and the tail the kill cut off before its newline (maybe empty). */
    record Output(List<String> lines, String cutOff) {
    }

    /** One of the child's policies and the agents it applies to. */
    record Policy(String label, String id, Set<String> agents) {
    }

    @Test
    void decisionsReturnedBeforeAKillNineAreAuditedAndCountedAndTheCountersMatchTheAudit() throws Exception {
        Path db = dir.resolve("crash.db");
        Path childErr = dir.resolve("child-stderr.txt");
        // The child gets this JVM's default zone, so a run under a non-UTC zone covers the writer as well.
        List<String> command = ForkedJvm.command(CrashLoadMain.class,
                List.of("-Xmx256m", "-Duser.timezone=" + TimeZone.getDefault().getID()),
                List.of(db.toString(), NOW.toString(), Integer.toString(THREADS)));
        long started = System.nanoTime();
        // To a file, not a pipe: what the child flushed before the kill is in the file whatever the
        // timing, where reading a pipe races with the JDK draining and closing it when the child dies.
        Path childOut = dir.resolve("child-stdout.txt");
        Process child = new ProcessBuilder(command).redirectOutput(childOut.toFile()).redirectError(childErr.toFile())
                .start();
        Output output;
        long loadMillis;
        try {
            long deadline = started + TimeUnit.SECONDS.toNanos(LOAD_TIMEOUT_SECONDS);
            long readyNanos = 0;
            int decisions = 0;
            while (decisions < DECISIONS_BEFORE_KILL && child.isAlive() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
                Output sofar = read(childOut);
                if (readyNanos == 0 && !sofar.lines().isEmpty()) {
                    readyNanos = System.nanoTime();
                }
                decisions = (int) sofar.lines().stream().filter(l -> l.startsWith("aud_")).count();
            }
            // Checked before the kill: a child that had already stopped would make this a test of a clean exit.
            assertThat(child.isAlive()).as("the child is still running its load; decisions read %d, stderr:%n%s",
                    decisions, stderr(childErr)).isTrue();
            assertThat(decisions).as("decisions within %d s; stderr:%n%s", LOAD_TIMEOUT_SECONDS, stderr(childErr))
                    .isGreaterThanOrEqualTo(DECISIONS_BEFORE_KILL);

            long pid = child.pid();
            loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyNanos);
            // On Linux (and other POSIX systems) destroyForcibly() is kill(pid, SIGKILL), that is kill -9:
            // no shutdown hook, finally block or close() runs in the child, and its SQLite connections
            // vanish mid-transaction with the WAL not checkpointed.
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child died").isTrue();
            assertThat(child.exitValue()).as("exit status 128 + 9: the child was killed by SIGKILL").isEqualTo(128 + 9);
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %d after the kill", pid).isEmpty();
            output = read(childOut);
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        long killedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        List<String> lines = output.lines();
        assertThat(lines).as("the child's output; stderr:%n%s", stderr(childErr)).isNotEmpty();
        Map<String, String> ids = ready(lines.get(0));
        List<Printed> printed = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("ERROR")) {
                fail("a call threw in the child: " + line + "\nstderr:\n" + stderr(childErr));
            }
            String[] fields = line.split(" ");
            assertThat(fields).as("decision line <%s>", line).hasSize(4);
            printed.add(new Printed(fields[0], fields[1], Long.parseLong(fields[2]), Boolean.parseBoolean(fields[3])));
        }
        assertThat(printed).as("decisions printed before the kill").hasSizeGreaterThanOrEqualTo(DECISIONS_BEFORE_KILL);
        assertThat(printed).as("decisions printed (no limit is reachable)").allMatch(Printed::allowed);

        String a0 = ids.get("a0");
        String a1 = ids.get("a1");
        String b0 = ids.get("b0");
        List<Policy> policies = List.of(
                new Policy("agent a0", ids.get("agentPolicy"), Set.of(a0)),
                new Policy("user alice", ids.get("userPolicy"), Set.of(a0, a1)),
                new Policy("global", ids.get("globalPolicy"), Set.of(a0, a1, b0)));

        long reopened = System.nanoTime();
        try (Kavach kavach = Kavach.builder().store(SqliteStore.open(db)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
            Map<String, AuditEntry> audited = decisionEntries(kavach);

            // Durability: every returned decision is in the file as it was returned.
            List<String> problems = new ArrayList<>();
            for (Printed p : printed) {
                AuditEntry entry = audited.get(p.auditId());
                if (entry == null) {
                    problems.add(p + ": no audit entry");
                } else if (!p.agentId().equals(entry.agentId()) || !Long.valueOf(p.tokens()).equals(entry.tokensCost())
                        || (entry.result() == AuditResult.ALLOWED) != p.allowed()) {
                    problems.add(p + ": audited as agent " + entry.agentId() + ", tokens " + entry.tokensCost() + ", "
                            + entry.result());
                }
            }
            assertThat(problems).as("returned decisions lost or altered (%d of %d); the first: %s", problems.size(),
                    printed.size(), problems.subList(0, Math.min(5, problems.size()))).isEmpty();
            int unreturned = audited.size() - printed.size();
            // Each thread waits for its own call, so at most one committed decision per thread was never printed.
            assertThat(unreturned).as("decisions in the file that the child had not printed").isBetween(0, THREADS);
            assertThat(audited.values()).as("audited decisions (no limit is reachable)")
                    .allMatch(e -> e.result() == AuditResult.ALLOWED);

            // Exactness: the counters hold what the audit log says was allowed, no more and no less.
            for (Policy policy : policies) {
                long printedTokens = printed.stream().filter(p -> p.allowed() && policy.agents().contains(p.agentId()))
                        .mapToLong(Printed::tokens).sum();
                List<AuditEntry> applicable = audited.values().stream()
                        .filter(e -> e.result() == AuditResult.ALLOWED && policy.agents().contains(e.agentId())).toList();
                PolicyUsage fromAudit = new PolicyUsage(applicable.stream().mapToLong(AuditEntry::tokensCost).sum(),
                        applicable.size(), 0);
                PolicyCounters counters = kavach.policy().counters(policy.id());
                assertThat(counters.dayPeriod()).as("day of the counters of %s", policy.label()).isEqualTo("D:2026-03-10");
                assertThat(counters.day().tokensCost()).as("tokens counted by %s, against the returned decisions",
                        policy.label()).isGreaterThanOrEqualTo(printedTokens);
                assertThat(counters.day()).as("day counters of %s, against its allowed audit entries", policy.label())
                        .isEqualTo(fromAudit);
                assertThat(counters.month()).as("month counters of %s", policy.label()).isEqualTo(counters.day());
            }

            AuditVerification verification = kavach.audit().verify();
            assertThat(verification.ok()).as("hash chain after the kill: %s", verification.message()).isTrue();
            assertThat(verification.checked()).as("entries checked").isGreaterThan(audited.size());

            // The torn end left nothing that blocks writers: the reopened store appends to the same chain.
            Decision after = kavach.authorize(a0, AuthorizeRequest.builder(BudgetLoadMain.ACTION, BudgetLoadMain.RESOURCE)
                    .tokensCost(1L).build());
            KavachAssertions.assertThat(after).isAllowed().isAudited();
            AuditVerification again = kavach.audit().verify();
            assertThat(again.ok()).as("hash chain after a new decision: %s", again.message()).isTrue();
            assertThat(again.checked()).isEqualTo(verification.checked() + 1);

            System.out.printf("crash-test: killed after %d ms, %d ms into the load (zone %s), with %d decisions returned (%d tokens),"
                            + " %d in the file (%d committed but not returned), %d entries in the chain; checks took %d ms%n",
                    killedAfterMillis, loadMillis, TimeZone.getDefault().getID(), printed.size(),
                    printed.stream().mapToLong(Printed::tokens).sum(), audited.size(), unreturned, verification.checked(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - reopened));
            if (!output.cutOff().isEmpty()) {
                System.out.println("crash-test: line cut off by the kill, ignored: " + output.cutOff());
            }
        }
    }

    /** {@code READY key=value ...} into a map. */
    private static Map<String, String> ready(String line) {
        assertThat(line).as("the child's first line").startsWith("READY ");
        Map<String, String> ids = new LinkedHashMap<>();
        for (String field : line.substring("READY ".length()).split(" ")) {
            int eq = field.indexOf('=');
            ids.put(field.substring(0, eq), field.substring(eq + 1));
        }
        assertThat(ids).containsOnlyKeys("agentPolicy", "userPolicy", "globalPolicy", "a0", "a1", "b0");
        return ids;
    }

    /** Every decision entry of the load, by id, read page by page through the public audit API. */
    private static Map<String, AuditEntry> decisionEntries(Kavach kavach) {
        Map<String, AuditEntry> entries = new HashMap<>();
        AuditFilter filter = AuditFilter.all().withActions(BudgetLoadMain.ACTION).withLimit(AuditFilter.MAX_LIMIT);
        String cursor = null;
        do {
            AuditPage page = kavach.audit().page(cursor == null ? filter : filter.after(cursor));
            for (AuditEntry entry : page.entries()) {
                assertThat(entries.put(entry.id(), entry)).as("entry %s on two pages", entry.id()).isNull();
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return entries;
    }

    private static String stderr(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(none)";
    }

    /** The child's output so far: its complete lines, and a last line still without its newline. */
    private static Output read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1;
        List<String> lines = end == 0 ? List.of() : List.of(text.substring(0, end - 1).split("\n", -1));
        return new Output(lines, text.substring(end));
    }
}
