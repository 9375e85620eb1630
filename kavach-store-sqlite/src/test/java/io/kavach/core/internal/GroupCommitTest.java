package io.kavach.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.Ids;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyScope;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.model.UsageReservation;
import io.kavach.spi.StoreSession;
import io.kavach.store.sqlite.SqliteStore;
import io.kavach.testkit.Concurrently;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GroupCommit} on a real SQLite file: concurrent units share transactions, yet each caller
 * gets its own result or its own exception, and no increment is lost or applied twice. (In this
 * module's test sources because the class is internal to kavach-core, whose tests use no database.)
 */
class GroupCommitTest {
    private static final int THREADS = 16;
    private static final int UNITS_PER_THREAD = 200;
    private static final String DAY = "D:2026-03-10";
    private static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z");

    @TempDir
    Path dir;

    private SqliteStore store;
    private GroupCommit commits;
    private String policyId;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("group.db"));
        commits = new GroupCommit(store);
        policyId = Ids.generator(Clock.systemUTC()).next(Ids.POLICY);
        store.write(s -> {
            s.policies().insert(new BudgetPolicy(policyId, PolicyScope.global(),
                    BudgetLimits.builder().maxTokensCostPerDay(1_000_000).build(), PolicyAction.BLOCK,
                    PolicyStatus.ACTIVE, null, T0, T0));
            return null;
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void concurrentUnitsCommitInSharedTransactionsAndEachCallerGetsItsOwnResult() throws Exception {
        long before = store.write(StoreSession::writeSequence);

        List<List<Long>> results = Concurrently.run(THREADS, thread -> {
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < UNITS_PER_THREAD; i++) {
                long unit = thread * 1_000L + i;
                mine.add(commits.run(s -> {
                    // Read through the cache, then add: a lost or repeated increment would show in the total.
                    s.policies().usage(policyId, DAY);
                    s.policies().addUsage(policyId, DAY, new PolicyUsage(1, 1, 0));
                    return unit;
                }));
            }
            return mine;
        });

        for (int thread = 0; thread < THREADS; thread++) {
            long first = thread * 1_000L;
            assertThat(results.get(thread)).hasSize(UNITS_PER_THREAD)
                    .allSatisfy(unit -> assertThat(unit).isBetween(first, first + UNITS_PER_THREAD - 1))
                    .doesNotHaveDuplicates();
        }
        int units = THREADS * UNITS_PER_THREAD;
        assertThat(usage()).isEqualTo(new PolicyUsage(units, units, 0));
        long transactions = store.write(StoreSession::writeSequence) - before - 1;
        assertThat(transactions).as("write transactions for %d units", units).isLessThan(units);
    }

    @Test
    void aUnitThatThrowsFailsOnlyItsOwnCallerAndLeavesNoTrace() throws Exception {
        List<Object> outcomes = Concurrently.run(THREADS, thread -> {
            List<Object> mine = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int unit = i;
                boolean fails = (thread + i) % 5 == 0;
                try {
                    mine.add(commits.run(s -> {
                        s.policies().addUsage(policyId, DAY, new PolicyUsage(1, 1, 0));
                        if (fails) {
                            throw new IllegalArgumentException("unit " + thread + "/" + unit);
                        }
                        return "ok";
                    }));
                } catch (IllegalArgumentException e) {
                    assertThat(fails).as("only a failing unit's caller sees an exception").isTrue();
                    mine.add(e);
                }
            }
            return mine;
        }).stream().flatMap(o -> ((List<?>) o).stream()).map(Object.class::cast).toList();

        long failed = outcomes.stream().filter(IllegalArgumentException.class::isInstance).count();
        long succeeded = outcomes.stream().filter("ok"::equals).count();
        assertThat(failed).isEqualTo(THREADS * 50 / 5);
        assertThat(succeeded + failed).isEqualTo(THREADS * 50);
        assertThat(usage()).isEqualTo(new PolicyUsage(succeeded, succeeded, 0));
    }

    @Test
    void aWriteOutsideTheGroupCommitIsSeenByTheNextUnitDespiteTheCache() {
        commits.run(s -> {
            s.policies().addUsage(policyId, DAY, new PolicyUsage(5, 1, 0));
            return null;
        });
        assertThat(usageThroughTheCache()).isEqualTo(new PolicyUsage(5, 1, 0));

        store.write(s -> {
            s.policies().addUsage(policyId, DAY, new PolicyUsage(100, 1, 0));
            return null;
        });

        assertThat(usageThroughTheCache()).isEqualTo(new PolicyUsage(105, 2, 0));
    }

    @Test
    void aRolledBackUnitLeavesNothingInTheCache() {
        try {
            commits.run(s -> {
                s.policies().addUsage(policyId, DAY, new PolicyUsage(7, 1, 0));
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("rolled back");
        }

        assertThat(usageThroughTheCache()).isEqualTo(PolicyUsage.ZERO);
    }

    @Test
    void aUnitReadsAndUpdatesTheReservationItBufferedAsTheStoreWould() {
        String usageId = Ids.generator(Clock.systemUTC()).next(Ids.AUDIT);
        UsageReservation reserved = new UsageReservation(usageId, "agt_x", List.of(policyId), DAY, "M:2026-03", 10, T0,
                null);
        UsageReservation settled = new UsageReservation(usageId, "agt_x", List.of(policyId), DAY, "M:2026-03", 7, T0,
                T0.plusSeconds(1));

        Optional<UsageReservation> seen = commits.run(s -> {
            s.policies().insertReservation(reserved);
            Optional<UsageReservation> found = s.policies().findReservation(usageId);
            assertThat(s.policies().updateReservation(settled)).isTrue();
            return found;
        });

        assertThat(seen).contains(reserved);
        Optional<UsageReservation> stored = store.read(s -> s.policies().findReservation(usageId));
        assertThat(stored).contains(settled);
    }

    private PolicyUsage usageThroughTheCache() {
        return commits.run(s -> s.policies().usage(policyId, DAY));
    }

    private PolicyUsage usage() {
        return store.read(s -> s.policies().usage(policyId, DAY));
    }
}
