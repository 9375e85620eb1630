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
import io.kavach.spi.DelegationQuery;
import io.kavach.spi.KavachStore;
import io.kavach.spi.PolicyQuery;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
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
        return new AuditEntry(newId(Ids.AUDIT), timestamp, agentId, "user-1", null, "read", "db:orders:1",
                AuditResult.ALLOWED, "ALLOWED", "allowed by db:orders:**", null, 42, null, List.of(), null, null,
                Map.of());
    }

    protected AuditEntry append(AuditEntry entry) {
        write(s -> s.audit().append(entry));
        return entry;
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
                    List.of(newId(Ids.POLICY), newId(Ids.POLICY)), "2001:db8::1", "agent-sdk/1.0", arguments);
            AuditEntry bare = new AuditEntry(newId(Ids.AUDIT), T0, null, null, null, "agent.created", "agt_x",
                    AuditResult.SUCCESS, "AGENT_CREATED", "created", null, 0, null, List.of(), null, null, Map.of());
            append(full);
            append(bare);

            List<AuditEntry> entries = read(s -> s.audit().query(new AuditQuery(null, null, null, 10)));

            assertThat(entries).containsExactly(full, bare);
            assertThat(entries.get(0).arguments()).isEqualTo(arguments);
            assertThat(entries.get(1).tokensCost()).isNull();
            assertThat(entries.get(0).tokensCost()).isEqualTo(100L);
        }

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

        private List<AuditEntry> query(String agentId, Instant since, Instant until, int limit) {
            return read(s -> s.audit().query(new AuditQuery(agentId, since, until, limit)));
        }
    }

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
            assertThat(readList(s -> s.audit().query(new AuditQuery(agent.id(), null, null, 10)))).hasSize(1);
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
            assertThat(readList(s -> s.audit().query(new AuditQuery(null, null, null, 10)))).isEmpty();
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
}
