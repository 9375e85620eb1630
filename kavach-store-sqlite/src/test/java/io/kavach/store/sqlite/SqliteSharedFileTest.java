package io.kavach.store.sqlite;

import static io.kavach.testkit.KavachAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.agent.AgentFilter;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.audit.AuditFilter;
import io.kavach.error.AgentLimitExceededException;
import io.kavach.model.Constraints;
import io.kavach.model.DecisionCode;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.testkit.Concurrently;
import io.kavach.testkit.MutableClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Kavach instances, each with its own SqliteStore, on one database file. */
class SqliteSharedFileTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-03-10T10:00:00Z");
    private Kavach first;
    private Kavach second;

    @BeforeEach
    void open() {
        Path file = dir.resolve("shared.db");
        first = Kavach.builder().store(SqliteStore.open(file)).clock(clock).maxActiveAgentsPerOwner(3).build();
        second = Kavach.builder().store(SqliteStore.open(file)).clock(clock).maxActiveAgentsPerOwner(3).build();
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    @Test
    void twentyCallsThroughTwoInstancesAgainstALimitOfFiveAllowExactlyFive() throws Exception {
        String id = first.agents().create(CreateAgentRequest.builder("alice", "bot")
                .permission(Permission.of("api:search", "call").withConstraints(Constraints.builder().maxCallsPerHour(5).build()))
                .build()).agent().id();
        List<Decision> decisions = Concurrently.run(20, i -> (i % 2 == 0 ? first : second).authorize(id, "call", "api:search"));
        assertThat(decisions).filteredOn(Decision::allowed).hasSize(5);
        assertThat(decisions).filteredOn(d -> d.code() == DecisionCode.RATE_LIMITED).hasSize(15);
        assertThat(second.audit().query(AuditFilter.forAgent(id))).filteredOn(e -> e.action().equals("call")).hasSize(20);
    }

    @Test
    void thePerOwnerCapHoldsAcrossInstances() throws Exception {
        List<Object> outcomes = Concurrently.run(12, i -> {
            try {
                return (i % 2 == 0 ? first : second).agents().create(CreateAgentRequest.builder("owner", "bot-" + i).build());
            } catch (AgentLimitExceededException e) {
                return e;
            }
        });
        assertThat(outcomes).filteredOn(AgentLimitExceededException.class::isInstance).hasSize(9);
        assertThat(first.agents().list(AgentFilter.byOwner("owner"))).hasSize(3);
    }

    @Test
    void aRevocationThroughOneInstanceIsObeyedByTheOtherOnItsNextCall() {
        String id = first.agents().create(CreateAgentRequest.builder("alice", "bot").permission("x", "read").build()).agent().id();
        assertThat(second.authorize(id, "read", "x")).isAllowed();
        first.agents().revoke(id);
        assertThat(second.authorize(id, "read", "x")).isDenied().hasCode(DecisionCode.AGENT_REVOKED);
    }

    @Test
    void aPolicyCreatedThroughOneInstanceBindsTheOthersNextCall() {
        String id = first.agents().create(CreateAgentRequest.builder("alice", "bot").permission("x", "read").build()).agent().id();
        assertThat(second.authorize(id, AuthorizeRequest.builder("read", "x").tokensCost(10).build())).isAllowed();

        first.policy().create(CreatePolicyRequest.forAgent(id).maxTokensCostPerDay(5).action(PolicyAction.BLOCK).build());

        assertThat(second.authorize(id, AuthorizeRequest.builder("read", "x").tokensCost(10).build()))
                .isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED);
    }

    @Test
    void twoKavachInstancesOnOneStoreObjectSeeEachOthersRevocations() {
        SqliteStore store = SqliteStore.open(dir.resolve("one-store.db"));
        try (Kavach a = Kavach.builder().store(store).clock(clock).build();
             Kavach b = Kavach.builder().store(store).clock(clock).build()) {
            String id = a.agents().create(CreateAgentRequest.builder("alice", "bot").permission("x", "read").build()).agent().id();
            assertThat(b.authorize(id, "read", "x")).isAllowed();
            assertThat(a.authorize(id, "read", "x")).isAllowed();

            a.agents().revoke(id);

            assertThat(b.authorize(id, "read", "x")).isDenied().hasCode(DecisionCode.AGENT_REVOKED);
        }
    }

    @Test
    void countersRaisedThroughOneInstanceAreSeenByTheOthersNextCall() {
        String id = first.agents().create(CreateAgentRequest.builder("alice", "bot").permission("x", "read").build()).agent().id();
        first.policy().create(CreatePolicyRequest.forAgent(id).maxTokensCostPerDay(100).action(PolicyAction.BLOCK).build());
        assertThat(second.authorize(id, AuthorizeRequest.builder("read", "x").tokensCost(60).build())).isAllowed();

        assertThat(first.authorize(id, AuthorizeRequest.builder("read", "x").tokensCost(30).build())).isAllowed();

        assertThat(second.authorize(id, AuthorizeRequest.builder("read", "x").tokensCost(20).build()))
                .isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED);
    }
}
