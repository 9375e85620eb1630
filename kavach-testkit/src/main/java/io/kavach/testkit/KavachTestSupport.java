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

    /** Runs {@code task} on {@code threads} threads released together; returns the results in thread order. */
    protected static <T> List<T> runConcurrently(int threads, Concurrently.Task<T> task) throws Exception {
        return Concurrently.run(threads, task);
    }
}
