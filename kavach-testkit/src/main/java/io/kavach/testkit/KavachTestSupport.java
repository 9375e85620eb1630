package io.kavach.testkit;

import io.kavach.Kavach;
import io.kavach.agent.AgentCredentials;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.audit.AuditFilter;
import io.kavach.model.AuditEntry;
import io.kavach.model.Constraints;
import io.kavach.model.Permission;
import io.kavach.spi.KavachStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the behaviour contracts share: a Kavach on a new store per test, with a {@link MutableClock}
 * at {@link #START}, and helpers for agents, audit reads and concurrent runs.
 */
public abstract class KavachTestSupport {
    /** A Tuesday morning, UTC. */
    protected static final Instant START = Instant.parse("2026-03-10T10:00:00Z");

    protected MutableClock clock;
    protected Kavach kavach;
    private final List<Kavach> opened = new ArrayList<>();

    /** A new, empty store. The kit closes it (through Kavach) after each test. */
    protected abstract KavachStore newStore();

    @BeforeEach
    void openKavach() {
        clock = MutableClock.at(START);
        kavach = open(Kavach.builder());
    }

    @AfterEach
    void closeKavach() {
        opened.forEach(Kavach::close);
    }

    /** Builds a Kavach on a new store with the test clock, closed after the test. */
    protected Kavach open(Kavach.Builder builder) {
        Kavach built = builder.store(newStore()).clock(clock).build();
        opened.add(built);
        return built;
    }

    protected AgentCredentials create(String owner, Permission... permissions) {
        return kavach.agents().create(CreateAgentRequest.builder(owner, "agent of " + owner)
                .permissions(List.of(permissions)).build());
    }

    protected String agent(String owner, Permission... permissions) {
        return create(owner, permissions).agent().id();
    }

    protected List<AuditEntry> auditOf(String agentId) {
        return kavach.audit().query(AuditFilter.forAgent(agentId).withLimit(10_000));
    }

    protected static Permission limited(String resource, Constraints constraints, String... actions) {
        return Permission.of(resource, actions).withConstraints(constraints);
    }

    /** Runs {@code task} on {@code threads} threads released together; returns the results in task order. */
    protected static <T> List<T> runConcurrently(int threads, TaskWithIndex<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger index = new AtomicInteger();
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> call = () -> {
                    int mine = index.getAndIncrement();
                    ready.countDown();
                    go.await();
                    return task.run(mine);
                };
                futures.add(pool.submit(call));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A task that knows its index among the concurrent ones. */
    @FunctionalInterface
    protected interface TaskWithIndex<T> {
        T run(int index) throws Exception;
    }
}
