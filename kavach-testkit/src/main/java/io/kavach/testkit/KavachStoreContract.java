package io.kavach.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kavach.error.KavachException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;
import io.kavach.model.Approval;
import io.kavach.model.ApprovalStatus;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.Constraints;
import io.kavach.model.CostEvent;
import io.kavach.model.DelegationChain;
import io.kavach.model.DelegationStatus;
import io.kavach.model.Ids;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyScope;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.model.ResourcePattern;
import io.kavach.model.UsageReservation;
import io.kavach.spi.AgentQuery;
import io.kavach.spi.AuditQuery;
import io.kavach.spi.AuditStore.AuditCheckpoint;
import io.kavach.spi.CostStore.AgentTotal;
import io.kavach.spi.CostStore.CostSlice;
import io.kavach.spi.CostStore.CostSummary;
import io.kavach.spi.CostStore.DayTotal;
import io.kavach.spi.CostStore.ToolTotal;
import io.kavach.spi.CostStore.Totals;
import io.kavach.spi.DelegationQuery;
import io.kavach.spi.KavachStore;
import io.kavach.spi.PolicyQuery;
import io.kavach.spi.PolicyStore;
import io.kavach.spi.RateLimitStore.RateWindow;
import io.kavach.spi.StoreSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link KavachStore} keeps, as one JUnit 5 suite. A store module tests itself
 * by extending this class and returning a fresh, empty store from {@link #newStore()}:
 *
 * <pre>{@code
 * class MyStoreContractTest extends KavachStoreContract {
 *     @Override
 *     protected KavachStore newStore() {
 *         return MyStore.open(...);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets its own store, closed after the test. The tests go through the SPI only and
 * build every value, timestamps included, explicitly (at millisecond precision, the precision
 * stores keep). Agents are inserted before what refers to them, so stores may enforce references.
 */
public abstract class KavachStoreContract {
    /** The moment around which the tests place their timestamps. */
    protected static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    /** Every kind of constraint at once. */
    protected static final Permission CONSTRAINED = new Permission(
            ResourcePattern.of("tool:github:*"),
            Set.of("write", "read"),
            Constraints.builder()
                    .maxCallsPerHour(100)
                    .allowedArgPatterns("repo-*", "issue-??")
                    .requireApproval(true)
                    .timeWindow("22:00-06:00", "Europe/Berlin")
                    .ipAllowlist("10.0.0.0/8", "192.168.1.7", "2001:db8::/32")
                    .build());
    /** Every action on every resource. */
    protected static final Permission EVERYTHING = Permission.of("**", "*");
    /** A plain grant with only a rate limit. */
    protected static final Permission RATE_LIMITED = Permission.of("db:orders:**", "read", "list")
            .withConstraints(Constraints.builder().maxCallsPerHour(5).build());

    /** Free-form data of every JSON kind: strings, ints, longs, decimals, booleans, lists and maps. */
    protected static final Map<String, Object> METADATA = Map.of(
            "team", "payments",
            "replicas", 3,
            "budget", 10_000_000_000L,
            "ratio", 1.5,
            "enabled", true,
            "tags", List.of("a", "b"),
            "owner", Map.of("name", "Ana", "level", 7, "roles", List.of("admin")));

    /** Ids from a fixed clock: they increase by one per call, so they sort in creation order. */
    private final Ids ids = Ids.generator(Clock.fixed(T0, ZoneOffset.UTC));

    /** The store under test, fresh for each test. */
    protected KavachStore store;

    /** A new, empty store. The suite closes it after each test. */
    protected abstract KavachStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** Runs {@code work} as one write unit. */
    protected void write(Consumer<StoreSession> work) {
        store.write(session -> {
            work.accept(session);
            return null;
        });
    }

    /** Runs {@code work} as one read unit and returns its result. */
    protected <T> T read(Function<StoreSession, T> work) {
        return store.read(work);
    }

    /** {@link #read} for work that returns an optional (typed, for AssertJ's overloads). */
    protected <T> Optional<T> readOptional(Function<StoreSession, Optional<T>> work) {
        return store.read(work);
    }

    /** {@link #read} for work that returns a list. */
    protected <T> List<T> readList(Function<StoreSession, List<T>> work) {
        return store.read(work);
    }

    /** {@link #write} for work that returns a flag (typed, for AssertJ's overloads). */
    protected boolean writeBoolean(Predicate<StoreSession> work) {
        return store.write(work::test);
    }

    /** {@link #write} for work that returns a number. */
    protected int writeInt(ToIntFunction<StoreSession> work) {
        return store.write(work::applyAsInt);
    }

    /** {@link #read} for work that returns a number. */
    protected int readInt(ToIntFunction<StoreSession> work) {
        return store.read(work::applyAsInt);
    }

    protected String newId(String prefix) {
        return ids.next(prefix);
    }

    /** The SHA-256 of {@code token} in lower-case hex, as Kavach stores token hashes. */
    protected static String sha256(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token hash the helpers store for an agent: that of a token derived from its id. */
    protected static String tokenHashOf(String agentId) {
        return sha256("kv_token_of_" + agentId);
    }

    /** An active autonomous agent of {@code ownerId}, without tenant, expiry or activity. */
    protected Agent agent(String ownerId) {
        return agent(ownerId, null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null);
    }

    protected Agent agent(String ownerId, String tenantId, AgentType type, AgentStatus status, Instant expiresAt) {
        return new Agent(newId(Ids.AGENT), ownerId, tenantId, "agent of " + ownerId, type, status,
                List.of(RATE_LIMITED), expiresAt, Map.of("purpose", "test"), "kv_abcdefgh", T0, T0, null);
    }

    /** Inserts {@code agent} with {@link #tokenHashOf its token hash} and returns it. */
    protected Agent insert(Agent agent) {
        write(s -> s.agents().insert(agent, tokenHashOf(agent.id())));
        return agent;
    }

    protected Agent insertAgent(String ownerId) {
        return insert(agent(ownerId));
    }

    protected DelegationChain chain(Agent from, Agent to, List<String> parents, DelegationStatus status,
            Instant expiresAt) {
        return new DelegationChain(newId(Ids.DELEGATION), from.id(), to.id(), List.of(RATE_LIMITED), parents,
                parents.isEmpty() ? 1 : 2, 3, status, expiresAt, T0, status == DelegationStatus.REVOKED ? T0 : null);
    }

    protected DelegationChain insert(DelegationChain chain) {
        write(s -> s.delegations().insert(chain));
        return chain;
    }

    protected Approval approval(Agent agent, String action, String resource, ApprovalStatus status,
            Instant requestedAt, Instant expiresAt) {
        boolean decided = status != ApprovalStatus.PENDING;
        return new Approval(newId(Ids.APPROVAL), agent.id(), action, resource, status, requestedAt,
                decided ? requestedAt.plusSeconds(1) : null, decided ? "reviewer-1" : null, expiresAt,
                status == ApprovalStatus.CONSUMED ? requestedAt.plusSeconds(2) : null);
    }

    protected Approval insert(Approval approval) {
        write(s -> s.approvals().insert(approval));
        return approval;
    }

    protected AuditEntry auditEntry(String agentId, Instant timestamp) {
        return auditEntry(agentId, timestamp, "read", "db:orders:1", AuditResult.ALLOWED, "ALLOWED");
    }

    /**
     * An entry of user-1 with these fields. Its previous hash is {@link AuditEntry#GENESIS} and its
     * hash that of its id: a store keeps hashes as given, so any 64 hex digits do.
     */
    protected AuditEntry auditEntry(String agentId, Instant timestamp, String action, String resource,
            AuditResult result, String code) {
        String id = newId(Ids.AUDIT);
        return new AuditEntry(id, timestamp, agentId, "user-1", null, action, resource, result, code,
                "allowed by db:orders:**", null, 42, null, List.of(), null, null, Map.of(), AuditEntry.GENESIS,
                sha256(id));
    }

    protected AuditEntry append(AuditEntry entry) {
        write(s -> s.audit().append(entry));
        return entry;
    }

    /**
     * Appends {@code entry} after the log's head in one write unit, as the audit log does: its
     * previous hash is the head's (or {@link AuditEntry#GENESIS}), its hash one derived from that
     * and its id. Returns the entry as appended.
     */
    protected AuditEntry appendChained(AuditEntry entry) {
        return store.write(s -> {
            String previous = s.audit().headHash().orElse(AuditEntry.GENESIS);
            AuditEntry chained = entry.chained(previous, sha256(previous + entry.id()));
            s.audit().append(chained);
            return chained;
        });
    }

    /** An active BLOCK policy on {@code scope} with a daily token limit, created and updated at T0. */
    protected BudgetPolicy policy(PolicyScope scope) {
        return policy(scope, PolicyStatus.ACTIVE);
    }

    /** As {@link #policy(PolicyScope)}, in {@code status}; a triggered one is triggered until T0 + 1 day. */
    protected BudgetPolicy policy(PolicyScope scope, PolicyStatus status) {
        return new BudgetPolicy(newId(Ids.POLICY), scope, BudgetLimits.builder().maxTokensCostPerDay(1_000).build(),
                PolicyAction.BLOCK, status, status == PolicyStatus.TRIGGERED ? T0.plus(Duration.ofDays(1)) : null,
                T0, T0);
    }

    protected BudgetPolicy insert(BudgetPolicy policy) {
        write(s -> s.policies().insert(policy));
        return policy;
    }

    /** An unsettled reservation of {@code tokensCost} on {@code policyIds}, in March 2026, made at T0. */
    protected UsageReservation reservation(Agent agent, List<String> policyIds, long tokensCost) {
        return new UsageReservation(newId(Ids.AUDIT), agent.id(), policyIds, "D:2026-03-10", "M:2026-03", tokensCost,
                T0, null);
    }

    /**
     * A cost event of {@code agent} (with its owner and tenant) at {@code timestamp}, whose day is
     * the timestamp's in UTC: 10 input and 20 output tokens, metadata and no delegation chain.
     */
    protected CostEvent costEvent(Agent agent, Instant timestamp, String tool, long costMicros, String currency) {
        return costEvent(agent, timestamp, tool, costMicros, currency, null);
    }

    /** As {@link #costEvent(Agent, Instant, String, long, String)}, attributed to {@code chainId}. */
    protected CostEvent costEvent(Agent agent, Instant timestamp, String tool, long costMicros, String currency,
            String chainId) {
        return new CostEvent(newId(Ids.COST_EVENT), timestamp, utcDay(timestamp), agent.id(), agent.ownerId(),
                agent.tenantId(), tool, 10, 20, costMicros, currency, Map.of("model", tool), chainId);
    }

    /** The ISO date of {@code instant} in UTC, such as {@code 2025-03-01}. */
    protected static String utcDay(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    protected CostEvent insert(CostEvent event) {
        write(s -> s.costs().insert(event));
        return event;
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Agents {

        @Test
        void anInsertedAgentReadsBackWithEveryField() {
            Agent agent = new Agent(newId(Ids.AGENT), "user-1", "tenant-1", "Researcher", AgentType.SERVICE,
                    AgentStatus.ACTIVE, List.of(CONSTRAINED, EVERYTHING, RATE_LIMITED), T0.plus(Duration.ofDays(30)),
                    METADATA, "kv_AbC-dEf_1", T0, T0.plusMillis(1), T0.plusMillis(2));
            insert(agent);

            assertThat(readOptional(s -> s.agents().find(agent.id()))).contains(agent);
            Agent stored = read(s -> s.agents().find(agent.id())).orElseThrow();
            assertThat(stored.permissions()).containsExactly(CONSTRAINED, EVERYTHING, RATE_LIMITED);
            assertThat(stored.permissions().get(0).constraints()).isEqualTo(CONSTRAINED.constraints());
            assertThat(stored.metadata()).isEqualTo(METADATA);
        }

        @Test
        void optionalFieldsReadBackAsNullAndEmptyCollectionsAsEmpty() {
            Agent agent = new Agent(newId(Ids.AGENT), "user-1", null, "Bare", AgentType.DELEGATED, AgentStatus.REVOKED,
                    List.of(), null, Map.of(), "kv_00000000", T0, T0, null);
            insert(agent);

            Agent stored = read(s -> s.agents().find(agent.id())).orElseThrow();
            assertThat(stored).isEqualTo(agent);
            assertThat(stored.tenantId()).isNull();
            assertThat(stored.expiresAt()).isNull();
            assertThat(stored.lastActiveAt()).isNull();
            assertThat(stored.permissions()).isEmpty();
            assertThat(stored.metadata()).isEmpty();
        }

        @Test
        void findOfAnUnknownIdIsEmpty() {
            insertAgent("user-1");

            assertThat(readOptional(s -> s.agents().find(newId(Ids.AGENT)))).isEmpty();
        }

        @Test
        void findByTokenHashFindsTheAgentHoldingThatToken() {
            Agent first = insertAgent("user-1");
            Agent second = insertAgent("user-1");

            assertThat(readOptional(s -> s.agents().findByTokenHash(tokenHashOf(first.id())))).contains(first);
            assertThat(readOptional(s -> s.agents().findByTokenHash(tokenHashOf(second.id())))).contains(second);
            assertThat(readOptional(s -> s.agents().findByTokenHash(sha256("unknown")))).isEmpty();
        }

        @Test
        void insertingAnExistingIdFailsWithAKavachException() {
            Agent agent = insertAgent("user-1");
            Agent sameId = new Agent(agent.id(), "user-2", null, "copy", AgentType.AUTONOMOUS, AgentStatus.ACTIVE,
                    List.of(), null, Map.of(), "kv_11111111", T0, T0, null);

            Throwable thrown = catchThrowable(() -> write(s -> s.agents().insert(sameId, sha256("other token"))));

            assertThat(thrown).isInstanceOf(KavachException.class);
            assertThat(readOptional(s -> s.agents().find(agent.id()))).contains(agent);
            assertThat(readOptional(s -> s.agents().findByTokenHash(sha256("other token")))).isEmpty();
        }

        @Test
        void updateReplacesTheMutableFieldsAndKeepsTheOthers() {
            Agent original = insert(new Agent(newId(Ids.AGENT), "user-1", "tenant-1", "Before", AgentType.AUTONOMOUS,
                    AgentStatus.ACTIVE, List.of(RATE_LIMITED), null, Map.of("v", 1), "kv_original", T0, T0, null));
            Agent changed = new Agent(original.id(), "someone-else", "tenant-2", "After", AgentType.SERVICE,
                    AgentStatus.REVOKED, List.of(CONSTRAINED, EVERYTHING), T0.plus(Duration.ofHours(5)), METADATA,
                    "kv_notmine", T0.minusSeconds(99), T0.plusSeconds(10), T0.plusSeconds(9));

            boolean updated = store.write(s -> s.agents().update(changed));

            assertThat(updated).isTrue();
            Agent expected = new Agent(original.id(), "user-1", "tenant-1", "After", AgentType.AUTONOMOUS,
                    AgentStatus.REVOKED, List.of(CONSTRAINED, EVERYTHING), T0.plus(Duration.ofHours(5)), METADATA,
                    "kv_original", T0, T0.plusSeconds(10), T0.plusSeconds(9));
            assertThat(readOptional(s -> s.agents().find(original.id()))).contains(expected);
            assertThat(readOptional(s -> s.agents().findByTokenHash(tokenHashOf(original.id())))).contains(expected);
        }

        @Test
        void updateCanClearTheExpiryAndLastActivity() {
            Agent original = insert(new Agent(newId(Ids.AGENT), "user-1", null, "A", AgentType.AUTONOMOUS,
                    AgentStatus.ACTIVE, List.of(), T0.plusSeconds(60), Map.of(), "kv_original", T0, T0,
                    T0.plusSeconds(1)));
            Agent cleared = new Agent(original.id(), "user-1", null, "A", AgentType.AUTONOMOUS, AgentStatus.ACTIVE,
                    List.of(), null, Map.of(), "kv_original", T0, T0.plusSeconds(2), null);

            write(s -> s.agents().update(cleared));

            assertThat(readOptional(s -> s.agents().find(original.id()))).contains(cleared);
        }

        @Test
        void updateOfAnUnknownAgentReturnsFalseAndStoresNothing() {
            Agent ghost = agent("user-1");

            assertThat(writeBoolean(s -> s.agents().update(ghost))).isFalse();
            assertThat(readOptional(s -> s.agents().find(ghost.id()))).isEmpty();
        }

        @Test
        void updateTokenReplacesHashPrefixAndUpdateTime() {
            Agent agent = insertAgent("user-1");
            String newHash = sha256("kv_rotated");

            boolean updated = store.write(s -> s.agents().updateToken(agent.id(), newHash, "kv_rotated1",
                    T0.plusSeconds(30)));

            assertThat(updated).isTrue();
            Agent expected = new Agent(agent.id(), agent.ownerId(), agent.tenantId(), agent.name(), agent.type(),
                    agent.status(), agent.permissions(), agent.expiresAt(), agent.metadata(), "kv_rotated1",
                    agent.createdAt(), T0.plusSeconds(30), agent.lastActiveAt());
            assertThat(readOptional(s -> s.agents().findByTokenHash(newHash))).contains(expected);
            assertThat(readOptional(s -> s.agents().findByTokenHash(tokenHashOf(agent.id())))).isEmpty();
        }

        @Test
        void updateTokenOfAnUnknownAgentReturnsFalse() {
            insertAgent("user-1");

            assertThat(writeBoolean(s -> s.agents().updateToken(newId(Ids.AGENT), sha256("x"), "kv_xxxxxxxx", T0)))
                    .isFalse();
            assertThat(readOptional(s -> s.agents().findByTokenHash(sha256("x")))).isEmpty();
        }

        @Test
        void touchRecordsTheLastActivityAndNothingElse() {
            Agent agent = insertAgent("user-1");

            write(s -> s.agents().touch(agent.id(), T0.plusSeconds(5)));
            Agent once = read(s -> s.agents().find(agent.id())).orElseThrow();
            write(s -> s.agents().touch(agent.id(), T0.plusSeconds(7)));
            Agent twice = read(s -> s.agents().find(agent.id())).orElseThrow();

            assertThat(once.lastActiveAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(twice.lastActiveAt()).isEqualTo(T0.plusSeconds(7));
            assertThat(twice.updatedAt()).isEqualTo(agent.updatedAt());
            assertThat(new Agent(twice.id(), twice.ownerId(), twice.tenantId(), twice.name(), twice.type(),
                    twice.status(), twice.permissions(), twice.expiresAt(), twice.metadata(), twice.tokenPrefix(),
                    twice.createdAt(), twice.updatedAt(), null)).isEqualTo(agent);
        }

        @Test
        void listReturnsAgentsOrderedByIdFilteredByOwnerTenantAndType() {
            Agent a1 = insert(agent("user-1", "t-1", AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));
            Agent b1 = insert(agent("user-2", "t-1", AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));
            Agent a2 = insert(agent("user-1", "t-2", AgentType.SERVICE, AgentStatus.ACTIVE, null));
            Agent a3 = insert(agent("user-1", null, AgentType.SERVICE, AgentStatus.REVOKED, null));
            Agent b2 = insert(agent("user-2", "t-2", AgentType.DELEGATED, AgentStatus.ACTIVE, null));

            assertThat(list(null, null, null, null)).containsExactly(a1, b1, a2, a3, b2);
            assertThat(list("user-1", null, null, null)).containsExactly(a1, a2, a3);
            assertThat(list(null, "t-2", null, null)).containsExactly(a2, b2);
            assertThat(list(null, null, AgentType.SERVICE, null)).containsExactly(a2, a3);
            assertThat(list("user-1", "t-2", AgentType.SERVICE, null)).containsExactly(a2);
            assertThat(list("user-3", null, null, null)).isEmpty();
        }

        @Test
        void listPagesWithAfterIdAndLimit() {
            List<Agent> agents = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                agents.add(insertAgent("user-1"));
            }

            List<Agent> page1 = read(s -> s.agents().list(new AgentQuery("user-1", null, null, null, null, 2, T0)));
            List<Agent> page2 = read(s -> s.agents().list(
                    new AgentQuery("user-1", null, null, null, page1.get(1).id(), 2, T0)));
            List<Agent> page3 = read(s -> s.agents().list(
                    new AgentQuery("user-1", null, null, null, page2.get(1).id(), 2, T0)));
            List<Agent> page4 = read(s -> s.agents().list(
                    new AgentQuery("user-1", null, null, null, page3.get(0).id(), 2, T0)));

            assertThat(page1).containsExactly(agents.get(0), agents.get(1));
            assertThat(page2).containsExactly(agents.get(2), agents.get(3));
            assertThat(page3).containsExactly(agents.get(4));
            assertThat(page4).isEmpty();
        }

        @Test
        void listJudgesStatusAtAsOfWithExpiredDerivedFromTheExpiry() {
            Agent noExpiry = insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));
            Agent laterExpiry = insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE,
                    T0.plus(Duration.ofHours(1))));
            Agent expiresNow = insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE, T0));
            Agent expiredBefore = insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE,
                    T0.minus(Duration.ofHours(1))));
            Agent revoked = insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.REVOKED, null));
            Agent revokedAndExpired = insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.REVOKED,
                    T0.minus(Duration.ofHours(1))));

            assertThat(listAt(AgentStatus.ACTIVE, T0)).containsExactly(noExpiry, laterExpiry);
            assertThat(listAt(AgentStatus.EXPIRED, T0)).containsExactly(expiresNow, expiredBefore);
            assertThat(listAt(AgentStatus.REVOKED, T0)).containsExactly(revoked, revokedAndExpired);
            assertThat(listAt(null, T0)).hasSize(6);

            Instant later = T0.plus(Duration.ofHours(2));
            assertThat(listAt(AgentStatus.ACTIVE, later)).containsExactly(noExpiry);
            assertThat(listAt(AgentStatus.EXPIRED, later)).containsExactly(laterExpiry, expiresNow, expiredBefore);
            assertThat(listAt(AgentStatus.REVOKED, later)).containsExactly(revoked, revokedAndExpired);
        }

        @Test
        void listFiltersBeforeApplyingTheLimit() {
            for (int i = 0; i < 5; i++) {
                insert(agent("other", null, AgentType.AUTONOMOUS, AgentStatus.REVOKED, null));
            }
            Agent mine = insertAgent("mine");
            Agent expired = insert(agent("other", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE, T0));

            assertThat(readList(s -> s.agents().list(new AgentQuery("mine", null, null, null, null, 1, T0))))
                    .containsExactly(mine);
            assertThat(readList(s -> s.agents().list(
                    new AgentQuery(null, null, AgentStatus.ACTIVE, null, null, 1, T0))))
                    .containsExactly(mine);
            assertThat(readList(s -> s.agents().list(
                    new AgentQuery(null, null, AgentStatus.EXPIRED, null, null, 1, T0))))
                    .containsExactly(expired);
        }

        @Test
        void countActiveCountsTheOwnersStoredActiveUnexpiredAgents() {
            insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));
            insert(agent("user-1", "t-1", AgentType.SERVICE, AgentStatus.ACTIVE, T0.plus(Duration.ofHours(1))));
            insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE, T0));
            insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.REVOKED, null));
            insert(agent("user-2", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));

            assertThat(readInt(s -> s.agents().countActive("user-1", T0))).isEqualTo(2);
            assertThat(readInt(s -> s.agents().countActive("user-1", T0.minusMillis(1)))).isEqualTo(3);
            assertThat(readInt(s -> s.agents().countActive("user-1", T0.plus(Duration.ofHours(1))))).isEqualTo(1);
            assertThat(readInt(s -> s.agents().countActive("user-2", T0))).isEqualTo(1);
            assertThat(readInt(s -> s.agents().countActive("nobody", T0))).isZero();
        }

        private List<Agent> list(String ownerId, String tenantId, AgentType type, AgentStatus status) {
            return read(s -> s.agents().list(new AgentQuery(ownerId, tenantId, status, type, null, 100, T0)));
        }

        private List<Agent> listAt(AgentStatus status, Instant asOf) {
            return read(s -> s.agents().list(new AgentQuery("user-1", null, status, null, null, 100, asOf)));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Delegations {
        private Agent alice;
        private Agent bob;
        private Agent carol;

        @BeforeEach
        void agents() {
            alice = insertAgent("user-1");
            bob = insertAgent("user-1");
            carol = insertAgent("user-2");
        }

        @Test
        void anInsertedChainReadsBackWithEveryFieldAndItsParentsInOrder() {
            DelegationChain first = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600)));
            DelegationChain second = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600)));
            DelegationChain child = new DelegationChain(newId(Ids.DELEGATION), bob.id(), carol.id(),
                    List.of(CONSTRAINED, RATE_LIMITED), List.of(second.id(), first.id()), 2, 4,
                    DelegationStatus.ACTIVE, T0.plusSeconds(300), T0.plusMillis(5), null);
            insert(child);

            assertThat(readOptional(s -> s.delegations().find(child.id()))).contains(child);
            assertThat(readOptional(s -> s.delegations().find(child.id())).orElseThrow().parentChainIds())
                    .containsExactly(second.id(), first.id());
            assertThat(readOptional(s -> s.delegations().find(first.id()))).contains(first);
        }

        @Test
        void aRevokedChainReadsBackWithItsRevocationTime() {
            DelegationChain revoked = new DelegationChain(newId(Ids.DELEGATION), alice.id(), bob.id(),
                    List.of(EVERYTHING), List.of(), 1, 1, DelegationStatus.REVOKED, T0.plusSeconds(600), T0,
                    T0.plusSeconds(3));
            insert(revoked);

            assertThat(readOptional(s -> s.delegations().find(revoked.id()))).contains(revoked);
        }

        @Test
        void findOfAnUnknownIdIsEmpty() {
            insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600)));

            assertThat(readOptional(s -> s.delegations().find(newId(Ids.DELEGATION)))).isEmpty();
        }

        @Test
        void listReturnsChainsOrderedByIdFilteredByFromAndTo() {
            DelegationChain ab = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600)));
            DelegationChain bc = insert(chain(bob, carol, List.of(ab.id()),
                    DelegationStatus.ACTIVE, T0.plusSeconds(600)));
            DelegationChain ac = insert(chain(alice, carol, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600)));
            DelegationChain ab2 = insert(chain(alice, bob, List.of(), DelegationStatus.REVOKED, T0.plusSeconds(600)));

            assertThat(list(null, null, null)).containsExactly(ab, bc, ac, ab2);
            assertThat(list(alice.id(), null, null)).containsExactly(ab, ac, ab2);
            assertThat(list(null, carol.id(), null)).containsExactly(bc, ac);
            assertThat(list(alice.id(), bob.id(), null)).containsExactly(ab, ab2);
            assertThat(list(carol.id(), null, null)).isEmpty();
        }

        @Test
        void listPagesWithAfterIdAndLimit() {
            List<DelegationChain> chains = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                chains.add(insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600))));
            }

            List<DelegationChain> page1 = read(s -> s.delegations().list(
                    new DelegationQuery(alice.id(), null, null, null, 3, T0)));
            List<DelegationChain> page2 = read(s -> s.delegations().list(
                    new DelegationQuery(alice.id(), null, null, page1.get(2).id(), 3, T0)));

            assertThat(page1).containsExactlyElementsOf(chains.subList(0, 3));
            assertThat(page2).containsExactlyElementsOf(chains.subList(3, 5));
        }

        @Test
        void listJudgesStatusAtAsOfWithExpiredDerivedFromTheExpiry() {
            DelegationChain live = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(60)));
            DelegationChain expiresNow = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0));
            DelegationChain expiredBefore = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE,
                    T0.minusSeconds(60)));
            DelegationChain revoked = insert(chain(alice, bob, List.of(),
                    DelegationStatus.REVOKED, T0.plusSeconds(60)));
            DelegationChain revokedAndExpired = insert(chain(alice, bob, List.of(), DelegationStatus.REVOKED,
                    T0.minusSeconds(60)));

            assertThat(listAt(DelegationStatus.ACTIVE, T0)).containsExactly(live);
            assertThat(listAt(DelegationStatus.EXPIRED, T0)).containsExactly(expiresNow, expiredBefore);
            assertThat(listAt(DelegationStatus.REVOKED, T0)).containsExactly(revoked, revokedAndExpired);
            assertThat(listAt(null, T0)).hasSize(5);
            assertThat(listAt(DelegationStatus.ACTIVE, T0.minusSeconds(61)))
                    .containsExactly(live, expiresNow, expiredBefore);
            assertThat(readList(s -> s.delegations().list(
                    new DelegationQuery(null, null,
                            DelegationStatus.EXPIRED, null, 1, T0)))).containsExactly(expiresNow);
        }

        @Test
        void findActiveToAndFromReturnOnlyStoredActiveUnexpiredChainsOfThatAgent() {
            DelegationChain ab = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(60)));
            DelegationChain ab2 = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(120)));
            insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0));
            insert(chain(alice, bob, List.of(), DelegationStatus.REVOKED, T0.plusSeconds(60)));
            DelegationChain cb = insert(chain(carol, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(60)));
            DelegationChain ac = insert(chain(alice, carol, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(60)));

            assertThat(readList(s -> s.delegations().findActiveTo(bob.id(), T0)))
                    .containsExactlyInAnyOrder(ab, ab2, cb);
            assertThat(readList(s -> s.delegations().findActiveFrom(alice.id(), T0)))
                    .containsExactlyInAnyOrder(ab, ab2, ac);
            assertThat(readList(s -> s.delegations().findActiveTo(bob.id(), T0.plusSeconds(60)))).containsExactly(ab2);
            assertThat(readList(s -> s.delegations().findActiveFrom(bob.id(), T0))).isEmpty();
            assertThat(readList(s -> s.delegations().findActiveTo(alice.id(), T0))).isEmpty();
        }

        @Test
        void findChildIdsReturnsTheChainsNamingItAsParentOneLevelDeep() {
            DelegationChain root = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600)));
            DelegationChain other = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600)));
            DelegationChain child1 = insert(chain(bob, carol, List.of(root.id()), DelegationStatus.ACTIVE,
                    T0.plusSeconds(600)));
            DelegationChain child2 = insert(chain(bob, carol, List.of(other.id(), root.id()), DelegationStatus.REVOKED,
                    T0.plusSeconds(600)));
            DelegationChain grandchild = insert(chain(carol, alice, List.of(child1.id()), DelegationStatus.ACTIVE,
                    T0.plusSeconds(600)));

            assertThat(readList(s -> s.delegations().findChildIds(root.id())))
                    .containsExactlyInAnyOrder(child1.id(), child2.id());
            assertThat(readList(s -> s.delegations().findChildIds(other.id()))).containsExactly(child2.id());
            assertThat(readList(s -> s.delegations().findChildIds(child1.id()))).containsExactly(grandchild.id());
            assertThat(readList(s -> s.delegations().findChildIds(grandchild.id()))).isEmpty();
            assertThat(readList(s -> s.delegations().findChildIds(newId(Ids.DELEGATION)))).isEmpty();
        }

        @Test
        void revokeMarksChainsRevokedSkippingThoseAlreadyRevokedAndCountsTheChanged() {
            DelegationChain live = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.plusSeconds(600)));
            DelegationChain untouched = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE,
                    T0.plusSeconds(600)));
            DelegationChain expired = insert(chain(alice, bob, List.of(), DelegationStatus.ACTIVE, T0.minusSeconds(1)));
            DelegationChain alreadyRevoked = insert(new DelegationChain(newId(Ids.DELEGATION), alice.id(), bob.id(),
                    List.of(RATE_LIMITED), List.of(), 1, 3, DelegationStatus.REVOKED, T0.plusSeconds(600), T0,
                    T0.minusSeconds(30)));
            Instant at = T0.plusSeconds(10);

            int changed = store.write(s -> s.delegations().revoke(
                    List.of(live.id(), expired.id(), alreadyRevoked.id(), newId(Ids.DELEGATION)), at));

            assertThat(changed).isEqualTo(2);
            assertThat(readOptional(s -> s.delegations().find(live.id())).orElseThrow())
                    .extracting(DelegationChain::status, DelegationChain::revokedAt)
                    .containsExactly(DelegationStatus.REVOKED, at);
            assertThat(readOptional(s -> s.delegations().find(expired.id())).orElseThrow())
                    .extracting(DelegationChain::status, DelegationChain::revokedAt)
                    .containsExactly(DelegationStatus.REVOKED, at);
            assertThat(readOptional(s -> s.delegations().find(alreadyRevoked.id()))).contains(alreadyRevoked);
            assertThat(readOptional(s -> s.delegations().find(untouched.id()))).contains(untouched);

            assertThat(writeInt(s -> s.delegations().revoke(List.of(live.id(), live.id()), T0.plusSeconds(20))))
                    .isZero();
            assertThat(readOptional(s -> s.delegations().find(live.id())).orElseThrow().revokedAt()).isEqualTo(at);
            assertThat(writeInt(s -> s.delegations().revoke(List.of(), at))).isZero();
        }

        private List<DelegationChain> list(String fromAgentId, String toAgentId, DelegationStatus status) {
            return read(s -> s.delegations().list(new DelegationQuery(fromAgentId, toAgentId, status, null, 100, T0)));
        }

        private List<DelegationChain> listAt(DelegationStatus status, Instant asOf) {
            return read(s -> s.delegations().list(new DelegationQuery(alice.id(), null, status, null, 100, asOf)));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class RateLimits {
        private static final String KEY = "db:orders:**|list,read";
        private Agent agent;

        @BeforeEach
        void agent() {
            agent = insertAgent("user-1");
        }

        @Test
        void aWindowWithoutCallsIsEmpty() {
            RateWindow window = read(s -> s.rateLimits().window(agent.id(), KEY, T0));

            assertThat(window.count()).isZero();
            assertThat(window.earliest()).isNull();
        }

        @Test
        void aWindowCountsTheCallsStrictlyAfterSinceAndNamesTheEarliest() {
            record(agent.id(), KEY, T0);
            record(agent.id(), KEY, T0.plusSeconds(2));
            record(agent.id(), KEY, T0.plusSeconds(1));

            assertThat(window(agent.id(), KEY, T0.minusMillis(1))).isEqualTo(new RateWindow(3, T0));
            assertThat(window(agent.id(), KEY, T0)).isEqualTo(new RateWindow(2, T0.plusSeconds(1)));
            assertThat(window(agent.id(), KEY, T0.plusSeconds(1))).isEqualTo(new RateWindow(1, T0.plusSeconds(2)));
            assertThat(window(agent.id(), KEY, T0.plusSeconds(2))).isEqualTo(new RateWindow(0, null));
        }

        @Test
        void callsAreCountedPerAgentAndPermissionKey() {
            Agent other = insertAgent("user-1");
            record(agent.id(), KEY, T0);
            record(agent.id(), "other-key", T0);
            record(agent.id(), "other-key", T0.plusSeconds(1));
            record(other.id(), KEY, T0.plusSeconds(1));

            assertThat(window(agent.id(), KEY, Instant.EPOCH)).isEqualTo(new RateWindow(1, T0));
            assertThat(window(agent.id(), "other-key", Instant.EPOCH)).isEqualTo(new RateWindow(2, T0));
            assertThat(window(other.id(), KEY, Instant.EPOCH)).isEqualTo(new RateWindow(1, T0.plusSeconds(1)));
        }

        @Test
        void recordForgetsThisAgentAndKeysCallsAtOrBeforeForgetUntil() {
            Agent other = insertAgent("user-1");
            record(agent.id(), KEY, T0);
            record(agent.id(), KEY, T0.plusSeconds(1));
            record(agent.id(), KEY, T0.plusSeconds(2));
            record(agent.id(), "other-key", T0);
            record(other.id(), KEY, T0);

            write(s -> s.rateLimits().record(agent.id(), KEY, T0.plusSeconds(3600), T0.plusSeconds(1)));

            assertThat(window(agent.id(), KEY, Instant.EPOCH)).isEqualTo(new RateWindow(2, T0.plusSeconds(2)));
            assertThat(window(agent.id(), "other-key", Instant.EPOCH)).isEqualTo(new RateWindow(1, T0));
            assertThat(window(other.id(), KEY, Instant.EPOCH)).isEqualTo(new RateWindow(1, T0));
        }

        @Test
        void callsAtTheSameInstantAreEachCounted() {
            record(agent.id(), KEY, T0);
            record(agent.id(), KEY, T0);
            record(agent.id(), KEY, T0);

            assertThat(window(agent.id(), KEY, T0.minusMillis(1))).isEqualTo(new RateWindow(3, T0));
        }

        private void record(String agentId, String key, Instant at) {
            write(s -> s.rateLimits().record(agentId, key, at, Instant.EPOCH));
        }

        private RateWindow window(String agentId, String key, Instant since) {
            return read(s -> s.rateLimits().window(agentId, key, since));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Approvals {
        private static final String ACTION = "deploy";
        private static final String RESOURCE = "svc:api:prod";
        private Agent agent;

        @BeforeEach
        void agent() {
            agent = insertAgent("user-1");
        }

        @Test
        void approvalsReadBackWithEveryFieldAndNulls() {
            Approval pending = insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.PENDING, T0, null));
            Approval consumed = insert(new Approval(newId(Ids.APPROVAL), agent.id(), ACTION, RESOURCE,
                    ApprovalStatus.CONSUMED, T0, T0.plusMillis(1), "reviewer@example.com", T0.plusSeconds(300),
                    T0.plusMillis(3)));

            assertThat(readOptional(s -> s.approvals().find(pending.id()))).contains(pending);
            assertThat(readOptional(s -> s.approvals().find(pending.id())).orElseThrow())
                    .extracting(Approval::decidedAt, Approval::decidedBy, Approval::expiresAt, Approval::consumedAt)
                    .containsOnlyNulls();
            assertThat(readOptional(s -> s.approvals().find(consumed.id()))).contains(consumed);
            assertThat(readOptional(s -> s.approvals().find(newId(Ids.APPROVAL)))).isEmpty();
        }

        @Test
        void updateReplacesStatusAndDecisionFields() {
            Approval pending = insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.PENDING, T0, null));
            Approval approved = new Approval(pending.id(), pending.agentId(), pending.action(), pending.resource(),
                    ApprovalStatus.APPROVED, pending.requestedAt(), T0.plusSeconds(5), "admin", T0.plusSeconds(605),
                    null);

            assertThat(writeBoolean(s -> s.approvals().update(approved))).isTrue();
            assertThat(readOptional(s -> s.approvals().find(pending.id()))).contains(approved);

            Approval unknown = approval(agent, ACTION, RESOURCE, ApprovalStatus.DENIED, T0, null);
            assertThat(writeBoolean(s -> s.approvals().update(unknown))).isFalse();
            assertThat(readOptional(s -> s.approvals().find(unknown.id()))).isEmpty();
        }

        @Test
        void findUsableReturnsTheOldestApprovedUnexpiredApprovalForThatCall() {
            Instant now = T0.plusSeconds(600);
            Agent other = insertAgent("user-1");
            insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.PENDING, T0, null));
            insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.APPROVED, T0.plusSeconds(1), now));
            insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.APPROVED, T0.plusSeconds(2), null));
            insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.DENIED, T0.plusSeconds(3), now.plusSeconds(60)));
            insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.CONSUMED, T0.plusSeconds(4), now.plusSeconds(60)));
            insert(approval(agent, "delete", RESOURCE, ApprovalStatus.APPROVED, T0.plusSeconds(5),
                    now.plusSeconds(60)));
            insert(approval(agent, ACTION, "svc:api:dev", ApprovalStatus.APPROVED, T0.plusSeconds(6),
                    now.plusSeconds(60)));
            insert(approval(other, ACTION, RESOURCE, ApprovalStatus.APPROVED, T0.plusSeconds(7), now.plusSeconds(60)));
            Approval newer = insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.APPROVED, T0.plusSeconds(9),
                    now.plusSeconds(60)));
            Approval oldest = insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.APPROVED, T0.plusSeconds(8),
                    now.plusMillis(1)));

            assertThat(readOptional(s -> s.approvals().findUsable(agent.id(), ACTION, RESOURCE, now))).contains(oldest);
            assertThat(readOptional(s -> s.approvals().findUsable(agent.id(), ACTION, RESOURCE, now.plusMillis(1))))
                    .contains(newer);
            assertThat(readOptional(s -> s.approvals().findUsable(agent.id(), ACTION, RESOURCE, now.plusSeconds(60))))
                    .isEmpty();
            assertThat(readOptional(s -> s.approvals().findUsable(agent.id(), "read", RESOURCE, now))).isEmpty();
        }

        @Test
        void findPendingReturnsTheOldestPendingRequestForThatCall() {
            insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.APPROVED, T0, T0.plusSeconds(600)));
            Approval newer = insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.PENDING, T0.plusSeconds(5), null));
            Approval older = insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.PENDING, T0.plusSeconds(1), null));
            insert(approval(agent, ACTION, "svc:api:dev", ApprovalStatus.PENDING, T0, null));

            assertThat(readOptional(s -> s.approvals().findPending(agent.id(), ACTION, RESOURCE))).contains(older);
            write(s -> s.approvals().update(new Approval(older.id(), older.agentId(), ACTION, RESOURCE,
                    ApprovalStatus.DENIED, older.requestedAt(), T0.plusSeconds(10), "admin", null, null)));
            assertThat(readOptional(s -> s.approvals().findPending(agent.id(), ACTION, RESOURCE))).contains(newer);
            assertThat(readOptional(s -> s.approvals().findPending(agent.id(), "delete", RESOURCE))).isEmpty();
        }

        @Test
        void listReturnsRequestsWithTheStatusOldestFirstUpToTheLimit() {
            Agent other = insertAgent("user-1");
            Approval p3 = insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.PENDING, T0.plusSeconds(3), null));
            Approval p1 = insert(approval(agent, ACTION, "svc:a", ApprovalStatus.PENDING, T0.plusSeconds(1), null));
            Approval otherPending = insert(approval(other, ACTION, RESOURCE, ApprovalStatus.PENDING, T0.plusSeconds(2),
                    null));
            Approval approved = insert(approval(agent, ACTION, RESOURCE, ApprovalStatus.APPROVED, T0,
                    T0.plusSeconds(600)));

            assertThat(readList(s -> s.approvals().list(null, ApprovalStatus.PENDING, 10)))
                    .containsExactly(p1, otherPending, p3);
            assertThat(readList(s -> s.approvals().list(null, ApprovalStatus.PENDING, 2)))
                    .containsExactly(p1, otherPending);
            assertThat(readList(s -> s.approvals().list(agent.id(), ApprovalStatus.PENDING, 10)))
                    .containsExactly(p1, p3);
            assertThat(readList(s -> s.approvals().list(agent.id(), ApprovalStatus.PENDING, 1))).containsExactly(p1);
            assertThat(readList(s -> s.approvals().list(agent.id(), ApprovalStatus.APPROVED, 10)))
                    .containsExactly(approved);
            assertThat(readList(s -> s.approvals().list(other.id(), ApprovalStatus.DENIED, 10))).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Audit {
        private static final Comparator<AuditEntry> NEWEST_FIRST =
                Comparator.comparing(AuditEntry::timestamp).thenComparing(AuditEntry::id).reversed();

        @Test
        void entriesReadBackWithEveryField() {
            Map<String, Object> arguments = new LinkedHashMap<>();
            arguments.put("query", "select 1");
            arguments.put("limit", 10);
            arguments.put("prompt", "[REDACTED]");
            arguments.put("options", Map.of("dryRun", true, "ids", List.of(1, 2, 3)));
            AuditEntry full = new AuditEntry(newId(Ids.AUDIT), T0.plusMillis(123), newId(Ids.AGENT), "user-1",
                    "tenant-1", "execute", "tool:github:create_issue", AuditResult.DENIED, "BUDGET_EXCEEDED",
                    "tokens 1200 + 100 > limit 1250", 100L, 1_234, newId(Ids.DELEGATION),
                    List.of(newId(Ids.POLICY), newId(Ids.POLICY)), "2001:db8::1", "agent-sdk/1.0", arguments,
                    AuditEntry.GENESIS, sha256("full"));
            AuditEntry bare = new AuditEntry(newId(Ids.AUDIT), T0, null, null, null, "agent.created", "agt_x",
                    AuditResult.SUCCESS, "AGENT_CREATED", "created", null, 0, null, List.of(), null, null, Map.of(),
                    sha256("full"), sha256("bare"));
            append(full);
            append(bare);

            List<AuditEntry> entries = query(AuditQuery.of(null, null, null, 10));

            assertThat(entries).containsExactly(full, bare);
            assertThat(entries.get(0).arguments()).isEqualTo(arguments);
            assertThat(entries.get(1).tokensCost()).isNull();
            assertThat(entries.get(0).tokensCost()).isEqualTo(100L);
            assertThat(entries.get(0).previousHash()).isEqualTo(AuditEntry.GENESIS);
            assertThat(entries.get(0).hash()).isEqualTo(sha256("full"));
            assertThat(entries.get(1).previousHash()).isEqualTo(sha256("full"));
            assertThat(scanChain(null, null)).containsExactly(full, bare);
        }

        @Test
        void appendingAnExistingIdFailsAndKeepsTheLog() {
            AuditEntry entry = append(auditEntry("agt_1", T0));

            Throwable thrown = catchThrowable(() -> append(entry.chained(entry.hash(), sha256("again"))));

            assertThat(thrown).isInstanceOf(KavachException.class);
            assertThat(scanChain(null, null)).containsExactly(entry);
        }

        // --- query: order, filters, limit ----------------------------------------------------------

        @Test
        void queryReturnsNewestFirstAndEntriesOfTheSameTimestampByIdDescending() {
            AuditEntry e1 = auditEntry("agt_1", T0);
            AuditEntry e2 = auditEntry("agt_1", T0.plusSeconds(1));
            AuditEntry e3 = auditEntry("agt_1", T0.plusSeconds(1));
            AuditEntry e4 = auditEntry("agt_1", T0.plusSeconds(2));
            AuditEntry e5 = auditEntry("agt_1", T0.plusSeconds(1));
            for (AuditEntry entry : List.of(e3, e1, e5, e4, e2)) {
                append(entry);
            }

            assertThat(query(null, null, null, 10)).containsExactly(e4, e5, e3, e2, e1);
        }

        @Test
        void sinceIsInclusiveAndUntilExclusive() {
            AuditEntry e1 = append(auditEntry("agt_1", T0));
            AuditEntry e2 = append(auditEntry("agt_1", T0.plusSeconds(1)));
            AuditEntry e3 = append(auditEntry("agt_1", T0.plusSeconds(1)));
            AuditEntry e4 = append(auditEntry("agt_1", T0.plusSeconds(2)));

            assertThat(query(null, T0.plusSeconds(1), T0.plusSeconds(2), 10)).containsExactly(e3, e2);
            assertThat(query(null, T0.plusSeconds(1), null, 10)).containsExactly(e4, e3, e2);
            assertThat(query(null, null, T0.plusSeconds(1), 10)).containsExactly(e1);
            assertThat(query(null, T0.plusMillis(1), T0.plusSeconds(1), 10)).isEmpty();
            assertThat(query(null, T0, T0.plusMillis(1), 10)).containsExactly(e1);
        }

        @Test
        void queryFiltersByAgentBeforeApplyingTheLimit() {
            List<AuditEntry> mine = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                mine.add(append(auditEntry("agt_mine", T0.plusSeconds(i))));
            }
            for (int i = 0; i < 5; i++) {
                append(auditEntry("agt_other", T0.plusSeconds(10 + i)));
            }
            append(auditEntry(null, T0.plusSeconds(20)));

            assertThat(query("agt_mine", null, null, 2)).containsExactly(mine.get(3), mine.get(2));
            assertThat(query("agt_mine", null, T0.plusSeconds(3), 10)).containsExactly(mine.get(2), mine.get(1),
                    mine.get(0));
            assertThat(query("agt_none", null, null, 10)).isEmpty();
            assertThat(query(null, null, null, 3)).hasSize(3).first().extracting(AuditEntry::agentId).isNull();
            assertThat(query(null, null, null, 100)).hasSize(10);
        }

        @Test
        void everyFilterAloneSelectsExactlyTheMatchingEntries() {
            List<AuditEntry> log = appendVariedLog();
            Instant middle = T0.plusSeconds(6);

            assertSelects(log, filter().agent("agt_1"), e -> "agt_1".equals(e.agentId()));
            assertSelects(log, filter().user("user-0"), e -> "user-0".equals(e.userId()));
            assertSelects(log, filter().tenant("tenant-1"), e -> "tenant-1".equals(e.tenantId()));
            assertSelects(log, filter().actions("write"), e -> "write".equals(e.action()));
            assertSelects(log, filter().actions("read", "agent.created"),
                    e -> oneOf(e.action(), "read", "agent.created"));
            assertSelects(log, filter().actions("read", "write", "execute"),
                    e -> oneOf(e.action(), "read", "write", "execute"));
            assertSelects(log, filter().results(AuditResult.DENIED), e -> e.result() == AuditResult.DENIED);
            assertSelects(log, filter().results(AuditResult.ALLOWED, AuditResult.SUCCESS),
                    e -> e.result() != AuditResult.DENIED);
            assertSelects(log, filter().codes("RATE_LIMITED"), e -> "RATE_LIMITED".equals(e.code()));
            assertSelects(log, filter().codes("RATE_LIMITED", "ALLOWED"),
                    e -> oneOf(e.code(), "RATE_LIMITED", "ALLOWED"));
            assertSelects(log, filter().resourcePrefix("db:orders"),
                    e -> e.resource() != null && e.resource().startsWith("db:orders"));
            assertSelects(log, filter().since(middle), e -> !e.timestamp().isBefore(middle));
            assertSelects(log, filter().until(middle), e -> e.timestamp().isBefore(middle));
        }

        @Test
        void filtersCombineAndAllRunBeforeTheLimit() {
            List<AuditEntry> log = appendVariedLog();
            Instant since = T0.plusSeconds(2);
            Instant until = T0.plusSeconds(11);

            assertSelects(log, filter().agent("agt_0").actions("read", "write"),
                    e -> "agt_0".equals(e.agentId()) && oneOf(e.action(), "read", "write"));
            assertSelects(log, filter().user("user-0").actions("execute"),
                    e -> "user-0".equals(e.userId()) && "execute".equals(e.action()));
            assertSelects(log, filter().tenant("tenant-0").results(AuditResult.ALLOWED).since(since),
                    e -> "tenant-0".equals(e.tenantId()) && e.result() == AuditResult.ALLOWED
                            && !e.timestamp().isBefore(since));
            assertSelects(log, filter().agent("agt_2").user("user-0"),
                    e -> "agt_2".equals(e.agentId()) && "user-0".equals(e.userId()));
            assertSelects(log, filter().actions("read", "write").codes("ALLOWED", "RATE_LIMITED").until(until),
                    e -> oneOf(e.action(), "read", "write")
                            && oneOf(e.code(), "ALLOWED", "RATE_LIMITED") && e.timestamp().isBefore(until));
            assertSelects(log, filter().resourcePrefix("db:").results(AuditResult.DENIED, AuditResult.SUCCESS),
                    e -> e.resource() != null && e.resource().startsWith("db:") && e.result() != AuditResult.ALLOWED);
            assertSelects(log, filter().actions("write", "execute").since(since).until(until),
                    e -> oneOf(e.action(), "write", "execute") && !e.timestamp().isBefore(since)
                            && e.timestamp().isBefore(until));
            assertSelects(log, filter().agent("agt_0").user("user-1").tenant("tenant-0").actions("read", "write")
                            .results(AuditResult.ALLOWED, AuditResult.DENIED).codes("ALLOWED", "DENIED_NO_PERMISSION")
                            .resourcePrefix("db:").since(T0).until(T0.plusSeconds(13)),
                    e -> "agt_0".equals(e.agentId()) && "user-1".equals(e.userId())
                            && "tenant-0".equals(e.tenantId()) && oneOf(e.action(), "read", "write")
                            && e.result() != AuditResult.SUCCESS
                            && oneOf(e.code(), "ALLOWED", "DENIED_NO_PERMISSION")
                            && e.resource() != null && e.resource().startsWith("db:"));
            assertThat(query(filter().agent("agt_1").actions("no.such.action").limit(10).query())).isEmpty();
            assertThat(query(filter().codes("NO_SUCH_CODE").limit(10).query())).isEmpty();
        }

        @Test
        void resourcePrefixIsCaseSensitiveAndTakesPercentAndUnderscoreLiterally() {
            List<String> resources = List.of("db:orders", "db:orders:1", "db:orders%x", "db:ordersXx", "db:orders_1",
                    "db:ordersA1", "db:Orders:1", "DB:orders:1", "db:order", "x:db:orders", "tool:ünïcode:1",
                    "tool:unicode:1", "db:orders\\1");
            for (int i = 0; i < resources.size(); i++) {
                append(auditEntry("agt_1", T0.plusSeconds(i), "read", resources.get(i), AuditResult.ALLOWED, "ALLOWED"));
            }
            append(auditEntry("agt_1", T0.plusSeconds(100), "read", null, AuditResult.ALLOWED, "ALLOWED"));

            assertThat(resourcesWithPrefix("db:orders")).containsExactlyInAnyOrder("db:orders", "db:orders:1",
                    "db:orders%x", "db:ordersXx", "db:orders_1", "db:ordersA1", "db:orders\\1");
            assertThat(resourcesWithPrefix("db:orders%")).containsExactly("db:orders%x");
            assertThat(resourcesWithPrefix("db:orders_")).containsExactly("db:orders_1");
            assertThat(resourcesWithPrefix("db:orders\\")).containsExactly("db:orders\\1");
            assertThat(resourcesWithPrefix("db:Orders")).containsExactly("db:Orders:1");
            assertThat(resourcesWithPrefix("DB:")).containsExactly("DB:orders:1");
            assertThat(resourcesWithPrefix("db:orders:1")).containsExactly("db:orders:1");
            assertThat(resourcesWithPrefix("db:orders:10")).isEmpty();
            assertThat(resourcesWithPrefix("%")).isEmpty();
            assertThat(resourcesWithPrefix("_")).isEmpty();
            assertThat(resourcesWithPrefix("tool:ünï")).containsExactly("tool:ünïcode:1");
            assertThat(resourcesWithPrefix("tool:uni")).containsExactly("tool:unicode:1");
        }

        private List<String> resourcesWithPrefix(String prefix) {
            return query(filter().resourcePrefix(prefix).limit(100).query()).stream().map(AuditEntry::resource)
                    .toList();
        }

        // --- paging --------------------------------------------------------------------------------

        /**
         * The defect this contract guards against: filtering after the limit returns short (even
         * empty) pages while matching entries remain. Every page must be full until the last.
         */
        @Test
        void withAnActionsFilterEveryPageIsFullUntilTheEnd() {
            List<AuditEntry> reads = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                AuditEntry entry = append(auditEntry("agt_1", T0.plusSeconds(i), i % 2 == 0 ? "read" : "write",
                        "db:orders:" + i, AuditResult.ALLOWED, "ALLOWED"));
                if (i % 2 == 0) {
                    reads.add(entry);
                }
            }
            List<AuditEntry> expected = reads.stream().sorted(NEWEST_FIRST).toList();

            List<List<AuditEntry>> pages = pages(filter().actions("read").limit(10).query());

            assertThat(pages).extracting(List::size).containsExactly(10, 10, 5);
            assertThat(pages.stream().flatMap(List::stream).toList()).isEqualTo(expected);
            assertThat(pages(filter().agent("agt_1").actions("read").limit(10).query()))
                    .extracting(List::size).containsExactly(10, 10, 5);
            assertThat(pages(filter().actions("write").results(AuditResult.ALLOWED).limit(10).query()))
                    .extracting(List::size).containsExactly(10, 10, 5);
        }

        @Test
        void withSeveralActionsEveryPageIsFullUntilTheEnd() {
            List<String> actions = List.of("read", "write", "execute");
            List<AuditEntry> matching = new ArrayList<>();
            for (int i = 0; i < 75; i++) {
                String action = actions.get(i % 3);
                AuditEntry entry = append(auditEntry(i % 2 == 0 ? "agt_1" : "agt_2", T0.plusSeconds(i / 2), action,
                        "db:orders:" + i, AuditResult.ALLOWED, "ALLOWED"));
                if (!action.equals("write")) {
                    matching.add(entry);
                }
            }

            List<List<AuditEntry>> pages = pages(filter().actions("read", "execute").limit(20).query());

            assertThat(pages).extracting(List::size).containsExactly(20, 20, 10);
            assertThat(pages.stream().flatMap(List::stream).toList())
                    .isEqualTo(matching.stream().sorted(NEWEST_FIRST).toList());
            assertThat(pages(filter().agent("agt_1").actions("read", "execute").limit(10).query()))
                    .extracting(List::size).containsExactly(10, 10, 6);
        }

        @Test
        void cursorPagingAcrossEqualTimestampsNeitherSkipsNorRepeats() {
            List<AuditEntry> log = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                log.add(auditEntry("agt_1", T0.plusSeconds(i % 3)));
            }
            List<AuditEntry> shuffled = new ArrayList<>(log);
            Collections.shuffle(shuffled, new Random(7));
            shuffled.forEach(KavachStoreContract.this::append);
            List<AuditEntry> expected = log.stream().sorted(NEWEST_FIRST).toList();

            for (int limit : List.of(1, 2, 4, 7, 8, 23, 50)) {
                List<List<AuditEntry>> pages = pages(filter().limit(limit).query());

                assertThat(pages.stream().flatMap(List::stream).toList()).as("limit %d", limit).isEqualTo(expected);
                assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(page -> assertThat(page).hasSize(limit));
            }
            AuditEntry middle = expected.get(11);
            assertThat(query(filter().before(middle).limit(100).query())).isEqualTo(expected.subList(12, 23));
        }

        @Test
        void pagingWhileAnotherThreadAppendsNewerEntriesNeitherSkipsNorRepeats() throws Exception {
            List<AuditEntry> original = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                original.add(auditEntry("agt_1", T0.plusSeconds(i % 7)));
            }
            write(s -> original.forEach(s.audit()::append));
            Instant newest = T0.plusSeconds(6);
            AtomicInteger appended = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService appender = Executors.newSingleThreadExecutor();
            List<List<AuditEntry>> pages = new ArrayList<>();
            try {
                Future<?> appending = appender.submit(() -> {
                    for (int i = 0; !done.get() && i < 1_000; i++) {
                        // Half tie with the newest original timestamp (with higher ids), half are later.
                        append(auditEntry("agt_1", i % 2 == 0 ? newest : newest.plusMillis(1 + i)));
                        appended.incrementAndGet();
                    }
                    return null;
                });
                AuditQuery first = filter().agent("agt_1").limit(7).query();
                AuditEntry last = null;
                while (true) {
                    awaitMore(appended, appending);
                    List<AuditEntry> page = query(last == null ? first : before(first, last));
                    if (page.isEmpty()) {
                        break;
                    }
                    pages.add(page);
                    last = page.get(page.size() - 1);
                }
                done.set(true);
                appending.get(1, TimeUnit.MINUTES);
            } finally {
                done.set(true);
                appender.shutdownNow();
            }

            Set<String> originalIds = original.stream().map(AuditEntry::id).collect(Collectors.toSet());
            List<AuditEntry> read = pages.stream().flatMap(List::stream).toList();
            assertThat(read).doesNotHaveDuplicates();
            assertThat(read.stream().filter(e -> originalIds.contains(e.id())).toList())
                    .isEqualTo(original.stream().sorted(NEWEST_FIRST).toList());
            // Entries appended before a page was read but older than its cursor rightly appear on later
            // pages; what must hold is that the original entries come exactly once, in order.
            assertThat(appended.get()).isGreaterThan(pages.size());
        }

        /** Waits until the appender has appended at least one more entry than before, or has failed. */
        private void awaitMore(AtomicInteger appended, Future<?> appending) throws Exception {
            int seen = appended.get();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (appended.get() == seen) {
                if (appending.isDone()) {
                    appending.get();
                    return;
                }
                assertThat(System.nanoTime() - deadline).as("waiting for the appender").isNegative();
                Thread.sleep(1);
            }
        }

        // --- scan ----------------------------------------------------------------------------------

        @Test
        void scanStreamsEveryMatchOldestFirstIgnoringLimitAndCursor() {
            List<AuditEntry> log = appendVariedLog();
            List<AuditEntry> oldestFirst = log.stream().sorted(NEWEST_FIRST.reversed()).toList();
            AuditEntry newest = log.stream().sorted(NEWEST_FIRST).findFirst().orElseThrow();

            assertThat(scan(filter().limit(1).query())).isEqualTo(oldestFirst);
            assertThat(scan(filter().before(newest).limit(1).query())).isEqualTo(oldestFirst);
            assertThat(scan(filter().agent("agt_0").actions("read", "write").limit(1).query()))
                    .isEqualTo(oldestFirst.stream().filter(e -> "agt_0".equals(e.agentId())
                            && oneOf(e.action(), "read", "write")).toList());
            assertThat(scan(filter().actions("execute", "agent.created").codes("RATE_LIMITED", "ALLOWED")
                    .limit(1).query()))
                    .isEqualTo(oldestFirst.stream().filter(e -> oneOf(e.action(), "execute", "agent.created")
                            && oneOf(e.code(), "RATE_LIMITED", "ALLOWED")).toList());
            assertThat(scan(filter().resourcePrefix("tool:").since(T0.plusSeconds(3)).until(T0.plusSeconds(9))
                    .limit(1).query()))
                    .isEqualTo(oldestFirst.stream().filter(e -> e.resource() != null
                            && e.resource().startsWith("tool:") && !e.timestamp().isBefore(T0.plusSeconds(3))
                            && e.timestamp().isBefore(T0.plusSeconds(9))).toList())
                    .isNotEmpty();
        }

        @Test
        void scanReadsAManyThousandEntryLogInOrder() {
            int count = 5_000;
            List<AuditEntry> log = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                log.add(auditEntry(i % 2 == 0 ? "agt_1" : "agt_2", T0.plusMillis((i * 7919L) % 3_000)));
            }
            write(s -> log.forEach(s.audit()::append));
            int[] seen = new int[1];
            List<String> agent1 = new ArrayList<>();

            store.read(s -> {
                s.audit().scan(filter().limit(1).query(), e -> seen[0]++);
                s.audit().scan(filter().agent("agt_1").limit(1).query(), e -> agent1.add(e.id()));
                return null;
            });

            assertThat(seen[0]).isEqualTo(count);
            assertThat(agent1).isEqualTo(log.stream().filter(e -> "agt_1".equals(e.agentId()))
                    .sorted(NEWEST_FIRST.reversed()).map(AuditEntry::id).toList());
        }

        @Test
        void anExceptionFromTheSinkStopsTheScanAndPropagatesUnchanged() {
            for (int i = 0; i < 20; i++) {
                append(auditEntry("agt_1", T0.plusSeconds(i)));
            }
            IllegalStateException failure = new IllegalStateException("the sink failed");
            List<AuditEntry> received = new ArrayList<>();

            Throwable thrown = catchThrowable(() -> store.read(s -> {
                s.audit().scan(filter().limit(1).query(), e -> {
                    received.add(e);
                    if (received.size() == 5) {
                        throw failure;
                    }
                });
                return null;
            }));
            Throwable thrownByChain = catchThrowable(() -> store.read(s -> {
                s.audit().scanChain(null, null, e -> {
                    throw failure;
                });
                return null;
            }));

            assertThat(thrown).isSameAs(failure);
            assertThat(thrownByChain).isSameAs(failure);
            assertThat(received).hasSize(5);
            assertThat(query(null, null, null, 100)).hasSize(20);
        }

        // --- the chain -----------------------------------------------------------------------------

        @Test
        void scanChainFollowsAppendOrderEvenWhenTimestampsAreOutOfOrder() {
            List<AuditEntry> chain = new ArrayList<>();
            for (int seconds : new int[] {5, 1, 3, 1, 9, 0, 3, 7}) {
                chain.add(appendChained(auditEntry("agt_1", T0.plusSeconds(seconds))));
            }

            assertThat(scanChain(null, null)).isEqualTo(chain);
            // A bounded scan returns the unbroken run from the first to the last entry in range,
            // out-of-range entries in between included, so that the links can be checked.
            assertThat(scanChain(T0.plusSeconds(1), T0.plusSeconds(5))).isEqualTo(chain.subList(1, 7));
            assertThat(scanChain(T0.plusSeconds(3), null)).isEqualTo(chain);
            assertThat(scanChain(null, T0.plusSeconds(3))).isEqualTo(chain.subList(1, 6));
            assertThat(scanChain(T0.plusSeconds(10), null)).isEmpty();
            assertThat(scanChain(T0.plusSeconds(2), T0.plusSeconds(3))).isEmpty();
            for (int i = 1; i < chain.size(); i++) {
                assertThat(chain.get(i).previousHash()).isEqualTo(chain.get(i - 1).hash());
            }
        }

        @Test
        void headHashIsTheLastAppendedHashThenTheCheckpointsThenEmpty() {
            assertThat(headHash()).isEmpty();
            assertThat(checkpoint()).isEmpty();

            AuditEntry first = appendChained(auditEntry("agt_1", T0.plusSeconds(10)));
            assertThat(first.previousHash()).isEqualTo(AuditEntry.GENESIS);
            assertThat(headHash()).contains(first.hash());

            AuditEntry older = appendChained(auditEntry("agt_1", T0));
            assertThat(older.previousHash()).isEqualTo(first.hash());
            assertThat(headHash()).as("append order, not timestamp order").contains(older.hash());

            assertThat(deleteBefore(T0.plusSeconds(60))).isEqualTo(2);
            assertThat(query(null, null, null, 10)).isEmpty();
            assertThat(headHash()).contains(older.hash());

            AuditEntry next = appendChained(auditEntry("agt_1", T0.plusSeconds(70)));
            assertThat(next.previousHash()).isEqualTo(older.hash());
            assertThat(headHash()).contains(next.hash());
            AuditEntry after = appendChained(auditEntry("agt_1", T0.plusSeconds(65)));
            assertThat(headHash()).contains(after.hash());
            assertThat(scanChain(null, null)).containsExactly(next, after);
        }

        @Test
        void deleteBeforeRemovesTheOldPrefixOfTheChainAndKeepsACheckpoint() {
            AuditEntry e1 = appendChained(auditEntry("agt_1", T0));
            AuditEntry e2 = appendChained(auditEntry("agt_1", T0.plusSeconds(1)));
            AuditEntry e3 = appendChained(auditEntry("agt_1", T0.plusSeconds(5)));
            AuditEntry e4 = appendChained(auditEntry("agt_1", T0.plusSeconds(2)));
            AuditEntry e5 = appendChained(auditEntry("agt_1", T0.plusSeconds(6)));

            assertThat(deleteBefore(T0)).isZero();
            assertThat(checkpoint()).isEmpty();
            assertThat(scanChain(null, null)).containsExactly(e1, e2, e3, e4, e5);

            // e4 is older than the cutoff but comes after e3, which is not: the prefix stops at e3.
            assertThat(deleteBefore(T0.plusSeconds(3))).isEqualTo(2);
            assertThat(scanChain(null, null)).containsExactly(e3, e4, e5);
            assertThat(checkpoint()).contains(new AuditCheckpoint(e2.hash(), T0.plusSeconds(3), 2));
            assertThat(e3.previousHash()).isEqualTo(checkpoint().orElseThrow().hash());
            assertThat(headHash()).contains(e5.hash());
            assertThat(query(null, null, null, 10)).containsExactly(e5, e3, e4);

            assertThat(deleteBefore(T0.plusSeconds(3))).isZero();
            assertThat(checkpoint()).contains(new AuditCheckpoint(e2.hash(), T0.plusSeconds(3), 2));

            // The cutoff is exclusive: e5, at the cutoff, stays.
            assertThat(deleteBefore(T0.plusSeconds(6))).isEqualTo(2);
            assertThat(scanChain(null, null)).containsExactly(e5);
            assertThat(checkpoint()).contains(new AuditCheckpoint(e4.hash(), T0.plusSeconds(6), 4));

            assertThat(deleteBefore(T0.plusSeconds(100))).isEqualTo(1);
            assertThat(scanChain(null, null)).isEmpty();
            assertThat(checkpoint()).contains(new AuditCheckpoint(e5.hash(), T0.plusSeconds(100), 5));
            assertThat(headHash()).contains(e5.hash());

            assertThat(deleteBefore(T0.plusSeconds(200))).isZero();
            assertThat(checkpoint()).contains(new AuditCheckpoint(e5.hash(), T0.plusSeconds(100), 5));
        }

        @Test
        void deleteBeforeDeletesNothingWhenTheFirstEntryIsNotOld() {
            AuditEntry recent = appendChained(auditEntry("agt_1", T0.plusSeconds(10)));
            AuditEntry old = appendChained(auditEntry("agt_1", T0));

            assertThat(deleteBefore(T0.plusSeconds(5))).isZero();

            assertThat(checkpoint()).isEmpty();
            assertThat(scanChain(null, null)).containsExactly(recent, old);
        }

        @Test
        void theChainOperationsSeeTheirUnitsOwnWritesAndRollBackWithIt() {
            AuditEntry kept = appendChained(auditEntry("agt_1", T0));
            AuditEntry e1 = auditEntry("agt_1", T0.plusSeconds(1)).chained(kept.hash(), sha256("e1"));
            AuditEntry e2 = auditEntry("agt_1", T0.plusSeconds(2)).chained(sha256("e1"), sha256("e2"));

            write(s -> {
                s.audit().append(e1);
                assertThat(s.audit().headHash()).contains(e1.hash());
                assertThat(s.audit().deleteBefore(T0.plusSeconds(2))).isEqualTo(2);
                assertThat(s.audit().checkpoint()).contains(new AuditCheckpoint(e1.hash(), T0.plusSeconds(2), 2));
                assertThat(s.audit().headHash()).contains(e1.hash());
                s.audit().append(e2);
                assertThat(s.audit().headHash()).contains(e2.hash());
            });
            assertThat(scanChain(null, null)).containsExactly(e2);

            IllegalStateException failure = new IllegalStateException("the unit of work failed");
            Throwable thrown = catchThrowable(() -> store.write(s -> {
                s.audit().deleteBefore(T0.plusSeconds(100));
                throw failure;
            }));

            assertThat(thrown).isSameAs(failure);
            assertThat(scanChain(null, null)).containsExactly(e2);
            assertThat(checkpoint()).contains(new AuditCheckpoint(e1.hash(), T0.plusSeconds(2), 2));
        }

        // --- helpers -------------------------------------------------------------------------------

        /**
         * 48 entries whose fields vary independently: three agents (and none), two users, two
         * tenants (and none), four actions, five resources (and none), three results, codes, and
         * 13 distinct timestamps, so that many entries share one.
         */
        private List<AuditEntry> appendVariedLog() {
            List<String> actions = List.of("read", "write", "execute", "agent.created");
            List<String> resources = List.of("db:orders:1", "db:Orders:2", "tool:github:create_issue", "db:orders_x",
                    "tool:db:orders");
            List<AuditResult> results = List.of(AuditResult.ALLOWED, AuditResult.DENIED, AuditResult.SUCCESS);
            List<String> codes = List.of("ALLOWED", "DENIED_NO_PERMISSION", "RATE_LIMITED");
            List<AuditEntry> log = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                boolean anonymous = i % 8 == 7;
                AuditEntry entry = new AuditEntry(newId(Ids.AUDIT), T0.plusSeconds(i * 5L % 13),
                        anonymous ? null : "agt_" + (i % 3), anonymous ? null : "user-" + (i % 2),
                        i % 5 == 0 ? null : "tenant-" + (i / 5 % 2), actions.get(i % 4),
                        i % 6 == 5 ? null : resources.get(i % 5), results.get(i / 2 % 3),
                        i % 7 == 6 ? null : codes.get(i % 3), "reason " + i, i % 2 == 0 ? null : (long) i, i,
                        null, List.of(), null, null, Map.of(), AuditEntry.GENESIS, sha256("entry " + i));
                log.add(entry);
            }
            write(s -> log.forEach(s.audit()::append));
            return log;
        }

        /**
         * Checks that {@code filter} selects exactly the entries of {@code log} that {@code matches}:
         * all at once, the first few, page by page, and streamed by scan (oldest first).
         */
        private void assertSelects(List<AuditEntry> log, AuditQueries filter, Predicate<AuditEntry> matches) {
            List<AuditEntry> expected = log.stream().filter(matches).sorted(NEWEST_FIRST).toList();
            assertThat(expected).as("a meaningful filter").isNotEmpty().hasSizeLessThan(log.size());

            assertThat(query(filter.limit(1_000).query())).as("all").isEqualTo(expected);
            assertThat(query(filter.limit(3).query())).as("first 3")
                    .isEqualTo(expected.subList(0, Math.min(3, expected.size())));
            List<List<AuditEntry>> pages = pages(filter.limit(4).query());
            assertThat(pages.stream().flatMap(List::stream).toList()).as("pages").isEqualTo(expected);
            assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(page -> assertThat(page).hasSize(4));
            assertThat(scan(filter.limit(1).query())).as("scan").isEqualTo(reversed(expected));
        }

        /** Every page of {@code first} and the queries after it, through the cursor; none empty. */
        private List<List<AuditEntry>> pages(AuditQuery first) {
            List<List<AuditEntry>> pages = new ArrayList<>();
            AuditQuery next = first;
            while (true) {
                List<AuditEntry> page = query(next);
                assertThat(page.size()).isLessThanOrEqualTo(first.limit());
                if (page.isEmpty()) {
                    return pages;
                }
                pages.add(page);
                assertThat(pages).as("pages of %s", first).hasSizeLessThan(1_000);
                next = before(first, page.get(page.size() - 1));
            }
        }

        /** Whether {@code value} is one of {@code options} (null is none of them). */
        private static boolean oneOf(String value, String... options) {
            return value != null && Arrays.asList(options).contains(value);
        }

        private static List<AuditEntry> reversed(List<AuditEntry> entries) {
            List<AuditEntry> copy = new ArrayList<>(entries);
            Collections.reverse(copy);
            return copy;
        }

        private AuditQuery before(AuditQuery query, AuditEntry last) {
            return new AuditQuery(query.agentId(), query.userId(), query.tenantId(), query.actions(), query.results(),
                    query.codes(), query.resourcePrefix(), query.since(), query.until(),
                    new AuditQuery.Position(last.timestamp(), last.id()), query.limit());
        }

        private List<AuditEntry> query(String agentId, Instant since, Instant until, int limit) {
            return query(AuditQuery.of(agentId, since, until, limit));
        }

        private List<AuditEntry> query(AuditQuery query) {
            return readList(s -> s.audit().query(query));
        }

        private List<AuditEntry> scan(AuditQuery query) {
            return readList(s -> {
                List<AuditEntry> entries = new ArrayList<>();
                s.audit().scan(query, entries::add);
                return entries;
            });
        }

        private List<AuditEntry> scanChain(Instant since, Instant until) {
            return readList(s -> {
                List<AuditEntry> entries = new ArrayList<>();
                s.audit().scanChain(since, until, entries::add);
                return entries;
            });
        }

        private Optional<String> headHash() {
            return readOptional(s -> s.audit().headHash());
        }

        private Optional<AuditCheckpoint> checkpoint() {
            return readOptional(s -> s.audit().checkpoint());
        }

        private long deleteBefore(Instant cutoff) {
            return store.write(s -> s.audit().deleteBefore(cutoff));
        }

        private AuditQueries filter() {
            return AuditQueries.builder();
        }
    }

    /** A mutable builder of {@link AuditQuery}s for the audit tests. */

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Policies {
        private static final String DAY = "D:2026-03-10";
        private static final String NEXT_DAY = "D:2026-03-11";
        private static final String MONTH = "M:2026-03";
        /** user-1 in tenant-1. */
        private Agent alice;
        /** user-1 without tenant. */
        private Agent bob;
        /** user-2 in tenant-1. */
        private Agent carol;
        /** user-1 in tenant-2. */
        private Agent dave;

        @BeforeEach
        void agents() {
            alice = insert(agent("user-1", "tenant-1", AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));
            bob = insert(agent("user-1", null, AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));
            carol = insert(agent("user-2", "tenant-1", AgentType.SERVICE, AgentStatus.ACTIVE, null));
            dave = insert(agent("user-1", "tenant-2", AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));
        }

        @Test
        void insertedPoliciesReadBackWithEveryField() {
            BudgetPolicy full = insert(new BudgetPolicy(newId(Ids.POLICY),
                    new PolicyScope(alice.id(), "user-1", "tenant-1", null, null),
                    new BudgetLimits(1L, 2L, 3L, 4L, 5_000_000L, Long.MAX_VALUE), PolicyAction.REVOKE,
                    PolicyStatus.TRIGGERED, T0.plus(Duration.ofHours(12)), T0.plusMillis(1), T0.plusMillis(2)));
            BudgetPolicy bare = insert(new BudgetPolicy(newId(Ids.POLICY), PolicyScope.global(),
                    new BudgetLimits(null, null, null, null, null, null), PolicyAction.WARN, PolicyStatus.ACTIVE, null,
                    T0, T0));
            BudgetPolicy partial = insert(new BudgetPolicy(newId(Ids.POLICY), PolicyScope.user("user-2"),
                    new BudgetLimits(null, 0L, null, 7L, null, null), PolicyAction.THROTTLE, PolicyStatus.DISABLED,
                    null, T0, T0.plusSeconds(1)));
            BudgetPolicy tenant = insert(new BudgetPolicy(newId(Ids.POLICY), PolicyScope.tenant("tenant-1"),
                    new BudgetLimits(null, null, null, null, 250_000L, null), PolicyAction.BLOCK, PolicyStatus.ACTIVE,
                    null, T0, T0));
            BudgetPolicy pool = insert(new BudgetPolicy(newId(Ids.POLICY),
                    PolicyScope.pool("research", List.of(carol.id(), alice.id(), bob.id())),
                    BudgetLimits.builder().maxTokensCostPerMonth(50_000).maxCallsPerDay(10).build(), PolicyAction.BLOCK,
                    PolicyStatus.ACTIVE, null, T0, T0));

            for (BudgetPolicy policy : List.of(full, bare, partial, tenant, pool)) {
                assertThat(find(policy.id())).contains(policy);
            }
            BudgetPolicy storedBare = find(bare.id()).orElseThrow();
            assertThat(storedBare.limits().isEmpty()).isTrue();
            assertThat(storedBare.triggeredUntil()).isNull();
            assertThat(storedBare.scope().isGlobal()).isTrue();
            assertThat(find(full.id()).orElseThrow().limits().maxCostPerMonth()).isEqualTo(Long.MAX_VALUE);
            assertThat(find(partial.id()).orElseThrow().limits().maxTokensCostPerMonth()).isZero();
            BudgetPolicy storedPool = find(pool.id()).orElseThrow();
            assertThat(storedPool.scope().poolName()).isEqualTo("research");
            assertThat(storedPool.scope().poolAgentIds()).containsExactly(alice.id(), bob.id(), carol.id());
            assertThat(find(newId(Ids.POLICY))).isEmpty();
        }

        @Test
        void insertingAnExistingIdFailsWithAKavachExceptionAndStoresNothing() {
            BudgetPolicy policy = insert(policy(PolicyScope.agent(alice.id())));
            BudgetPolicy sameId = new BudgetPolicy(policy.id(), PolicyScope.pool("team", List.of(bob.id())),
                    BudgetLimits.builder().maxCallsPerDay(1).build(), PolicyAction.WARN, PolicyStatus.ACTIVE, null,
                    T0, T0);

            Throwable thrown = catchThrowable(() -> write(s -> s.policies().insert(sameId)));

            assertThat(thrown).isInstanceOf(KavachException.class);
            assertThat(find(policy.id())).contains(policy);
            assertThat(applicable(bob)).isEmpty();
        }

        @Test
        void updateReplacesLimitsActionStatusTriggeredUntilAndUpdatedAtAndKeepsTheRest() {
            BudgetPolicy original = insert(new BudgetPolicy(newId(Ids.POLICY),
                    PolicyScope.pool("team", List.of(alice.id(), bob.id())),
                    new BudgetLimits(10L, 100L, null, null, 1_000L, null), PolicyAction.WARN, PolicyStatus.ACTIVE, null,
                    T0, T0));
            BudgetPolicy changed = new BudgetPolicy(original.id(), PolicyScope.user("someone-else"),
                    new BudgetLimits(null, 200L, 5L, 50L, null, 9L), PolicyAction.BLOCK, PolicyStatus.TRIGGERED,
                    T0.plus(Duration.ofDays(1)), T0.minusSeconds(99), T0.plusSeconds(10));

            assertThat(writeBoolean(s -> s.policies().update(changed))).isTrue();

            BudgetPolicy expected = new BudgetPolicy(original.id(), original.scope(), changed.limits(),
                    PolicyAction.BLOCK, PolicyStatus.TRIGGERED, T0.plus(Duration.ofDays(1)), T0, T0.plusSeconds(10));
            assertThat(find(original.id())).contains(expected);
            assertThat(applicable(alice)).containsExactly(expected);

            BudgetPolicy reactivated = expected.with(PolicyStatus.ACTIVE, null, T0.plusSeconds(20));
            assertThat(writeBoolean(s -> s.policies().update(reactivated))).isTrue();
            assertThat(find(original.id())).contains(reactivated);
            assertThat(find(original.id()).orElseThrow().triggeredUntil()).isNull();
        }

        @Test
        void updateOfAnUnknownPolicyReturnsFalseAndStoresNothing() {
            insert(policy(PolicyScope.global()));
            BudgetPolicy ghost = policy(PolicyScope.global());

            assertThat(writeBoolean(s -> s.policies().update(ghost))).isFalse();
            assertThat(find(ghost.id())).isEmpty();
        }

        @Test
        void deleteRemovesThePolicyItsPoolMembersAndItsCounters() {
            BudgetPolicy pool = insert(policy(PolicyScope.pool("team", List.of(alice.id(), bob.id()))));
            BudgetPolicy kept = insert(policy(PolicyScope.agent(alice.id())));
            addUsage(pool.id(), DAY, new PolicyUsage(10, 1, 100));
            addUsage(pool.id(), MONTH, new PolicyUsage(10, 1, 100));
            addUsage(kept.id(), DAY, new PolicyUsage(3, 1, 0));

            assertThat(writeBoolean(s -> s.policies().delete(pool.id()))).isTrue();

            assertThat(find(pool.id())).isEmpty();
            assertThat(applicable(alice)).containsExactly(kept);
            assertThat(applicable(bob)).isEmpty();
            assertThat(usage(pool.id(), DAY)).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(pool.id(), MONTH)).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(kept.id(), DAY)).isEqualTo(new PolicyUsage(3, 1, 0));
            assertThat(writeBoolean(s -> s.policies().delete(pool.id()))).isFalse();
            assertThat(writeBoolean(s -> s.policies().delete(newId(Ids.POLICY)))).isFalse();

            // Nothing of the deleted policy comes back with a new policy of the same id.
            BudgetPolicy reused = insert(new BudgetPolicy(pool.id(), PolicyScope.pool("other", List.of(carol.id())),
                    pool.limits(), pool.action(), pool.status(), null, T0, T0));
            assertThat(usage(reused.id(), DAY)).isEqualTo(PolicyUsage.ZERO);
            assertThat(applicable(bob)).isEmpty();
            assertThat(applicable(carol)).containsExactly(reused);
        }

        @Test
        void applicableToReturnsTheMatchingIdentityAndPoolPoliciesOfAnyStatusOrderedById() {
            BudgetPolicy global = insert(policy(PolicyScope.global()));
            BudgetPolicy aliceOnly = insert(policy(PolicyScope.agent(alice.id())));
            BudgetPolicy user1 = insert(policy(PolicyScope.user("user-1"), PolicyStatus.TRIGGERED));
            BudgetPolicy user2 = insert(policy(PolicyScope.user("user-2")));
            BudgetPolicy tenant1 = insert(policy(PolicyScope.tenant("tenant-1")));
            BudgetPolicy tenant2 = insert(policy(PolicyScope.tenant("tenant-2"), PolicyStatus.DISABLED));
            BudgetPolicy user1Tenant1 = insert(policy(new PolicyScope(null, "user-1", "tenant-1", null, null)));
            BudgetPolicy aliceAsUser2 = insert(policy(new PolicyScope(alice.id(), "user-2", null, null, null)));
            BudgetPolicy aliceInTenant2 = insert(policy(new PolicyScope(alice.id(), null, "tenant-2", null, null)));
            BudgetPolicy poolAliceCarol = insert(policy(PolicyScope.pool("ac", List.of(carol.id(), alice.id()))));
            BudgetPolicy poolBob = insert(policy(PolicyScope.pool("b", List.of(bob.id())), PolicyStatus.DISABLED));
            BudgetPolicy disabledGlobal = insert(policy(PolicyScope.global(), PolicyStatus.DISABLED));
            List<BudgetPolicy> all = List.of(global, aliceOnly, user1, user2, tenant1, tenant2, user1Tenant1,
                    aliceAsUser2, aliceInTenant2, poolAliceCarol, poolBob, disabledGlobal);

            assertThat(applicable(alice)).containsExactly(global, aliceOnly, user1, tenant1, user1Tenant1,
                    poolAliceCarol, disabledGlobal);
            // Without a tenant no tenant-scoped policy applies, whatever else it names.
            assertThat(applicable(bob)).containsExactly(global, user1, poolBob, disabledGlobal);
            // A user's policy never applies to another owner's agents (kavachOS applied it to every agent).
            assertThat(applicable(carol)).containsExactly(global, user2, tenant1, poolAliceCarol, disabledGlobal);
            // Nor a tenant's policy to an agent of another tenant.
            assertThat(applicable(dave)).containsExactly(global, user1, tenant2, disabledGlobal);
            assertThat(readList(s -> s.policies().applicableTo(newId(Ids.AGENT), "user-9", null)))
                    .containsExactly(global, disabledGlobal);
            assertThat(readList(s -> s.policies().applicableTo(newId(Ids.AGENT), "user-9", "tenant-9")))
                    .containsExactly(global, disabledGlobal);
            assertThat(applicable(alice).get(5).scope().poolAgentIds()).containsExactly(alice.id(), carol.id());
            for (Agent agent : List.of(alice, bob, carol, dave)) {
                assertThat(applicable(agent)).as("the policies whose scope applies to %s", agent)
                        .containsExactlyElementsOf(all.stream().filter(p -> p.scope().appliesTo(agent)).toList());
            }
        }

        @Test
        void usageIsZeroUntilCountedAndCountersArePerPolicyAndPeriod() {
            BudgetPolicy policy = insert(policy(PolicyScope.agent(alice.id())));
            BudgetPolicy other = insert(policy(PolicyScope.global()));

            assertThat(usage(policy.id(), DAY)).isEqualTo(PolicyUsage.ZERO);

            addUsage(policy.id(), DAY, new PolicyUsage(100, 1, 2_500));
            addUsage(policy.id(), DAY, new PolicyUsage(50, 1, 0));
            addUsage(policy.id(), NEXT_DAY, new PolicyUsage(7, 1, 10));
            addUsage(policy.id(), MONTH, new PolicyUsage(157, 3, 2_510));
            addUsage(other.id(), DAY, new PolicyUsage(1, 1, 1));

            assertThat(usage(policy.id(), DAY)).isEqualTo(new PolicyUsage(150, 2, 2_500));
            assertThat(usage(policy.id(), NEXT_DAY)).isEqualTo(new PolicyUsage(7, 1, 10));
            assertThat(usage(policy.id(), MONTH)).isEqualTo(new PolicyUsage(157, 3, 2_510));
            assertThat(usage(policy.id(), "D:2026-03-12")).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(policy.id(), "M:2026-04")).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(other.id(), DAY)).isEqualTo(new PolicyUsage(1, 1, 1));
            assertThat(usage(other.id(), MONTH)).isEqualTo(PolicyUsage.ZERO);
        }

        @Test
        void aNegativeDeltaCorrectsTheCounters() {
            BudgetPolicy policy = insert(policy(PolicyScope.global()));
            addUsage(policy.id(), DAY, new PolicyUsage(100, 1, 5_000));

            addUsage(policy.id(), DAY, new PolicyUsage(-60, 0, -4_000));
            assertThat(usage(policy.id(), DAY)).isEqualTo(new PolicyUsage(40, 1, 1_000));

            addUsage(policy.id(), DAY, PolicyUsage.ZERO);
            write(s -> {
                s.policies().addUsage(policy.id(), DAY, new PolicyUsage(10, 1, 0));
                s.policies().addUsage(policy.id(), DAY, new PolicyUsage(-5, 0, 0));
                assertThat(s.policies().usage(policy.id(), DAY)).isEqualTo(new PolicyUsage(45, 2, 1_000));
            });
            assertThat(usage(policy.id(), DAY)).isEqualTo(new PolicyUsage(45, 2, 1_000));
        }

        @Test
        void aCounterThatWouldOverflowFailsAndKeepsItsValue() {
            BudgetPolicy policy = insert(policy(PolicyScope.global()));
            addUsage(policy.id(), DAY, new PolicyUsage(Long.MAX_VALUE - 1, 0, 0));
            addUsage(policy.id(), DAY, new PolicyUsage(1, 1, 0));

            Throwable thrown = catchThrowable(() -> addUsage(policy.id(), DAY, new PolicyUsage(1, 1, 0)));

            assertThat(thrown).isInstanceOf(KavachException.class);
            assertThat(usage(policy.id(), DAY)).isEqualTo(new PolicyUsage(Long.MAX_VALUE, 1, 0));
        }

        @Test
        void clearUsageZeroesOnlyThatPolicyAndPeriod() {
            BudgetPolicy policy = insert(policy(PolicyScope.global()));
            BudgetPolicy other = insert(policy(PolicyScope.user("user-1")));
            addUsage(policy.id(), DAY, new PolicyUsage(10, 2, 30));
            addUsage(policy.id(), MONTH, new PolicyUsage(10, 2, 30));
            addUsage(other.id(), DAY, new PolicyUsage(1, 1, 1));

            write(s -> s.policies().clearUsage(policy.id(), DAY));

            assertThat(usage(policy.id(), DAY)).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(policy.id(), MONTH)).isEqualTo(new PolicyUsage(10, 2, 30));
            assertThat(usage(other.id(), DAY)).isEqualTo(new PolicyUsage(1, 1, 1));

            addUsage(policy.id(), DAY, new PolicyUsage(4, 1, 0));
            assertThat(usage(policy.id(), DAY)).isEqualTo(new PolicyUsage(4, 1, 0));
            write(s -> s.policies().clearUsage(policy.id(), NEXT_DAY));
            assertThat(usage(policy.id(), NEXT_DAY)).isEqualTo(PolicyUsage.ZERO);
        }

        @Test
        void closeEarlierPeriodsDeletesOlderCountersOfPoliciesNotDisabledAndNamesThem() {
            BudgetPolicy active = insert(policy(PolicyScope.global()));
            BudgetPolicy triggered = insert(policy(PolicyScope.user("user-1"), PolicyStatus.TRIGGERED));
            BudgetPolicy disabled = insert(policy(PolicyScope.tenant("tenant-1"), PolicyStatus.DISABLED));
            BudgetPolicy current = insert(policy(PolicyScope.agent(alice.id())));
            insert(policy(PolicyScope.agent(bob.id())));
            // The later policy's counters first, so that the order of the result is the store's.
            addUsage(triggered.id(), "D:2026-03-08", new PolicyUsage(5, 1, 0));
            addUsage(triggered.id(), "D:2026-03-07", new PolicyUsage(5, 1, 0));
            addUsage(active.id(), "D:2026-03-09", new PolicyUsage(1, 1, 1));
            addUsage(active.id(), DAY, new PolicyUsage(2, 2, 2));
            addUsage(active.id(), "M:2026-02", new PolicyUsage(3, 3, 3));
            addUsage(active.id(), MONTH, new PolicyUsage(4, 4, 4));
            addUsage(disabled.id(), "D:2026-03-09", new PolicyUsage(6, 6, 6));
            addUsage(current.id(), DAY, new PolicyUsage(7, 7, 7));

            List<String> closedDays = store.write(s -> s.policies().closeEarlierPeriods("D:", DAY));

            assertThat(closedDays).containsExactly(active.id(), triggered.id());
            assertThat(usage(active.id(), "D:2026-03-09")).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(triggered.id(), "D:2026-03-08")).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(triggered.id(), "D:2026-03-07")).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(active.id(), DAY)).isEqualTo(new PolicyUsage(2, 2, 2));
            assertThat(usage(current.id(), DAY)).isEqualTo(new PolicyUsage(7, 7, 7));
            assertThat(usage(active.id(), "M:2026-02")).isEqualTo(new PolicyUsage(3, 3, 3));
            assertThat(usage(active.id(), MONTH)).isEqualTo(new PolicyUsage(4, 4, 4));
            assertThat(usage(disabled.id(), "D:2026-03-09")).isEqualTo(new PolicyUsage(6, 6, 6));

            // Running again, as a repeated cron job does, finds nothing left to close.
            List<String> closedAgain = store.write(s -> s.policies().closeEarlierPeriods("D:", DAY));
            assertThat(closedAgain).isEmpty();

            List<String> closedMonths = store.write(s -> s.policies().closeEarlierPeriods("M:", MONTH));

            assertThat(closedMonths).containsExactly(active.id());
            assertThat(usage(active.id(), "M:2026-02")).isEqualTo(PolicyUsage.ZERO);
            assertThat(usage(active.id(), MONTH)).isEqualTo(new PolicyUsage(4, 4, 4));
            assertThat(usage(active.id(), DAY)).isEqualTo(new PolicyUsage(2, 2, 2));
            assertThat(usage(disabled.id(), "D:2026-03-09")).isEqualTo(new PolicyUsage(6, 6, 6));
        }

        @Test
        void listFiltersByUserTenantAndStatusOrderedById() {
            BudgetPolicy global = insert(policy(PolicyScope.global()));
            BudgetPolicy user1 = insert(policy(PolicyScope.user("user-1")));
            BudgetPolicy user2 = insert(policy(PolicyScope.user("user-2")));
            BudgetPolicy tenant1 = insert(policy(PolicyScope.tenant("tenant-1")));
            BudgetPolicy user1Tenant1 = insert(policy(new PolicyScope(null, "user-1", "tenant-1", null, null),
                    PolicyStatus.TRIGGERED));
            BudgetPolicy aliceOfUser1 = insert(policy(new PolicyScope(alice.id(), "user-1", null, null, null)));
            BudgetPolicy pool = insert(policy(PolicyScope.pool("team", List.of(alice.id(), bob.id()))));
            BudgetPolicy disabledGlobal = insert(policy(PolicyScope.global(), PolicyStatus.DISABLED));
            BudgetPolicy triggeredUser1 = insert(policy(PolicyScope.user("user-1"), PolicyStatus.TRIGGERED));

            assertThat(list(null, null, false, null)).containsExactly(global, user1, user2, tenant1, user1Tenant1,
                    aliceOfUser1, pool, disabledGlobal, triggeredUser1);
            assertThat(list(null, null, true, null)).hasSize(9);
            assertThat(list("user-1", null, false, null))
                    .containsExactly(user1, user1Tenant1, aliceOfUser1, triggeredUser1);
            assertThat(list("user-1", null, true, null)).containsExactly(global, user1, user1Tenant1, aliceOfUser1,
                    disabledGlobal, triggeredUser1);
            assertThat(list(null, "tenant-1", false, null)).containsExactly(tenant1, user1Tenant1);
            assertThat(list(null, "tenant-1", true, null))
                    .containsExactly(global, tenant1, user1Tenant1, disabledGlobal);
            assertThat(list("user-1", "tenant-1", false, null)).containsExactly(user1Tenant1);
            assertThat(list("user-1", null, false, PolicyStatus.TRIGGERED))
                    .containsExactly(user1Tenant1, triggeredUser1);
            assertThat(list("user-1", null, true, PolicyStatus.ACTIVE)).containsExactly(global, user1, aliceOfUser1);
            assertThat(list(null, null, false, PolicyStatus.DISABLED)).containsExactly(disabledGlobal);
            assertThat(list("user-3", null, false, null)).isEmpty();
            assertThat(list("user-3", null, true, null)).containsExactly(global, disabledGlobal);
            assertThat(list(null, null, false, null).get(6).scope().poolAgentIds())
                    .containsExactly(alice.id(), bob.id());
        }

        @Test
        void listFiltersBeforeApplyingTheLimit() {
            List<BudgetPolicy> others = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                others.add(insert(policy(PolicyScope.user("user-2"))));
            }
            BudgetPolicy mine = insert(policy(PolicyScope.user("user-1")));
            BudgetPolicy global = insert(policy(PolicyScope.global()));
            BudgetPolicy disabled = insert(policy(PolicyScope.user("user-2"), PolicyStatus.DISABLED));

            assertThat(readList(s -> s.policies().list(new PolicyQuery("user-1", null, false, null, 1))))
                    .containsExactly(mine);
            assertThat(readList(s -> s.policies().list(new PolicyQuery("user-1", null, true, null, 2))))
                    .containsExactly(mine, global);
            assertThat(readList(s -> s.policies().list(new PolicyQuery(null, null, false, null, 2))))
                    .containsExactlyElementsOf(others.subList(0, 2));
            assertThat(readList(s -> s.policies().list(new PolicyQuery(null, null, false, PolicyStatus.DISABLED, 1))))
                    .containsExactly(disabled);
        }

        @Test
        void reservationsReadBackAndUpdateOnlyTheirCostAndSettlement() {
            BudgetPolicy first = insert(policy(PolicyScope.agent(alice.id())));
            BudgetPolicy second = insert(policy(PolicyScope.global()));
            UsageReservation reserved = new UsageReservation(newId(Ids.AUDIT), alice.id(),
                    List.of(second.id(), first.id()), DAY, MONTH, 1_200, T0.plusMillis(7), null);
            UsageReservation onNothing = reservation(bob, List.of(), 0);
            write(s -> {
                s.policies().insertReservation(reserved);
                s.policies().insertReservation(onNothing);
            });

            assertThat(findReservation(reserved.id())).contains(reserved);
            assertThat(findReservation(reserved.id()).orElseThrow().policyIds())
                    .containsExactly(second.id(), first.id());
            assertThat(findReservation(onNothing.id())).contains(onNothing);
            assertThat(findReservation(newId(Ids.AUDIT))).isEmpty();

            UsageReservation settled = new UsageReservation(reserved.id(), alice.id(), reserved.policyIds(), DAY, MONTH,
                    900, reserved.createdAt(), T0.plusSeconds(5));
            assertThat(writeBoolean(s -> s.policies().updateReservation(settled))).isTrue();
            assertThat(findReservation(reserved.id())).contains(settled);

            UsageReservation other = new UsageReservation(reserved.id(), bob.id(), List.of(), "D:2026-01-01",
                    "M:2026-01", 1_500, T0.minusSeconds(1), T0.plusSeconds(9));
            assertThat(writeBoolean(s -> s.policies().updateReservation(other))).isTrue();
            assertThat(findReservation(reserved.id())).contains(new UsageReservation(reserved.id(), alice.id(),
                    reserved.policyIds(), DAY, MONTH, 1_500, reserved.createdAt(), T0.plusSeconds(9)));

            UsageReservation unknown = reservation(alice, List.of(first.id()), 5);
            assertThat(writeBoolean(s -> s.policies().updateReservation(unknown))).isFalse();
            assertThat(findReservation(unknown.id())).isEmpty();
        }

        @Test
        void concurrentAddUsageUnitsLoseNoIncrement() throws Exception {
            int threads = 16;
            int unitsPerThread = 250;
            BudgetPolicy policy = insert(policy(PolicyScope.global()));

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < unitsPerThread; i++) {
                            write(s -> {
                                s.policies().addUsage(policy.id(), DAY, new PolicyUsage(1, 1, 0));
                                s.policies().addUsage(policy.id(), MONTH, new PolicyUsage(1, 1, 0));
                            });
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            long total = (long) threads * unitsPerThread;
            assertThat(usage(policy.id(), DAY)).isEqualTo(new PolicyUsage(total, total, 0));
            assertThat(usage(policy.id(), MONTH)).isEqualTo(new PolicyUsage(total, total, 0));
        }

        private Optional<BudgetPolicy> find(String policyId) {
            return readOptional(s -> s.policies().find(policyId));
        }

        private List<BudgetPolicy> applicable(Agent agent) {
            return readList(s -> s.policies().applicableTo(agent.id(), agent.ownerId(), agent.tenantId()));
        }

        private List<BudgetPolicy> list(String userId, String tenantId, boolean includeGlobal, PolicyStatus status) {
            return readList(s -> s.policies().list(new PolicyQuery(userId, tenantId, includeGlobal, status, 100)));
        }

        private PolicyUsage usage(String policyId, String period) {
            return read(s -> s.policies().usage(policyId, period));
        }

        private void addUsage(String policyId, String period, PolicyUsage delta) {
            write(s -> s.policies().addUsage(policyId, period, delta));
        }

        private Optional<UsageReservation> findReservation(String usageId) {
            return readOptional(s -> s.policies().findReservation(usageId));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Costs {
        private static final String USD = "USD";
        private static final String EUR = "EUR";
        /** Midnight UTC of T0's day, 2025-03-01. */
        private static final Instant DAY0 = Instant.parse("2025-03-01T00:00:00Z");
        private static final Duration DAY = Duration.ofDays(1);
        /** user-1 in tenant-1. */
        private Agent alice;
        /** user-1 without tenant. */
        private Agent bob;
        /** user-2 without tenant. */
        private Agent carol;

        @BeforeEach
        void agents() {
            alice = insert(agent("user-1", "tenant-1", AgentType.AUTONOMOUS, AgentStatus.ACTIVE, null));
            bob = insertAgent("user-1");
            carol = insertAgent("user-2");
        }

        @Test
        void anInsertedEventCountsInEverySummaryWithEveryAmount() {
            CostEvent event = insert(new CostEvent(newId(Ids.COST_EVENT), T0.plusMillis(7), utcDay(T0), alice.id(),
                    "user-1", "tenant-1", "openai:gpt-4o", 1_234, 5_678, 98_765, USD, METADATA, "dlg_chain-1"));
            Totals totals = new Totals(98_765, 1, 1_234, 5_678);
            CostSummary expected = new CostSummary(totals, List.of(new ToolTotal("openai:gpt-4o", totals)),
                    List.of(new DayTotal(utcDay(T0), totals)));

            assertThat(summarize(CostSlice.agent(alice.id(), USD), null, null)).isEqualTo(expected);
            assertThat(summarize(CostSlice.owner("user-1", USD), T0, T0.plusMillis(8))).isEqualTo(expected);
            assertThat(summarize(CostSlice.chains(Set.of("dlg_chain-1"), USD), null, null)).isEqualTo(expected);
            assertThat(summarizeDays(CostSlice.agent(alice.id(), USD), utcDay(T0), utcDay(T0.plus(DAY))))
                    .isEqualTo(expected);
            assertThat(summarizeDays(CostSlice.owner("user-1", USD), null, null)).isEqualTo(expected);
            assertThat(topAgents(10, null, null, USD))
                    .containsExactly(new AgentTotal(alice.id(), "user-1", totals));
            assertThat(spendSince(alice.id(), T0, USD)).isEqualTo(event.costMicros());

            CostEvent free = insert(new CostEvent(newId(Ids.COST_EVENT), T0.plusMillis(8), utcDay(T0), alice.id(),
                    "user-1", null, "mcp:github", 0, 0, 0, USD, Map.of(), null));
            Totals freeTotals = new Totals(0, 1, 0, 0);
            assertThat(summarize(CostSlice.agent(alice.id(), USD), null, null)).isEqualTo(new CostSummary(
                    new Totals(98_765, 2, 1_234, 5_678),
                    List.of(new ToolTotal("openai:gpt-4o", totals), new ToolTotal(free.tool(), freeTotals)),
                    List.of(new DayTotal(utcDay(T0), new Totals(98_765, 2, 1_234, 5_678)))));
            assertThat(summarize(CostSlice.chains(Set.of("dlg_chain-1"), USD), null, null)).isEqualTo(expected);
        }

        @Test
        void emptySummariesAreZero() {
            CostSummary empty = new CostSummary(Totals.ZERO, List.of(), List.of());

            assertThat(summarize(CostSlice.agent(alice.id(), USD), null, null)).isEqualTo(empty);
            assertThat(summarize(CostSlice.owner("user-1", USD), T0, T0.plus(DAY))).isEqualTo(empty);
            assertThat(summarize(CostSlice.chains(Set.of("dlg_none"), USD), null, null)).isEqualTo(empty);
            assertThat(summarizeDays(CostSlice.agent(alice.id(), USD), null, null)).isEqualTo(empty);
            assertThat(summarizeDays(CostSlice.owner("user-1", USD), utcDay(T0), utcDay(T0.plus(DAY))))
                    .isEqualTo(empty);
            assertThat(topAgents(5, null, null, USD)).isEmpty();
            assertThat(spendSince(alice.id(), Instant.EPOCH, USD)).isZero();
        }

        @Test
        void slicesSelectAnAgentAnOwnersAgentsOrTheChainsEventsWhoeverSpentThem() {
            insert(costEvent(alice, T0, "a", 1, USD, "dlg_1"));
            insert(costEvent(alice, T0, "a", 10, USD, "dlg_2"));
            insert(costEvent(bob, T0, "a", 100, USD, "dlg_1"));
            insert(costEvent(bob, T0, "a", 1_000, USD));
            insert(costEvent(carol, T0, "a", 10_000, USD, "dlg_3"));
            insert(costEvent(carol, T0, "a", 100_000, USD, "dlg_2"));

            assertThat(cost(CostSlice.agent(alice.id(), USD))).isEqualTo(11);
            assertThat(cost(CostSlice.agent(bob.id(), USD))).isEqualTo(1_100);
            assertThat(cost(CostSlice.owner("user-1", USD))).isEqualTo(1_111);
            assertThat(cost(CostSlice.owner("user-2", USD))).isEqualTo(110_000);
            assertThat(cost(CostSlice.owner("user-3", USD))).isZero();
            assertThat(cost(CostSlice.chains(Set.of("dlg_1"), USD))).isEqualTo(101);
            assertThat(cost(CostSlice.chains(Set.of("dlg_1", "dlg_2"), USD))).isEqualTo(100_111);
            assertThat(cost(CostSlice.chains(Set.of("dlg_2", "dlg_3", "dlg_none"), USD))).isEqualTo(110_010);
            assertThat(cost(CostSlice.chains(Set.of(), USD))).as("no chains cover nothing").isZero();
            assertThat(summarize(CostSlice.chains(Set.of("dlg_1"), USD), null, null).total().calls()).isEqualTo(2);

            assertThat(daysCost(CostSlice.agent(alice.id(), USD))).isEqualTo(11);
            assertThat(daysCost(CostSlice.owner("user-1", USD))).isEqualTo(1_111);
            assertThat(daysCost(CostSlice.owner("user-2", USD))).isEqualTo(110_000);
        }

        @Test
        void aSummaryOfWholeDaysRefusesChains() {
            insert(costEvent(alice, T0, "a", 1, USD, "dlg_1"));

            Throwable thrown = catchThrowable(
                    () -> summarizeDays(CostSlice.chains(Set.of("dlg_1"), USD), utcDay(T0), utcDay(T0.plus(DAY))));

            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void currenciesAreNeverSummedTogether() {
            insert(costEvent(alice, T0, "a", 1_000, USD, "dlg_1"));
            insert(costEvent(alice, T0.plusSeconds(1), "a", 2_000, EUR, "dlg_1"));
            insert(costEvent(alice, T0.plusSeconds(2), "b", 30_000, EUR));
            insert(costEvent(bob, T0.plusSeconds(3), "a", 400, USD));

            CostSummary usd = summarize(CostSlice.agent(alice.id(), USD), null, null);
            CostSummary eur = summarize(CostSlice.agent(alice.id(), EUR), null, null);
            assertThat(usd.total()).isEqualTo(new Totals(1_000, 1, 10, 20));
            assertThat(usd.byTool()).containsExactly(new ToolTotal("a", new Totals(1_000, 1, 10, 20)));
            assertThat(eur.total()).isEqualTo(new Totals(32_000, 2, 20, 40));
            assertThat(eur.byTool()).containsExactly(new ToolTotal("b", new Totals(30_000, 1, 10, 20)),
                    new ToolTotal("a", new Totals(2_000, 1, 10, 20)));
            assertThat(summarizeDays(CostSlice.agent(alice.id(), USD), null, null)).isEqualTo(usd);
            assertThat(summarizeDays(CostSlice.agent(alice.id(), EUR), null, null)).isEqualTo(eur);
            assertThat(cost(CostSlice.owner("user-1", USD))).isEqualTo(1_400);
            assertThat(cost(CostSlice.owner("user-1", EUR))).isEqualTo(32_000);
            assertThat(cost(CostSlice.chains(Set.of("dlg_1"), EUR))).isEqualTo(2_000);
            assertThat(cost(CostSlice.agent(alice.id(), "GBP"))).isZero();
            assertThat(topAgents(10, null, null, USD)).extracting(AgentTotal::agentId)
                    .containsExactly(alice.id(), bob.id());
            assertThat(topAgents(10, null, null, EUR))
                    .containsExactly(new AgentTotal(alice.id(), "user-1", new Totals(32_000, 2, 20, 40)));
            assertThat(spendSince(alice.id(), Instant.EPOCH, USD)).isEqualTo(1_000);
            assertThat(spendSince(alice.id(), Instant.EPOCH, EUR)).isEqualTo(32_000);
        }

        @Test
        void periodsIncludeSinceAndExcludeUntilAndAbsentBoundsAreOpen() {
            Instant until = T0.plus(Duration.ofHours(1));
            insert(costEvent(alice, T0.minusMillis(1), "a", 1, USD, "dlg_1"));
            insert(costEvent(alice, T0, "a", 10, USD, "dlg_1"));
            insert(costEvent(alice, until.minusMillis(1), "a", 100, USD, "dlg_1"));
            insert(costEvent(alice, until, "a", 1_000, USD, "dlg_1"));

            for (CostSlice slice : List.of(CostSlice.agent(alice.id(), USD), CostSlice.owner("user-1", USD),
                    CostSlice.chains(Set.of("dlg_1"), USD))) {
                assertThat(summarize(slice, T0, until).total().costMicros()).as("%s", slice).isEqualTo(110);
                assertThat(summarize(slice, T0, null).total().costMicros()).as("%s", slice).isEqualTo(1_110);
                assertThat(summarize(slice, null, until).total().costMicros()).as("%s", slice).isEqualTo(111);
                assertThat(summarize(slice, null, null).total().costMicros()).as("%s", slice).isEqualTo(1_111);
                assertThat(summarize(slice, T0, T0).total()).as("%s", slice).isEqualTo(Totals.ZERO);
            }
            assertThat(topAgents(1, T0, until, USD)).extracting(a -> a.totals().costMicros()).containsExactly(110L);
            assertThat(topAgents(1, null, until, USD)).extracting(a -> a.totals().costMicros()).containsExactly(111L);
            assertThat(topAgents(1, T0, null, USD)).extracting(a -> a.totals().costMicros())
                    .containsExactly(1_110L);
        }

        @Test
        void byToolIsMostExpensiveFirstThenByNameWithEachToolsCallsAndTokens() {
            insert(costEvent(alice, T0, "b", 300, USD));
            insert(costEvent(alice, T0, "d", 100, USD));
            insert(costEvent(alice, T0, "a", 100, USD));
            insert(costEvent(alice, T0, "a", 200, USD));
            insert(costEvent(alice, T0, "c", 250, USD));
            insert(costEvent(alice, T0, "c", 250, USD));
            insert(costEvent(alice, T0, "e", 0, USD));

            CostSummary summary = summarize(CostSlice.agent(alice.id(), USD), null, null);

            assertThat(summary.byTool()).containsExactly(
                    new ToolTotal("c", new Totals(500, 2, 20, 40)),
                    new ToolTotal("a", new Totals(300, 2, 20, 40)),
                    new ToolTotal("b", new Totals(300, 1, 10, 20)),
                    new ToolTotal("d", new Totals(100, 1, 10, 20)),
                    new ToolTotal("e", new Totals(0, 1, 10, 20)));
            assertThat(summary.total()).isEqualTo(new Totals(1_200, 7, 70, 140));
            assertThat(summarizeDays(CostSlice.agent(alice.id(), USD), null, null)).isEqualTo(summary);
        }

        @Test
        void byDayIsOldestFirstWithEachDaysTotals() {
            insert(costEvent(alice, DAY0.plus(DAY.multipliedBy(2)), "a", 5, USD));
            insert(costEvent(alice, DAY0, "a", 1, USD));
            insert(costEvent(alice, DAY0.plus(DAY).minusMillis(1), "b", 2, USD));
            insert(costEvent(alice, DAY0.plus(DAY.multipliedBy(2)).plusSeconds(5), "b", 7, USD));
            insert(costEvent(alice, DAY0.minus(DAY.multipliedBy(30)), "a", 3, USD));

            CostSummary summary = summarize(CostSlice.agent(alice.id(), USD), null, null);

            assertThat(summary.byDay()).containsExactly(
                    new DayTotal("2025-01-30", new Totals(3, 1, 10, 20)),
                    new DayTotal("2025-03-01", new Totals(3, 2, 20, 40)),
                    new DayTotal("2025-03-03", new Totals(12, 2, 20, 40)));
            assertThat(summary.total()).isEqualTo(new Totals(18, 5, 50, 100));
        }

        @Test
        void aSummaryOfWholeDaysEqualsTheSummaryOfTheirEvents() {
            List<Agent> agents = List.of(alice, bob, carol);
            List<String> tools = List.of("openai:gpt-4o", "anthropic:claude", "mcp:github");
            Random random = new Random(42);
            for (int i = 0; i < 200; i++) {
                Instant at = DAY0.plusMillis((long) (random.nextDouble() * 6 * DAY.toMillis()));
                insert(costEvent(agents.get(random.nextInt(3)), at, tools.get(random.nextInt(3)),
                        random.nextInt(1_000_000), random.nextInt(5) == 0 ? EUR : USD));
            }

            for (int from = 0; from <= 6; from++) {
                for (int to = from; to <= 6; to++) {
                    Instant since = DAY0.plus(DAY.multipliedBy(from));
                    Instant until = DAY0.plus(DAY.multipliedBy(to));
                    for (CostSlice slice : List.of(CostSlice.agent(alice.id(), USD), CostSlice.agent(bob.id(), EUR),
                            CostSlice.owner("user-1", USD), CostSlice.owner("user-2", USD),
                            CostSlice.owner("user-1", EUR))) {
                        assertThat(summarizeDays(slice, utcDay(since), utcDay(until)))
                                .as("%s from day %d to %d", slice, from, to)
                                .isEqualTo(summarize(slice, since, until));
                    }
                }
            }
            assertThat(summarizeDays(CostSlice.owner("user-1", USD), null, null))
                    .isEqualTo(summarize(CostSlice.owner("user-1", USD), null, null));
            assertThat(summarizeDays(CostSlice.owner("user-1", USD), null, null).total().calls()).isPositive();
        }

        @Test
        void topAgentsAreTheBiggestSpendersMostFirstTiesByAgentIdWithTheirOwners() {
            Agent dave = insertAgent("user-3");
            insert(costEvent(carol, T0, "a", 500, USD));
            insert(costEvent(dave, T0, "a", 100, USD));
            insert(costEvent(dave, T0.plusSeconds(1), "b", 200, USD));
            insert(costEvent(bob, T0, "b", 300, USD));
            insert(costEvent(alice, T0, "a", 100, USD));
            insert(costEvent(alice, T0.plus(DAY), "a", 10_000, USD));
            insert(costEvent(bob, T0, "a", 10_000, EUR));

            List<AgentTotal> top = topAgents(3, T0, T0.plus(DAY), USD);

            List<Agent> tied = new ArrayList<>(List.of(bob, dave));
            tied.sort(Comparator.comparing(Agent::id));
            assertThat(top).containsExactly(
                    new AgentTotal(carol.id(), "user-2", new Totals(500, 1, 10, 20)),
                    new AgentTotal(tied.get(0).id(), tied.get(0).ownerId(),
                            tied.get(0) == bob ? new Totals(300, 1, 10, 20) : new Totals(300, 2, 20, 40)),
                    new AgentTotal(tied.get(1).id(), tied.get(1).ownerId(),
                            tied.get(1) == bob ? new Totals(300, 1, 10, 20) : new Totals(300, 2, 20, 40)));
            assertThat(topAgents(10, T0, T0.plus(DAY), USD)).extracting(AgentTotal::agentId)
                    .containsExactly(carol.id(), tied.get(0).id(), tied.get(1).id(), alice.id());
            assertThat(topAgents(1, null, null, USD)).extracting(AgentTotal::agentId).containsExactly(alice.id());
            assertThat(topAgents(0, null, null, USD)).isEmpty();
        }

        @Test
        void spendSinceSumsTheAgentsSpendAfterTheInstantInTheCurrency() {
            insert(costEvent(alice, T0, "a", 1, USD));
            insert(costEvent(alice, T0.plusMillis(1), "b", 10, USD));
            insert(costEvent(alice, T0.plusSeconds(60), "a", 100, USD));
            insert(costEvent(alice, T0.plusSeconds(60), "a", 1_000, EUR));
            insert(costEvent(bob, T0.plusSeconds(60), "a", 10_000, USD));

            assertThat(spendSince(alice.id(), T0.minusMillis(1), USD)).isEqualTo(111);
            assertThat(spendSince(alice.id(), T0, USD)).as("since is exclusive").isEqualTo(110);
            assertThat(spendSince(alice.id(), T0.plusMillis(1), USD)).isEqualTo(100);
            assertThat(spendSince(alice.id(), T0.plusSeconds(60), USD)).isZero();
            assertThat(spendSince(alice.id(), Instant.EPOCH, EUR)).isEqualTo(1_000);
            assertThat(spendSince(bob.id(), Instant.EPOCH, USD)).isEqualTo(10_000);
            assertThat(spendSince(carol.id(), Instant.EPOCH, USD)).isZero();
        }

        @Test
        void alertStateIsKeptPerAgentAndTypeAndReplacedWhenSavedAgain() {
            assertThat(lastAlert(alice.id(), "warn")).isEmpty();

            write(s -> s.costs().saveAlert(alice.id(), "warn", T0));
            write(s -> s.costs().saveAlert(alice.id(), "critical", T0.plusSeconds(1)));
            write(s -> s.costs().saveAlert(bob.id(), "warn", T0.plusSeconds(2)));

            assertThat(lastAlert(alice.id(), "warn")).contains(T0);
            assertThat(lastAlert(alice.id(), "critical")).contains(T0.plusSeconds(1));
            assertThat(lastAlert(bob.id(), "warn")).contains(T0.plusSeconds(2));
            assertThat(lastAlert(bob.id(), "critical")).isEmpty();
            assertThat(lastAlert(carol.id(), "warn")).isEmpty();

            write(s -> s.costs().saveAlert(alice.id(), "warn", T0.plusMillis(1_234)));
            assertThat(lastAlert(alice.id(), "warn")).contains(T0.plusMillis(1_234));
            write(s -> s.costs().saveAlert(alice.id(), "warn", T0.minusSeconds(10)));
            assertThat(lastAlert(alice.id(), "warn")).as("the last saved, not the latest").contains(T0.minusSeconds(10));
            assertThat(lastAlert(alice.id(), "critical")).contains(T0.plusSeconds(1));
        }

        @Test
        void deleteBeforeDeletesTheOlderEventsAndTakesThemOutOfTheRollups() {
            List<Agent> agents = List.of(alice, bob, carol);
            List<String> tools = List.of("openai:gpt-4o", "mcp:github");
            Random random = new Random(7);
            int older = 0;
            Instant cutoff = DAY0.plus(DAY.multipliedBy(2)).plus(Duration.ofHours(13));
            for (int i = 0; i < 150; i++) {
                Instant at = DAY0.plusMillis((long) (random.nextDouble() * 5 * DAY.toMillis()));
                older += at.isBefore(cutoff) ? 1 : 0;
                insert(costEvent(agents.get(random.nextInt(3)), at, tools.get(random.nextInt(2)),
                        random.nextInt(1_000_000), random.nextInt(4) == 0 ? EUR : USD));
            }
            insert(costEvent(alice, cutoff, "at-cutoff", 5, USD));
            insert(costEvent(alice, cutoff.minusMillis(1), "before-cutoff", 7, USD));
            older++;
            List<CostSlice> slices = List.of(CostSlice.agent(alice.id(), USD), CostSlice.agent(bob.id(), USD),
                    CostSlice.agent(carol.id(), EUR), CostSlice.owner("user-1", USD), CostSlice.owner("user-1", EUR),
                    CostSlice.owner("user-2", USD));
            Map<CostSlice, CostSummary> expected = new LinkedHashMap<>();
            for (CostSlice slice : slices) {
                expected.put(slice, summarize(slice, cutoff, null));
            }

            assertThat(deleteBefore(cutoff)).isEqualTo((long) older);

            for (CostSlice slice : slices) {
                CostSummary remaining = summarize(slice, null, null);
                assertThat(remaining).as("%s", slice).isEqualTo(expected.get(slice));
                assertThat(summarizeDays(slice, null, null)).as("%s", slice).isEqualTo(remaining);
                assertThat(summarizeDays(slice, "2025-03-03", "2025-03-04")).as("%s", slice)
                        .isEqualTo(summarize(slice, cutoff, DAY0.plus(DAY.multipliedBy(3))));
            }
            CostSummary alices = summarizeDays(CostSlice.agent(alice.id(), USD), null, null);
            assertThat(alices.byTool()).extracting(ToolTotal::tool).contains("at-cutoff")
                    .doesNotContain("before-cutoff");
            assertThat(alices.byDay()).extracting(DayTotal::day)
                    .as("the days wholly deleted have no rollups left").doesNotContain("2025-03-01", "2025-03-02");

            assertThat(deleteBefore(cutoff)).isZero();
            assertThat(summarizeDays(CostSlice.owner("user-1", USD), null, null))
                    .isEqualTo(expected.get(CostSlice.owner("user-1", USD)));

            assertThat(deleteBefore(DAY0.plus(DAY.multipliedBy(10))))
                    .isEqualTo(150L + 2 - older);
            for (CostSlice slice : slices) {
                CostSummary empty = new CostSummary(Totals.ZERO, List.of(), List.of());
                assertThat(summarize(slice, null, null)).as("%s", slice).isEqualTo(empty);
                assertThat(summarizeDays(slice, null, null)).as("%s", slice).isEqualTo(empty);
            }
        }

        @Test
        void sumsAreExactIntegers() {
            for (int i = 0; i < 10; i++) {
                insert(costEvent(alice, T0.plusMillis(i), "openai:gpt-4o", 100_000, USD));
            }
            // 2^53 + 1 and 2^53 + 3 have no double; the sums of such amounts must not pass through one.
            insert(costEvent(bob, T0, "a", 9_007_199_254_740_993L, EUR));
            insert(costEvent(bob, T0, "a", 2, EUR));

            assertThat(cost(CostSlice.agent(alice.id(), USD))).isEqualTo(1_000_000);
            assertThat(daysCost(CostSlice.agent(alice.id(), USD))).isEqualTo(1_000_000);
            assertThat(spendSince(alice.id(), Instant.EPOCH, USD)).isEqualTo(1_000_000);
            assertThat(topAgents(1, null, null, USD)).extracting(a -> a.totals().costMicros())
                    .containsExactly(1_000_000L);
            assertThat(summarize(CostSlice.agent(alice.id(), USD), null, null).byDay())
                    .containsExactly(new DayTotal(utcDay(T0), new Totals(1_000_000, 10, 100, 200)));

            long big = 9_007_199_254_740_995L;
            assertThat(cost(CostSlice.agent(bob.id(), EUR))).isEqualTo(big);
            assertThat(daysCost(CostSlice.owner("user-1", EUR))).isEqualTo(big);
            assertThat(spendSince(bob.id(), Instant.EPOCH, EUR)).isEqualTo(big);
            assertThat(topAgents(1, null, null, EUR)).extracting(a -> a.totals().costMicros()).containsExactly(big);
        }

        @Test
        void concurrentInsertsLoseNoCostInEventsOrRollups() throws Exception {
            int threads = 16;
            int unitsPerThread = 100;
            long micros = 123_457;

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Agent agent = t % 2 == 0 ? alice : bob;
                    Instant at = T0.plusMillis(t);
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < unitsPerThread; i++) {
                            insert(costEvent(agent, at, "openai:gpt-4o", micros, USD));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            long calls = (long) threads * unitsPerThread;
            Totals all = new Totals(calls * micros, calls, calls * 10, calls * 20);
            Totals half = new Totals(all.costMicros() / 2, calls / 2, calls * 5, calls * 10);
            CostSlice owner = CostSlice.owner("user-1", USD);
            assertThat(summarize(owner, null, null).total()).isEqualTo(all);
            assertThat(summarizeDays(owner, null, null)).isEqualTo(summarize(owner, null, null));
            assertThat(summarizeDays(CostSlice.agent(alice.id(), USD), null, null).total()).isEqualTo(half);
            assertThat(summarize(CostSlice.agent(bob.id(), USD), null, null).total()).isEqualTo(half);
            assertThat(spendSince(alice.id(), Instant.EPOCH, USD)).isEqualTo(half.costMicros());
        }

        private CostSummary summarize(CostSlice slice, Instant since, Instant until) {
            return read(s -> s.costs().summarize(slice, since, until));
        }

        private CostSummary summarizeDays(CostSlice slice, String fromDay, String toDay) {
            return read(s -> s.costs().summarizeDays(slice, fromDay, toDay));
        }

        /** The slice's total cost of all time, from the events. */
        private long cost(CostSlice slice) {
            return summarize(slice, null, null).total().costMicros();
        }

        /** The slice's total cost of all days, from the rollups. */
        private long daysCost(CostSlice slice) {
            return summarizeDays(slice, null, null).total().costMicros();
        }

        private List<AgentTotal> topAgents(int n, Instant since, Instant until, String currency) {
            return readList(s -> s.costs().topAgents(n, since, until, currency));
        }

        private long spendSince(String agentId, Instant since, String currency) {
            return read(s -> s.costs().spendSince(agentId, since, currency));
        }

        private Optional<Instant> lastAlert(String agentId, String type) {
            return readOptional(s -> s.costs().lastAlert(agentId, type));
        }

        private long deleteBefore(Instant cutoff) {
            return store.write(s -> s.costs().deleteBefore(cutoff));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Transactions {

        @Test
        void writeAndReadReturnTheWorksResult() {
            Agent agent = agent("user-1");

            String written = store.write(s -> {
                s.agents().insert(agent, tokenHashOf(agent.id()));
                return "done";
            });

            assertThat(written).isEqualTo("done");
            assertThat(readOptional(s -> s.agents().find(agent.id()).map(Agent::name))).contains(agent.name());
        }

        @Test
        void everyWriteOfAUnitIsVisibleAfterItCommits() {
            Agent agent = agent("user-1");

            write(s -> {
                s.agents().insert(agent, tokenHashOf(agent.id()));
                s.rateLimits().record(agent.id(), "k", T0, Instant.EPOCH);
                s.audit().append(auditEntry(agent.id(), T0));
                s.approvals().insert(approval(agent, "deploy", "svc:x", ApprovalStatus.PENDING, T0, null));
            });

            assertThat(readOptional(s -> s.agents().find(agent.id()))).contains(agent);
            assertThat(readInt(s -> s.rateLimits().window(agent.id(), "k", Instant.EPOCH).count())).isEqualTo(1);
            assertThat(readList(s -> s.audit().query(AuditQuery.of(agent.id(), null, null, 10)))).hasSize(1);
            assertThat(readOptional(s -> s.approvals().findPending(agent.id(), "deploy", "svc:x"))).isPresent();
        }

        @Test
        void aWriteWhoseWorkThrowsStoresNothingAndRethrowsTheSameException() {
            Agent existing = insertAgent("user-1");
            Agent agent = agent("user-1");
            IllegalStateException failure = new IllegalStateException("the unit of work failed");

            Throwable thrown = catchThrowable(() -> store.write(s -> {
                s.agents().insert(agent, tokenHashOf(agent.id()));
                s.agents().touch(existing.id(), T0.plusSeconds(9));
                s.rateLimits().record(agent.id(), "k", T0, Instant.EPOCH);
                s.audit().append(auditEntry(agent.id(), T0));
                throw failure;
            }));

            assertThat(thrown).isSameAs(failure);
            assertThat(readOptional(s -> s.agents().find(agent.id()))).isEmpty();
            assertThat(readOptional(s -> s.agents().find(existing.id()))).contains(existing);
            assertThat(readInt(s -> s.rateLimits().window(agent.id(), "k", Instant.EPOCH).count())).isZero();
            assertThat(readList(s -> s.audit().query(AuditQuery.of(null, null, null, 10)))).isEmpty();
        }

        @Test
        void aKavachExceptionThrownByTheWorkPropagatesUnchangedAndRollsBack() {
            Agent agent = agent("user-1");
            NotFoundException failure = new NotFoundException("agent", "agt_missing");

            Throwable thrown = catchThrowable(() -> store.write(s -> {
                s.agents().insert(agent, tokenHashOf(agent.id()));
                throw failure;
            }));

            assertThat(thrown).isSameAs(failure);
            assertThat(readOptional(s -> s.agents().find(agent.id()))).isEmpty();
        }

        @Test
        void anExceptionThrownByReadWorkPropagatesUnchanged() {
            NotFoundException failure = new NotFoundException("agent", "agt_missing");

            assertThat(catchThrowable(() -> store.read(s -> {
                s.agents().find("agt_missing");
                throw failure;
            }))).isSameAs(failure);
        }

        @Test
        void aFailedStatementFailsTheUnitWithAKavachExceptionAndRollsItBack() {
            Agent agent = insertAgent("user-1");
            Agent other = agent("user-1");

            Throwable thrown = catchThrowable(() -> write(s -> {
                s.agents().insert(other, tokenHashOf(other.id()));
                s.agents().insert(agent, tokenHashOf(agent.id()));
            }));

            assertThat(thrown).isInstanceOf(KavachException.class);
            assertThat(readOptional(s -> s.agents().find(other.id()))).isEmpty();
        }

        @Test
        void aReadCannotWrite() {
            Agent agent = agent("user-1");

            Throwable thrown = catchThrowable(() -> store.read(s -> {
                s.agents().insert(agent, tokenHashOf(agent.id()));
                return null;
            }));

            assertThat(thrown).isInstanceOf(KavachException.class);
            assertThat(readOptional(s -> s.agents().find(agent.id()))).isEmpty();
        }

        @Test
        void concurrentReadModifyWriteUnitsLoseNoUpdate() throws Exception {
            int threads = 16;
            int unitsPerThread = 200;
            Agent counter = insert(new Agent(newId(Ids.AGENT), "user-1", null, "counter", AgentType.SERVICE,
                    AgentStatus.ACTIVE, List.of(), null, Map.of("n", 0), "kv_counter0", T0, T0, null));
            String key = "counter-key";

            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < unitsPerThread; i++) {
                            write(s -> incrementCounter(s, counter.id(), key));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            int total = threads * unitsPerThread;
            Agent stored = read(s -> s.agents().find(counter.id())).orElseThrow();
            assertThat(stored.metadata()).containsEntry("n", total);
            assertThat(stored.updatedAt()).isEqualTo(T0.plusMillis(total));
            RateWindow window = read(s -> s.rateLimits().window(counter.id(), key, Instant.EPOCH));
            assertThat(window).isEqualTo(new RateWindow(total, T0));
        }

        /**
         * One read-modify-write unit: reads the agent's counter and the number of recorded calls,
         * and writes both back one higher. A lost update leaves the counter short.
         */
        private void incrementCounter(StoreSession s, String agentId, String key) {
            Agent agent = s.agents().find(agentId).orElseThrow();
            int n = ((Number) agent.metadata().get("n")).intValue();
            int calls = s.rateLimits().window(agentId, key, Instant.EPOCH).count();
            assertThat(calls).isEqualTo(n);
            s.agents().update(new Agent(agent.id(), agent.ownerId(), agent.tenantId(), agent.name(), agent.type(),
                    agent.status(), agent.permissions(), agent.expiresAt(), Map.of("n", n + 1), agent.tokenPrefix(),
                    agent.createdAt(), T0.plusMillis(n + 1), agent.lastActiveAt()));
            s.rateLimits().record(agentId, key, T0.plusMillis(calls), Instant.EPOCH);
        }
    }

    /** The batched writes and the write sequence that the group commit of authorize relies on. */
    @Nested
    class Batches {

        @Test
        void appendAllAppendsInListOrderAfterTheHead() {
            AuditEntry first = appendChained(auditEntry("agt_1", T0));
            AuditEntry second = auditEntry("agt_2", T0.plusSeconds(2)).chained(first.hash(), sha256("second"));
            AuditEntry third = auditEntry("agt_3", T0.plusSeconds(1)).chained(second.hash(), sha256("third"));

            write(s -> s.audit().appendAll(List.of(second, third)));

            List<AuditEntry> chain = new ArrayList<>();
            store.read(s -> {
                s.audit().scanChain(null, null, chain::add);
                return null;
            });
            assertThat(chain).containsExactly(first, second, third);
            assertThat(readOptional(s -> s.audit().headHash())).contains(third.hash());
        }

        @Test
        void insertReservationsStoresEachReservation() {
            Agent agent = insertAgent("user-1");
            UsageReservation one = reservation(agent, List.of("pol_a"), 5);
            UsageReservation two = reservation(agent, List.of("pol_a", "pol_b"), 7);

            write(s -> s.policies().insertReservations(List.of(one, two)));

            assertThat(readOptional(s -> s.policies().findReservation(one.id()))).contains(one);
            assertThat(readOptional(s -> s.policies().findReservation(two.id()))).contains(two);
        }

        @Test
        void addUsagesAddsEveryIncrementIncludingRepeatedCounters() {
            BudgetPolicy policy = insert(policy(PolicyScope.global()));
            write(s -> s.policies().addUsage(policy.id(), "D:2026-03-10", new PolicyUsage(1, 1, 1)));

            write(s -> s.policies().addUsages(List.of(
                    new PolicyStore.UsageIncrement(policy.id(), "D:2026-03-10", new PolicyUsage(10, 1, 100)),
                    new PolicyStore.UsageIncrement(policy.id(), "M:2026-03", new PolicyUsage(20, 2, 200)),
                    new PolicyStore.UsageIncrement(policy.id(), "D:2026-03-10", new PolicyUsage(-3, 0, 0)))));

            PolicyUsage day = read(s -> s.policies().usage(policy.id(), "D:2026-03-10"));
            PolicyUsage month = read(s -> s.policies().usage(policy.id(), "M:2026-03"));
            assertThat(day).isEqualTo(new PolicyUsage(8, 2, 101));
            assertThat(month).isEqualTo(new PolicyUsage(20, 2, 200));
        }

        @Test
        void deleteReservationsBeforeDeletesOnlyThoseMadeEarlier() {
            Agent agent = insertAgent("user-1");
            Instant cutoff = T0.minus(Duration.ofDays(1));
            UsageReservation old = madeAt(agent, cutoff.minusMillis(1));
            UsageReservation atCutoff = madeAt(agent, cutoff);
            UsageReservation recent = madeAt(agent, T0);
            write(s -> s.policies().insertReservations(List.of(old, atCutoff, recent)));

            long deleted = store.write(s -> s.policies().deleteReservationsBefore(cutoff));

            assertThat(deleted).isEqualTo(1);
            assertThat(readOptional(s -> s.policies().findReservation(old.id()))).isEmpty();
            assertThat(readOptional(s -> s.policies().findReservation(atCutoff.id()))).contains(atCutoff);
            assertThat(readOptional(s -> s.policies().findReservation(recent.id()))).contains(recent);
        }

        /** A reservation whose id, like a decision's audit id, was made at {@code at}. */
        private UsageReservation madeAt(Agent agent, Instant at) {
            String id = Ids.generator(Clock.fixed(at, ZoneOffset.UTC)).next(Ids.AUDIT);
            return new UsageReservation(id, agent.id(), List.of("pol_a"), "D:2026-03-10", "M:2026-03", 3, at, null);
        }

        @Test
        void touchAllSetsEachAgentsLastActivity() {
            Agent a = insertAgent("user-1");
            Agent b = insertAgent("user-2");

            write(s -> s.agents().touchAll(Map.of(a.id(), T0.plusSeconds(3), b.id(), T0.plusSeconds(4))));

            assertThat(readOptional(s -> s.agents().find(a.id()).map(Agent::lastActiveAt))).contains(T0.plusSeconds(3));
            assertThat(readOptional(s -> s.agents().find(b.id()).map(Agent::lastActiveAt))).contains(T0.plusSeconds(4));
        }

        @Test
        void eachCommittedWriteUnitTakesTheNextWriteSequence() {
            long first = store.write(StoreSession::writeSequence);
            long second = store.write(StoreSession::writeSequence);
            insertAgent("user-1");
            long fourth = store.write(StoreSession::writeSequence);

            assertThat(first).isPositive();
            assertThat(second).isEqualTo(first + 1);
            assertThat(fourth).isEqualTo(first + 3);
            long inRead = read(StoreSession::writeSequence);
            assertThat(inRead).isZero();
        }

        @Test
        void aRolledBackUnitLeavesTheWriteSequenceAsItWas() {
            long before = store.write(StoreSession::writeSequence);

            catchThrowable(() -> store.write(s -> {
                s.writeSequence();
                throw new IllegalStateException("roll back");
            }));

            long after = store.write(StoreSession::writeSequence);
            assertThat(after).isEqualTo(before + 1);
        }
    }
}
