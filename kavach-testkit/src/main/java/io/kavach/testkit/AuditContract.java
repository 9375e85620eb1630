package io.kavach.testkit;

import static io.kavach.testkit.KavachAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.agent.UpdateAgentRequest;
import io.kavach.audit.ArgumentRedactor;
import io.kavach.audit.AuditCsv;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.AuditHasher;
import io.kavach.audit.AuditPage;
import io.kavach.audit.AuditVerification;
import io.kavach.audit.ExportFormat;
import io.kavach.audit.ExportProgress;
import io.kavach.delegation.DelegationRequest;
import io.kavach.error.DelegationRejectedException;
import io.kavach.error.InvalidInputException;
import io.kavach.error.NotFoundException;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.Constraints;
import io.kavach.model.DecisionCode;
import io.kavach.model.DelegationChain;
import io.kavach.model.Ids;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.policy.UpdatePolicyRequest;
import io.kavach.spi.KavachStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The audit log every store must give Kavach (DESIGN section 6, seed 001): entries for decisions and
 * administrative events, argument redaction, query by every filter, keyset paging that holds while
 * entries are written, CSV/JSON/JSONL export read back by standard parsers, the hash chain under
 * concurrency, and retention cleanup. Includes the kavachOS audit defects of DESIGN section 9 (one
 * entry per decision, paging that filtered after the limit, unescaped CSV, exports cut at 10,000
 * rows). A store runs it by extending this class and implementing {@link #newStore()}.
 */
public abstract class AuditContract extends KavachTestSupport {
    /** Every action on every resource. */
    protected static final Permission EVERYTHING = Permission.of("**", "*");
    protected static final Permission LLM = Permission.of("llm:**", "execute");
    /** An id of the right form that names no agent. */
    protected static final String NO_SUCH_AGENT = "agt_01J0000000000000000000000Z";

    private static final Comparator<AuditEntry> NEWEST_FIRST =
            Comparator.comparing(AuditEntry::timestamp).thenComparing(AuditEntry::id).reversed();

    /** Values that CSV writers and spreadsheets get wrong, usable as resources (no whitespace). */
    protected static final List<String> NASTY_RESOURCES = List.of("=cmd|'/C:calc'!A0", "a,b:\"q\"", "+1:-2", "@x:y",
            "'quoted:x", "naïve:日本語:🚀", "-=:+", "x\"\":,,");

    /** Values for arguments: anything at all. */
    protected static final List<String> NASTY_TEXT = List.of("=cmd|' /C calc'!A0", "line1\r\nline2\nline3\rline4",
            "\tTab first", "\rCR first", "'quote first", "say \"hi\", twice \"\"", "naïve café 日本語 🚀👩‍💻",
            "@SUM(A1:A2)", "+1", "-1", ",", "\"", "");

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** Every entry, newest first (at most {@link AuditFilter#MAX_LIMIT}). */
    protected List<AuditEntry> all() {
        return all(kavach);
    }

    protected static List<AuditEntry> all(Kavach k) {
        return k.audit().query(AuditFilter.all().withLimit(AuditFilter.MAX_LIMIT));
    }

    protected static List<AuditEntry> oldestFirst(List<AuditEntry> newestFirst) {
        List<AuditEntry> copy = new ArrayList<>(newestFirst);
        Collections.reverse(copy);
        return copy;
    }

    protected AuditEntry entry(String auditId) {
        List<AuditEntry> found = all().stream().filter(e -> e.id().equals(auditId)).toList();
        assertThat(found).as("entries with id %s", auditId).hasSize(1);
        return found.get(0);
    }

    protected String agentIn(String owner, String tenant, Permission... permissions) {
        CreateAgentRequest.Builder builder = CreateAgentRequest.builder(owner, "agent of " + owner).permissions(List.of(permissions));
        if (tenant != null) {
            builder.tenant(tenant);
        }
        return kavach.agents().create(builder.build()).agent().id();
    }

    /** Pages through {@code filter} to the end; every page but the last must be full. */
    protected List<AuditEntry> walk(AuditFilter filter) {
        List<AuditEntry> out = new ArrayList<>();
        AuditPage page = kavach.audit().page(filter);
        int pages = 1;
        while (page.nextCursor() != null) {
            assertThat(page.entries()).as("page %d of %s is full", pages, filter).hasSize(filter.limit());
            out.addAll(page.entries());
            page = kavach.audit().page(filter.after(page.nextCursor()));
            pages++;
            assertThat(pages).as("pages of %s", filter).isLessThan(100_000);
        }
        assertThat(page.entries().size()).isLessThanOrEqualTo(filter.limit());
        out.addAll(page.entries());
        return out;
    }

    protected static String export(Kavach k, AuditFilter filter, ExportFormat format, List<Long> progress) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rows = k.audit().export(filter, format, out, progress::add);
        assertThat(progress).as("progress of the %s export", format).isNotEmpty().last().isEqualTo(rows);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What a workload asked for: the token costs its requests carried, by audit id. */
    protected record Workload(Map<String, Long> costs, int decisions) {
        public long totalCost() {
            return costs.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Decisions of every kind (allowed, denied for every reason, early denials, delegated, budget
     * warnings, blocks and a revocation, approvals) with nasty arguments, resources and user agents,
     * and administrative events of every kind, over three days of the test clock.
     */
    protected Workload realisticWorkload() {
        Random random = new Random(20260310L);
        Map<String, Long> costs = new LinkedHashMap<>();
        String alice = agentIn("alice", "acme", LLM, Permission.of("mcp:github:*", "read"));
        String helper = agentIn("alice", "acme");
        String bob = agentIn("bob", null, EVERYTHING);
        String careful = agentIn("carol", "globex", limited("payments:refund", Constraints.builder().requireApproval(true).build(),
                "execute"), limited("api:search", Constraints.builder().maxCallsPerHour(3).build(), "call"));
        String doomed = agentIn("dave", "globex", LLM);
        DelegationChain chain = kavach.delegate(DelegationRequest.from(alice).to(helper).permission("llm:**", "execute")
                .expiresIn("7d").build());
        try {
            kavach.delegate(DelegationRequest.from(helper).to(alice).permission("admin:**", "write").expiresIn("1h").build());
        } catch (DelegationRejectedException expected) {
            // audited as delegation.rejected
        }
        BudgetPolicy warn = kavach.policy().create(CreatePolicyRequest.forAgent(alice).maxTokensCostPerDay(2_000)
                .action(PolicyAction.WARN).build());
        kavach.policy().create(CreatePolicyRequest.forUser("bob").maxCallsPerDay(40).action(PolicyAction.BLOCK).build());
        BudgetPolicy kill = kavach.policy().create(CreatePolicyRequest.forAgent(doomed).maxTokensCostPerDay(500)
                .action(PolicyAction.REVOKE).build());
        kavach.agents().update(bob, UpdateAgentRequest.name("bob's crawler"));
        kavach.agents().rotateToken(alice);
        int decisions = 0;
        for (int k = 0; k < NASTY_TEXT.size(); k++) {
            clock.advance(Duration.ofMillis(250));
            AuthorizeRequest.Builder request = AuthorizeRequest.builder("read", NASTY_RESOURCES.get(k % NASTY_RESOURCES.size()))
                    .argument("q", NASTY_TEXT.get(k)).argument("list", List.of(NASTY_TEXT.get(k), k))
                    .userAgent("Mozilla/5.0 (\"quoted\", comma) 🚀");
            if (k % 2 == 0) {
                request.tokensCost(k);
            }
            Decision decision = kavach.authorize(bob, request.build());
            decisions++;
            if (k % 2 == 0) {
                costs.put(decision.auditId(), (long) k);
            }
        }
        for (int day = 0; day < 3; day++) {
            for (int i = 0; i < 20; i++) {
                clock.advance(Duration.ofMillis(random.nextInt(4) * 250L + random.nextInt(2) * 60_000L));
                AuthorizeRequest.Builder request;
                String who;
                switch (random.nextInt(8)) {
                    case 0, 1 -> {
                        who = random.nextBoolean() ? alice : helper;
                        request = AuthorizeRequest.builder("execute", random.nextBoolean() ? "llm:openai:chat" : "llm:anthropic:claude")
                                .argument("model", "gpt-4o").argument("prompt", "secret " + i)
                                .argument("q", NASTY_TEXT.get(random.nextInt(NASTY_TEXT.size())));
                    }
                    case 2 -> {
                        who = bob;
                        request = AuthorizeRequest.builder("read", NASTY_RESOURCES.get(random.nextInt(NASTY_RESOURCES.size())))
                                .argument(NASTY_TEXT.get(random.nextInt(NASTY_TEXT.size())) + "key",
                                        Map.of("nested", NASTY_TEXT.get(random.nextInt(NASTY_TEXT.size())), "n", i))
                                .userAgent("Mozilla/5.0 (\"quoted\", comma) 🚀").clientIp("192.0.2." + (1 + i));
                    }
                    case 3 -> {
                        who = alice;
                        request = AuthorizeRequest.builder("write", "mcp:github:repos").userAgent("=HYPERLINK(\"http://x\")");
                    }
                    case 4 -> {
                        who = careful;
                        request = AuthorizeRequest.builder(random.nextBoolean() ? "execute" : "call",
                                random.nextBoolean() ? "payments:refund" : "api:search").clientIp("2001:db8::" + (i + 1));
                    }
                    case 5 -> {
                        who = random.nextInt(3) == 0 ? NO_SUCH_AGENT : doomed;
                        request = AuthorizeRequest.builder("execute", "llm:openai:chat");
                    }
                    default -> {
                        who = bob;
                        request = AuthorizeRequest.builder("execute", "llm:openai:chat").argument("messages",
                                List.of(Map.of("role", "user", "content", "hello")));
                    }
                }
                boolean withCost = random.nextInt(4) != 0;
                long cost = 1 + random.nextInt(300);
                if (withCost) {
                    request.tokensCost(cost);
                }
                Decision decision = kavach.authorize(who, request.build());
                decisions++;
                if (withCost) {
                    costs.put(decision.auditId(), cost);
                }
                if (decision.code() == DecisionCode.APPROVAL_REQUIRED && random.nextBoolean()) {
                    if (random.nextBoolean()) {
                        kavach.approvals().approve(decision.approvalId(), "ops");
                    } else {
                        kavach.approvals().deny(decision.approvalId(), "ops");
                    }
                }
            }
            kavach.authorize("not an id", "read", "x");
            kavach.authorize(bob, "read", "a::b");
            kavach.authorizeByToken("kv_" + "A".repeat(43), AuthorizeRequest.of("read", "x"));
            decisions += 3;
            clock.advance(Duration.ofDays(1));
            kavach.policy().resetDaily();
        }
        kavach.policy().update(warn.id(), UpdatePolicyRequest.enabled(false));
        kavach.policy().reset(kill.id());
        kavach.policy().resetMonthly();
        kavach.delegations().revoke(chain.id());
        kavach.agents().revoke(bob);
        kavach.policy().remove(warn.id());
        return new Workload(costs, decisions);
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class Entries {
        @Test
        void aDecisionCarriesEveryDocumentedField() {
            String parent = agentIn("alice", "acme", LLM);
            String child = agentIn("alice", "acme");
            DelegationChain chain = kavach.delegate(DelegationRequest.from(parent).to(child).permission("llm:**", "execute")
                    .expiresIn("1d").build());
            BudgetPolicy warn = kavach.policy().create(CreatePolicyRequest.forAgent(child).maxTokensCostPerDay(100)
                    .action(PolicyAction.WARN).build());
            clock.advance(Duration.ofMillis(1_234));
            Decision decision = kavach.authorize(child, AuthorizeRequest.builder("execute", "llm:openai:chat")
                    .argument("model", "gpt-4o").argument("temperature", 0.25).argument("prompt", "my secret plan")
                    .argument("n", 3).tokensCost(150).clientIp("2001:db8::7").userAgent("agent-sdk/2.0 (linux)").build());
            assertThat(decision).isAllowed().isAudited().usedDelegationChain(chain.id());
            assertThat(decision.triggeredPolicyIds()).containsExactly(warn.id());

            AuditEntry e = entry(decision.auditId());
            assertThat(Ids.isValid(Ids.AUDIT, e.id())).isTrue();
            assertThat(e.timestamp()).isEqualTo(START.plusMillis(1_234));
            assertThat(e.agentId()).isEqualTo(child);
            assertThat(e.userId()).isEqualTo("alice");
            assertThat(e.tenantId()).isEqualTo("acme");
            assertThat(e.action()).isEqualTo("execute");
            assertThat(e.resource()).isEqualTo("llm:openai:chat");
            assertThat(e.result()).isEqualTo(AuditResult.ALLOWED);
            assertThat(e.code()).isEqualTo("ALLOWED");
            assertThat(e.reason()).isEqualTo(decision.reason()).contains(chain.id());
            assertThat(e.tokensCost()).isEqualTo(150L);
            assertThat(e.durationMicros()).isNotNegative().isLessThan(TimeUnit.SECONDS.toMicros(60));
            assertThat(e.delegationChainId()).isEqualTo(chain.id());
            assertThat(e.policyIds()).containsExactly(warn.id());
            assertThat(e.ip()).isEqualTo("2001:db8::7");
            assertThat(e.userAgent()).isEqualTo("agent-sdk/2.0 (linux)");
            assertThat(e.arguments()).isEqualTo(Map.of("model", "gpt-4o", "temperature", 0.25, "prompt",
                    ArgumentRedactor.REDACTED, "n", 3));
            assertThat(e.previousHash()).matches("[0-9a-f]{64}").isNotEqualTo(AuditEntry.GENESIS);
            assertThat(e.hash()).matches("[0-9a-f]{64}").isEqualTo(AuditHasher.hash(e));
            assertThat(kavach.audit().verify().ok()).isTrue();
        }

        @Test
        void deniedAndEarlyDecisionsKeepWhatIsKnownAndOnlyTheCostGiven() {
            String bob = agentIn("bob", "globex", Permission.of("x", "read"));
            Decision denied = kavach.authorize(bob, "write", "x");
            Decision unknown = kavach.authorize(NO_SUCH_AGENT, AuthorizeRequest.builder("read", "x").tokensCost(0).build());
            Decision badToken = kavach.authorizeByToken("not-a-token", AuthorizeRequest.of("read", "x"));
            Decision badResource = kavach.authorize(bob, "read", "a::b");
            List<AuditEntry> entries = all().stream().filter(e -> !"agent.created".equals(e.action())).toList();
            assertThat(entries).extracting(AuditEntry::id)
                    .containsExactlyInAnyOrder(denied.auditId(), unknown.auditId(), badToken.auditId(), badResource.auditId());

            assertThat(entry(denied.auditId())).satisfies(e -> {
                assertThat(e.result()).isEqualTo(AuditResult.DENIED);
                assertThat(e.code()).isEqualTo("PERMISSION_DENIED");
                assertThat(e.userId()).isEqualTo("bob");
                assertThat(e.tenantId()).isEqualTo("globex");
                assertThat(e.tokensCost()).isNull();
                assertThat(e.delegationChainId()).isNull();
                assertThat(e.policyIds()).isEmpty();
                assertThat(e.ip()).isNull();
                assertThat(e.userAgent()).isNull();
                assertThat(e.arguments()).isEmpty();
            });
            assertThat(entry(unknown.auditId())).satisfies(e -> {
                assertThat(e.code()).isEqualTo("AGENT_NOT_FOUND");
                assertThat(e.agentId()).isEqualTo(NO_SUCH_AGENT);
                assertThat(e.userId()).isNull();
                assertThat(e.tokensCost()).as("a cost of zero is a cost").isEqualTo(0L);
            });
            assertThat(entry(badToken.auditId())).satisfies(e -> {
                assertThat(e.code()).isEqualTo("INVALID_REQUEST");
                assertThat(e.agentId()).isNull();
                assertThat(e.action()).isEqualTo("read");
            });
            assertThat(entry(badResource.auditId())).satisfies(e -> {
                assertThat(e.code()).isEqualTo("INVALID_REQUEST");
                assertThat(e.agentId()).isEqualTo(bob);
                assertThat(e.resource()).isNull();
                assertThat(e.reason()).contains("resource");
            });
            for (AuditEntry e : all()) {
                assertThat(AuditHasher.hash(e)).isEqualTo(e.hash());
            }
        }

        @Test
        void administrativeChangesAreAuditedWithTheirSubject() {
            List<String> expected = new ArrayList<>();
            String a = agentIn("alice", "acme", Permission.of("x", "read"), limited("pay", Constraints.builder()
                    .requireApproval(true).build(), "execute"));
            String b = agentIn("alice", "acme");
            clock.advance(Duration.ofSeconds(1));
            kavach.agents().update(a, UpdateAgentRequest.name("renamed"));
            clock.advance(Duration.ofSeconds(1));
            kavach.agents().rotateToken(a);
            clock.advance(Duration.ofSeconds(1));
            DelegationChain chain = kavach.delegate(DelegationRequest.from(a).to(b).permission("x", "read").expiresIn("1h").build());
            clock.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(a).to(b).permission("z", "read").expiresIn("1h").build()))
                    .isInstanceOf(DelegationRejectedException.class);
            clock.advance(Duration.ofSeconds(1));
            kavach.delegations().revoke(chain.id());
            clock.advance(Duration.ofSeconds(1));
            BudgetPolicy policy = kavach.policy().create(CreatePolicyRequest.forAgent(a).maxCallsPerDay(10).action(PolicyAction.BLOCK).build());
            clock.advance(Duration.ofSeconds(1));
            kavach.policy().update(policy.id(), UpdatePolicyRequest.enabled(true));
            clock.advance(Duration.ofSeconds(1));
            kavach.policy().reset(policy.id());
            clock.advance(Duration.ofSeconds(1));
            kavach.policy().resetDaily();
            clock.advance(Duration.ofSeconds(1));
            kavach.policy().resetMonthly();
            clock.advance(Duration.ofSeconds(1));
            kavach.policy().remove(policy.id());
            clock.advance(Duration.ofSeconds(1));
            String first = kavach.authorize(a, "execute", "pay").approvalId();
            kavach.approvals().approve(first, "ops");
            clock.advance(Duration.ofSeconds(1));
            kavach.authorize(a, "execute", "pay"); // consumes the approval
            String second = kavach.authorize(a, "execute", "pay").approvalId();
            kavach.approvals().deny(second, "ops");
            clock.advance(Duration.ofSeconds(1));
            kavach.agents().revoke(a);

            // Event names have a dot; the actions of decisions here do not.
            List<AuditEntry> events = oldestFirst(all()).stream().filter(e -> e.action().contains(".")).toList();
            assertThat(events).extracting(AuditEntry::action, AuditEntry::resource, AuditEntry::result, AuditEntry::code)
                    .containsExactly(
                            tuple("agent.created", a, AuditResult.SUCCESS, "AGENT_CREATED"),
                            tuple("agent.created", b, AuditResult.SUCCESS, "AGENT_CREATED"),
                            tuple("agent.updated", a, AuditResult.SUCCESS, "AGENT_UPDATED"),
                            tuple("agent.token_rotated", a, AuditResult.SUCCESS, "TOKEN_ROTATED"),
                            tuple("delegation.created", chain.id(), AuditResult.SUCCESS, "DELEGATION_CREATED"),
                            tuple("delegation.rejected", b, AuditResult.DENIED, "DELEGATION_REJECTED"),
                            tuple("delegation.revoked", chain.id(), AuditResult.SUCCESS, "DELEGATION_REVOKED"),
                            tuple("policy.created", policy.id(), AuditResult.SUCCESS, "POLICY_CREATED"),
                            tuple("policy.updated", policy.id(), AuditResult.SUCCESS, "POLICY_UPDATED"),
                            tuple("policy.reset", policy.id(), AuditResult.SUCCESS, "POLICY_RESET"),
                            tuple("policy.reset_daily", "policies", AuditResult.SUCCESS, "POLICIES_RESET"),
                            tuple("policy.reset_monthly", "policies", AuditResult.SUCCESS, "POLICIES_RESET"),
                            tuple("policy.removed", policy.id(), AuditResult.SUCCESS, "POLICY_REMOVED"),
                            tuple("approval.approved", first, AuditResult.SUCCESS, "APPROVAL_GRANTED"),
                            tuple("approval.denied", second, AuditResult.SUCCESS, "APPROVAL_DENIED"),
                            tuple("agent.revoked", a, AuditResult.SUCCESS, "AGENT_REVOKED"));
            assertThat(events).allSatisfy(e -> {
                assertThat(e.reason()).isNotBlank();
                assertThat(e.tokensCost()).isNull();
                assertThat(e.arguments()).isEmpty();
                assertThat(e.hash()).isEqualTo(AuditHasher.hash(e));
            });
            assertThat(events).filteredOn(e -> !e.action().startsWith("policy.reset_")).allSatisfy(e -> {
                assertThat(e.agentId()).isEqualTo(e.action().equals("agent.created") ? e.resource() : a);
                assertThat(e.userId()).isEqualTo("alice");
                assertThat(e.tenantId()).isEqualTo("acme");
            });
            assertThat(events).filteredOn(e -> e.action().startsWith("policy.reset_")).allSatisfy(e -> assertThat(e.agentId()).isNull());
            assertThat(events.get(2).timestamp()).isEqualTo(START.plusSeconds(1));
            assertThat(events.get(events.size() - 1).timestamp()).isEqualTo(START.plusSeconds(14));
            assertThat(kavach.audit().verify().ok()).isTrue();
        }

        @Test
        void aBudgetRevocationIsAuditedWithItsPolicy() {
            String parent = agentIn("alice", "acme", LLM);
            String rogue = agentIn("alice", "acme", LLM);
            String child = agentIn("alice", "acme");
            DelegationChain chain = kavach.delegate(DelegationRequest.from(rogue).to(child).permission("llm:**", "execute")
                    .expiresIn("1h").build());
            BudgetPolicy kill = kavach.policy().create(CreatePolicyRequest.forAgent(rogue).maxTokensCostPerDay(100)
                    .action(PolicyAction.REVOKE).build());
            assertThat(kavach.authorize(rogue, AuthorizeRequest.builder("execute", "llm:x").tokensCost(60).build())).isAllowed();
            Decision over = kavach.authorize(rogue, AuthorizeRequest.builder("execute", "llm:x").tokensCost(60).build());
            assertThat(over).isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED);

            List<AuditEntry> rogues = auditOf(rogue);
            assertThat(entry(over.auditId())).satisfies(e -> {
                assertThat(e.policyIds()).contains(kill.id());
                assertThat(e.tokensCost()).isEqualTo(60L);
                assertThat(e.code()).isEqualTo("BUDGET_EXCEEDED");
            });
            assertThat(rogues).filteredOn(e -> e.action().equals("policy.triggered")).singleElement().satisfies(e -> {
                assertThat(e.resource()).isEqualTo(kill.id());
                assertThat(e.code()).isEqualTo("POLICY_TRIGGERED");
                assertThat(e.reason()).contains("100");
            });
            assertThat(rogues).filteredOn(e -> e.action().equals("agent.revoked")).singleElement().satisfies(e -> {
                assertThat(e.resource()).isEqualTo(rogue);
                assertThat(e.reason()).contains("budget policy").contains(kill.id());
                assertThat(e.userId()).isEqualTo("alice");
            });
            assertThat(rogues).filteredOn(e -> e.action().equals("delegation.revoked")).singleElement()
                    .satisfies(e -> assertThat(e.resource()).isEqualTo(chain.id()));
            assertThat(auditOf(parent)).extracting(AuditEntry::action).containsExactly("agent.created");
            assertThat(kavach.audit().verify().ok()).isTrue();
        }

        @Test
        void everyDecisionWritesExactlyOneEntryEvenUnderConcurrency() throws Exception {
            String a = agentIn("alice", null, limited("api", Constraints.builder().maxCallsPerHour(5).build(), "call"));
            int before = all().size();
            List<Decision> decisions = runConcurrently(8, i -> kavach.authorize(a, "call", "api"));
            assertThat(decisions).filteredOn(Decision::allowed).hasSize(5);
            assertThat(all()).hasSize(before + 8);
            assertThat(all()).extracting(AuditEntry::id).containsAll(decisions.stream().map(Decision::auditId).toList());
        }
    }

    @Nested
    class Redaction {
        private Map<String, Object> arguments() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("prompt", "p");
            args.put("messages", List.of(Map.of("role", "user", "content", "hi-there-10")));
            args.put("completion", "c");
            args.put("prompt_text", "pt");
            args.put("response_text", "rt");
            args.put("PROMPT_Text", "upper-secret-9");
            args.put("model", "gpt-4o");
            args.put("ssn", "123-45-6789");
            args.put("history", List.of(Map.of("prompt", "old-prompt-7", "keep", 1), "plain"));
            args.put("nested", Map.of("completion", "deep-secret-8", "Api_Key", "k-1"));
            return args;
        }

        private AuditEntry call(Kavach k, Map<String, Object> args) {
            String id = k.agents().create(CreateAgentRequest.builder("u", "a").permission(LLM).build()).agent().id();
            String auditId = k.authorize(id, AuthorizeRequest.builder("execute", "llm:x").arguments(args).build()).auditId();
            return all(k).stream().filter(e -> e.id().equals(auditId)).findFirst().orElseThrow();
        }

        @Test
        void theDefaultKeysAreRedactedAtAnyDepthCaseInsensitively() {
            Map<String, Object> args = arguments();
            AuditEntry e = call(kavach, args);
            String r = ArgumentRedactor.REDACTED;
            assertThat(e.arguments()).containsEntry("prompt", r).containsEntry("messages", r).containsEntry("completion", r)
                    .containsEntry("prompt_text", r).containsEntry("response_text", r).containsEntry("PROMPT_Text", r)
                    .containsEntry("model", "gpt-4o").containsEntry("ssn", "123-45-6789")
                    .containsEntry("history", List.of(Map.of("prompt", r, "keep", 1), "plain"))
                    .containsEntry("nested", Map.of("completion", r, "Api_Key", "k-1"));
            assertThat(args).containsEntry("prompt", "p");
            assertThat(all().toString()).doesNotContain("old-prompt-7", "deep-secret-8", "upper-secret-9", "hi-there-10");
            assertThat(ArgumentRedactor.DEFAULT_KEYS).containsExactlyInAnyOrder("prompt", "messages", "completion",
                    "prompt_text", "response_text");
        }

        @Test
        void theKeysAreConfigurableAndAnEmptySetRedactsNothing() {
            Kavach custom = open(Kavach.builder().redactedArgumentKeys(Set.of("ssn", "API_KEY")));
            AuditEntry e = call(custom, arguments());
            assertThat(e.arguments()).containsEntry("ssn", ArgumentRedactor.REDACTED).containsEntry("prompt", "p")
                    .containsEntry("nested", Map.of("completion", "deep-secret-8", "Api_Key", ArgumentRedactor.REDACTED));

            Kavach none = open(Kavach.builder().redactedArgumentKeys(Set.of()));
            assertThat(call(none, arguments()).arguments()).isEqualTo(arguments());
            assertThat(custom.audit().verify().ok()).isTrue();
            assertThat(none.audit().verify().ok()).isTrue();
        }
    }

    @Nested
    class Query {
        private String alice;
        private String carol;
        private String bob;
        private String dave;
        private List<AuditEntry> everything;

        @BeforeEach
        void fixture() {
            alice = agentIn("alice", "acme", EVERYTHING);
            carol = agentIn("alice", null, EVERYTHING);
            bob = agentIn("bob", "globex", Permission.of("mcp:**", "read"));
            dave = agentIn("dave", "acme", limited("api:search", Constraints.builder().maxCallsPerHour(3).build(), "call"));
            kavach.policy().create(CreatePolicyRequest.forUser("alice").maxCallsPerMonth(1_000_000).action(PolicyAction.WARN).build());
            String[][] calls = {{"execute", "llm:openai:chat"}, {"execute", "llm:anthropic:claude"}, {"read", "mcp:github:repos"},
                {"write", "mcp:github:repos"}, {"read", "a_b:c"}, {"read", "axb:c"}, {"read", "a%b:c"}, {"read", "LLM:upper"},
                {"call", "api:search"}};
            String[] agents = {alice, carol, bob, dave, NO_SUCH_AGENT};
            Random random = new Random(11);
            int before = all().size();
            for (int i = 0; i < 160; i++) {
                clock.advance(Duration.ofMillis(random.nextInt(3) * 500L));
                String[] call = calls[random.nextInt(calls.length)];
                String who = agents[random.nextInt(agents.length)];
                AuthorizeRequest.Builder request = AuthorizeRequest.builder(call[0], call[1]);
                if (random.nextBoolean()) {
                    request.tokensCost(random.nextInt(100));
                }
                kavach.authorize(who, request.build());
            }
            kavach.agents().revoke(dave);
            everything = all();
            assertThat(everything).hasSize(before + 161);
        }

        @Test
        void everythingIsNewestFirstWithTheIdBreakingTies() {
            assertThat(everything).isSortedAccordingTo(NEWEST_FIRST);
            assertThat(everything).extracting(AuditEntry::id).doesNotHaveDuplicates();
            boolean ties = false;
            for (int i = 1; i < everything.size(); i++) {
                ties |= everything.get(i).timestamp().equals(everything.get(i - 1).timestamp());
            }
            assertThat(ties).as("the fixture has entries with equal timestamps").isTrue();

            clock.advance(Duration.ofMinutes(1));
            List<String> sameInstant = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sameInstant.add(kavach.authorize(alice, "read", "tie:" + i).auditId());
            }
            Collections.reverse(sameInstant);
            assertThat(kavach.audit().query(AuditFilter.all().withResourcePrefix("tie:"))).extracting(AuditEntry::id)
                    .containsExactlyElementsOf(sameInstant);
        }

        @Test
        void everyFilterRunsBeforeTheLimit() {
            Instant t1 = everything.get(everything.size() * 2 / 3).timestamp();
            Instant t2 = everything.get(everything.size() / 3).timestamp();
            record Case(String name, AuditFilter filter, Predicate<AuditEntry> wanted) {
            }
            AuditFilter any = AuditFilter.all();
            List<Case> cases = List.of(
                    new Case("agent", AuditFilter.forAgent(alice), e -> alice.equals(e.agentId())),
                    new Case("unknown agent", AuditFilter.forAgent(NO_SUCH_AGENT), e -> NO_SUCH_AGENT.equals(e.agentId())),
                    new Case("user", any.withUser("alice"), e -> "alice".equals(e.userId())),
                    new Case("tenant", any.withTenant("acme"), e -> "acme".equals(e.tenantId())),
                    new Case("action", any.withActions("execute"), e -> "execute".equals(e.action())),
                    new Case("actions", any.withActions("execute", "write"), e -> Set.of("execute", "write").contains(e.action())),
                    new Case("many actions", any.withActions("execute", "write", "call", "agent.created", "policy.created"),
                            e -> Set.of("execute", "write", "call", "agent.created", "policy.created").contains(e.action())),
                    new Case("event", any.withActions("agent.created"), e -> "agent.created".equals(e.action())),
                    new Case("result", any.withResults(AuditResult.DENIED), e -> e.result() == AuditResult.DENIED),
                    new Case("results", any.withResults(AuditResult.ALLOWED, AuditResult.SUCCESS), e -> e.result() != AuditResult.DENIED),
                    new Case("code", any.withCodes("PERMISSION_DENIED"), e -> "PERMISSION_DENIED".equals(e.code())),
                    new Case("codes", any.withCodes("RATE_LIMITED", "AGENT_NOT_FOUND", "AGENT_REVOKED"),
                            e -> Set.of("RATE_LIMITED", "AGENT_NOT_FOUND", "AGENT_REVOKED").contains(e.code())),
                    new Case("prefix", any.withResourcePrefix("llm:"), e -> e.resource() != null && e.resource().startsWith("llm:")),
                    new Case("whole resource", any.withResourcePrefix("mcp:github:repos"), e -> "mcp:github:repos".equals(e.resource())),
                    new Case("underscore is literal", any.withResourcePrefix("a_b"), e -> "a_b:c".equals(e.resource())),
                    new Case("percent is literal", any.withResourcePrefix("a%"), e -> "a%b:c".equals(e.resource())),
                    new Case("prefix is case-sensitive", any.withResourcePrefix("LLM:"), e -> "LLM:upper".equals(e.resource())),
                    new Case("since", any.between(t1, null), e -> !e.timestamp().isBefore(t1)),
                    new Case("until", any.between(null, t2), e -> e.timestamp().isBefore(t2)),
                    new Case("range", any.between(t1, t2), e -> !e.timestamp().isBefore(t1) && e.timestamp().isBefore(t2)),
                    new Case("agent, actions, result and range", AuditFilter.forAgent(alice).withActions("execute", "read")
                            .withResults(AuditResult.ALLOWED).between(t1, t2), e -> alice.equals(e.agentId())
                            && Set.of("execute", "read").contains(e.action()) && e.result() == AuditResult.ALLOWED
                            && !e.timestamp().isBefore(t1) && e.timestamp().isBefore(t2)),
                    new Case("user and tenant", any.withUser("alice").withTenant("acme"),
                            e -> "alice".equals(e.userId()) && "acme".equals(e.tenantId())),
                    new Case("tenant, codes and prefix", any.withTenant("acme").withCodes("ALLOWED", "RATE_LIMITED")
                            .withResourcePrefix("api:"), e -> "acme".equals(e.tenantId())
                            && Set.of("ALLOWED", "RATE_LIMITED").contains(e.code()) && e.resource() != null
                            && e.resource().startsWith("api:")),
                    new Case("user and actions", any.withUser("alice").withActions("write", "agent.created"),
                            e -> "alice".equals(e.userId()) && Set.of("write", "agent.created").contains(e.action())));
            for (Case c : cases) {
                List<AuditEntry> wanted = everything.stream().filter(c.wanted()).toList();
                assertThat(wanted).as("the fixture has entries for %s, and others", c.name()).isNotEmpty()
                        .hasSizeLessThan(everything.size());
                assertThat(kavach.audit().query(c.filter().withLimit(AuditFilter.MAX_LIMIT))).as(c.name()).isEqualTo(wanted);
                assertThat(kavach.audit().query(c.filter().withLimit(3))).as(c.name() + ", limit 3")
                        .isEqualTo(wanted.subList(0, Math.min(3, wanted.size())));
            }
            assertThat(kavach.audit().query(any.between(t1, t2))).as("since is inclusive")
                    .anySatisfy(e -> assertThat(e.timestamp()).isEqualTo(t1))
                    .noneSatisfy(e -> assertThat(e.timestamp()).isEqualTo(t2));
            assertThat(kavach.audit().query(AuditFilter.forAgent("agt_01J1111111111111111111111Z"))).isEmpty();
            assertThat(kavach.audit().query(any.withResourcePrefix("zzz"))).isEmpty();
        }

        @Test
        void pagesOfAFilteredQueryAreFullUntilTheLastOne() {
            // kavachOS read `limit` rows and then filtered them by action, so pages came back short.
            for (AuditFilter filter : List.of(AuditFilter.all().withActions("execute"), AuditFilter.all().withActions("write", "call"),
                    AuditFilter.all().withCodes("PERMISSION_DENIED"), AuditFilter.all().withResourcePrefix("a"),
                    AuditFilter.all().withUser("alice").withResults(AuditResult.ALLOWED))) {
                List<AuditEntry> wanted = kavach.audit().query(filter.withLimit(AuditFilter.MAX_LIMIT));
                assertThat(wanted).as("%s matches enough for several pages", filter).hasSizeGreaterThan(8);
                for (int limit : new int[] {1, 4, 7}) {
                    assertThat(walk(filter.withLimit(limit))).as("%s by %d", filter, limit).isEqualTo(wanted);
                }
            }
        }

        @Test
        void walkingThePagesVisitsEveryEntryOnceInOrder() {
            for (int limit : new int[] {1, 7, 50, everything.size(), AuditFilter.MAX_LIMIT}) {
                assertThat(walk(AuditFilter.all().withLimit(limit))).as("limit %d", limit).isEqualTo(everything);
            }
            AuditPage last = kavach.audit().page(AuditFilter.all().withLimit(everything.size() + 1));
            assertThat(last.nextCursor()).isNull();
            assertThat(last.entries()).isEqualTo(everything);
            assertThatThrownBy(() -> kavach.audit().page(AuditFilter.all().after("not-a-cursor")))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
        }

        @Test
        void pagingWhileOtherThreadsAuthorizeNeitherSkipsNorRepeats() throws Exception {
            Instant cut = everything.get(0).timestamp().plusSeconds(1);
            clock.set(cut);
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong written = new AtomicLong();
            List<List<AuditEntry>> walks = new CopyOnWriteArrayList<>();
            List<Long> writes = runConcurrently(5, i -> {
                if (i > 0) {
                    long n = 0;
                    while (!done.get()) {
                        kavach.authorize(i % 2 == 0 ? alice : bob, "read", "mcp:live:" + i);
                        written.incrementAndGet();
                        n++;
                    }
                    return n;
                }
                try {
                    for (AuditFilter filter : List.of(AuditFilter.all().withLimit(9), AuditFilter.all().withActions("execute").withLimit(4))) {
                        List<AuditEntry> seen = new ArrayList<>();
                        AuditPage page = null;
                        do {
                            // Let at least one new entry land between two pages.
                            long mark = written.get();
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                            while (written.get() == mark && System.nanoTime() < deadline) {
                                Thread.onSpinWait();
                            }
                            page = kavach.audit().page(page == null ? filter : filter.after(page.nextCursor()));
                            seen.addAll(page.entries());
                        } while (page.nextCursor() != null);
                        walks.add(seen);
                    }
                    return 0L;
                } finally {
                    done.set(true);
                }
            });
            long newEntries = writes.stream().mapToLong(Long::longValue).sum();
            assertThat(newEntries).as("writes during the walk").isGreaterThan(20);
            assertThat(all()).hasSize((int) Math.min(AuditFilter.MAX_LIMIT, everything.size() + newEntries));
            for (int w = 0; w < 2; w++) {
                List<AuditEntry> seen = walks.get(w);
                Predicate<AuditEntry> matches = w == 0 ? e -> true : e -> "execute".equals(e.action());
                assertThat(seen).extracting(AuditEntry::id).doesNotHaveDuplicates();
                assertThat(seen).isSortedAccordingTo(NEWEST_FIRST);
                assertThat(seen.stream().filter(e -> e.timestamp().isBefore(cut)).toList())
                        .as("the entries there were before the walk began, walk %d", w)
                        .isEqualTo(everything.stream().filter(matches).toList());
                assertThat(seen.stream().filter(e -> !e.timestamp().isBefore(cut)))
                        .allSatisfy(e -> assertThat(e.resource()).startsWith("mcp:live:"));
            }
        }
    }

    @Nested
    class Export {
        @Test
        void csvJsonAndJsonLinesReadBackEqualToTheQueryOldestFirst() throws IOException {
            Workload workload = realisticWorkload();
            List<AuditEntry> expected = oldestFirst(all());
            assertThat(expected.size()).isGreaterThan(workload.decisions()).isLessThan(AuditFilter.MAX_LIMIT);

            List<Long> progress = new ArrayList<>();
            String csv = export(kavach, AuditFilter.all(), ExportFormat.CSV, progress);
            assertThat(progress).containsExactly((long) expected.size());
            assertThat(csv).startsWith(AuditCsv.HEADER + "\r\n").endsWith("\r\n");
            assertThat(AuditExports.readCsv(csv)).isEqualTo(expected);

            assertThat(AuditExports.readJson(export(kavach, AuditFilter.all(), ExportFormat.JSON, new ArrayList<>())))
                    .isEqualTo(expected);
            String jsonl = export(kavach, AuditFilter.all(), ExportFormat.JSONL, new ArrayList<>());
            assertThat(jsonl.split("\n", -1)).hasSize(expected.size() + 1);
            assertThat(AuditExports.readJsonLines(jsonl)).isEqualTo(expected);

            for (ExportFormat format : ExportFormat.values()) {
                StringWriter writer = new StringWriter();
                List<Long> written = new ArrayList<>();
                assertThat(kavach.audit().export(AuditFilter.all(), format, writer, written::add)).isEqualTo(expected.size());
                assertThat(written).containsExactly((long) expected.size());
                assertThat(writer.toString()).as("%s through a Writer", format)
                        .isEqualTo(export(kavach, AuditFilter.all(), format, new ArrayList<>()));
            }
        }

        @Test
        void nastyValuesSurviveAndNoCellStartsAFormula() throws IOException {
            realisticWorkload();
            String csv = export(kavach, AuditFilter.all(), ExportFormat.CSV, new ArrayList<>());
            Set<String> resources = new HashSet<>();
            Set<String> argumentText = new HashSet<>();
            try (CSVParser parser = AuditExports.parseCsv(new StringReader(csv))) {
                for (CSVRecord record : parser) {
                    for (String column : AuditCsv.columns()) {
                        String cell = record.get(column);
                        if (!cell.isEmpty()) {
                            assertThat("=+-@\t\r").as("%s starts a formula: %s", column, cell).doesNotContain(cell.substring(0, 1));
                        }
                    }
                    AuditEntry e = AuditExports.fromCsv(record);
                    resources.add(e.resource());
                    collectText(e.arguments(), argumentText);
                }
            }
            assertThat(resources).containsAnyElementsOf(NASTY_RESOURCES);
            assertThat(argumentText).contains("line1\r\nline2\nline3\rline4", "=cmd|' /C calc'!A0", "\tTab first");
            assertThat(csv).doesNotContain("secret ");
        }

        private static void collectText(Object value, Set<String> out) {
            if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    out.add(String.valueOf(k));
                    collectText(v, out);
                });
            } else if (value instanceof List<?> list) {
                list.forEach(v -> collectText(v, out));
            } else if (value instanceof String s) {
                out.add(s);
            }
        }

        @Test
        void theTokensCostColumnSumsToTheRecordedCosts() throws IOException {
            Workload workload = realisticWorkload();
            assertThat(workload.costs()).hasSizeGreaterThan(20);
            String csv = export(kavach, AuditFilter.all(), ExportFormat.CSV, new ArrayList<>());
            long sum = 0;
            int withCost = 0;
            try (CSVParser parser = AuditExports.parseCsv(new StringReader(csv))) {
                for (CSVRecord record : parser) {
                    String cell = record.get("tokensCost");
                    if (!cell.isEmpty()) {
                        sum += Long.parseLong(cell);
                        withCost++;
                        assertThat(Long.parseLong(cell)).isEqualTo(workload.costs().get(record.get("id")));
                    }
                }
            }
            assertThat(sum).isEqualTo(workload.totalCost());
            assertThat(withCost).isEqualTo(workload.costs().size());
        }

        @Test
        void theFilterAppliesButNotItsLimit() {
            realisticWorkload();
            List<AuditEntry> everything = all();
            Instant since = everything.get(everything.size() - 1).timestamp().plus(Duration.ofDays(1));
            Instant until = since.plus(Duration.ofDays(1));
            AuditFilter filter = AuditFilter.all().withUser("alice").withResults(AuditResult.ALLOWED).between(since, until).withLimit(1);
            List<AuditEntry> wanted = oldestFirst(kavach.audit().query(filter.withLimit(AuditFilter.MAX_LIMIT)));
            assertThat(wanted).hasSizeGreaterThan(3);
            String page = kavach.audit().page(filter.withLimit(2)).nextCursor();
            for (AuditFilter f : List.of(filter, filter.after(page))) {
                assertThat(AuditExports.readCsv(export(kavach, f, ExportFormat.CSV, new ArrayList<>()))).isEqualTo(wanted);
                assertThat(AuditExports.readJsonLines(export(kavach, f, ExportFormat.JSONL, new ArrayList<>()))).isEqualTo(wanted);
            }
        }

        @Test
        void anEmptyExportIsAHeaderAnEmptyArrayOrNothing() {
            AuditFilter none = AuditFilter.forAgent(NO_SUCH_AGENT);
            List<Long> progress = new ArrayList<>();
            assertThat(export(kavach, none, ExportFormat.CSV, progress)).isEqualTo(AuditCsv.HEADER + "\r\n");
            assertThat(progress).containsExactly(0L);
            assertThat(export(kavach, none, ExportFormat.JSON, new ArrayList<>())).isEqualTo("[]");
            assertThat(export(kavach, none, ExportFormat.JSONL, new ArrayList<>())).isEmpty();
            assertThat(kavach.audit().export(none, ExportFormat.CSV, new ByteArrayOutputStream(), null)).isZero();
        }

        @Test
        void theStreamIsFlushedButNotClosed() {
            agentIn("alice", null);
            AtomicBoolean closed = new AtomicBoolean();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
                @Override
                public void close() {
                    closed.set(true);
                }
            };
            assertThat(kavach.audit().export(AuditFilter.all(), ExportFormat.JSONL, bytes, ExportProgress.NONE)).isEqualTo(1);
            assertThat(closed).isFalse();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("\n").contains("agent.created");
        }

        /** kavachOS cut exports at 10,000 rows without a word. */
        @Test
        void moreThanTenThousandRowsAreAllExportedWithProgressEveryTenThousand() {
            KavachStore store = newStore();
            int rows = 10_050;
            store.write(session -> {
                String previous = session.audit().headHash().orElse(AuditEntry.GENESIS);
                for (int i = 0; i < rows; i++) {
                    AuditEntry e = new AuditEntry(String.format("aud_01JZZZZZZ%016d", i), START.plusMillis(i), "agt_x", "u", null,
                            "execute", "llm:x", AuditResult.ALLOWED, "ALLOWED", "row " + i, (long) i % 7, 3, null, List.of(),
                            null, null, Map.of("i", i), previous, null);
                    AuditEntry linked = e.chained(previous, AuditHasher.hash(e));
                    session.audit().append(linked);
                    previous = linked.hash();
                }
                return null;
            });
            try (Kavach big = Kavach.builder().store(store).clock(clock).build()) {
                List<Long> progress = new ArrayList<>();
                String csv = export(big, AuditFilter.all().withLimit(1), ExportFormat.CSV, progress);
                assertThat(progress).containsExactly(10_000L, (long) rows);
                List<AuditEntry> read = AuditExports.readCsv(csv);
                assertThat(read).hasSize(rows);
                assertThat(read.get(rows - 1).reason()).isEqualTo("row " + (rows - 1));
                assertThat(read.stream().mapToLong(AuditEntry::tokensCost).sum()).isEqualTo(
                        java.util.stream.LongStream.range(0, rows).map(i -> i % 7).sum());
                List<Long> jsonProgress = new ArrayList<>();
                assertThat(AuditExports.readJson(export(big, AuditFilter.all(), ExportFormat.JSON, jsonProgress))).isEqualTo(read);
                assertThat(jsonProgress).containsExactly(10_000L, (long) rows);
                AuditVerification verification = big.audit().verify();
                assertThat(verification.ok()).as(verification.message()).isTrue();
                assertThat(verification.checked()).isEqualTo(rows);
            }
        }
    }

    @Nested
    class Verify {
        @Test
        void aRealisticWorkloadVerifies() {
            realisticWorkload();
            List<AuditEntry> everything = all();
            AuditVerification result = kavach.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.checked()).isEqualTo(everything.size());
            assertThat(result.firstBadId()).isNull();
            assertThat(result.problem()).isNull();
            assertOneChain(everything, result.headHash());
        }

        @Test
        void anEmptyLogVerifies() {
            AuditVerification result = kavach.audit().verify();
            assertThat(result.ok()).isTrue();
            assertThat(result.checked()).isZero();
        }

        private static final int CALLS_PER_THREAD = 30;

        @Test
        void eightThreadsAuthorizingAtOnceKeepOneChain() throws Exception {
            List<String> agents = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                agents.add(agentIn("owner-" + i % 2, i % 2 == 0 ? "acme" : null, LLM,
                        limited("api", Constraints.builder().maxCallsPerHour(30).build(), "call")));
            }
            kavach.policy().create(CreatePolicyRequest.forUser("owner-0").maxTokensCostPerDay(3_000).action(PolicyAction.BLOCK).build());
            int before = all().size();
            List<Integer> extra = runConcurrently(8, t -> {
                Random random = new Random(t);
                int events = 0;
                for (int n = 0; n < CALLS_PER_THREAD; n++) {
                    String who = agents.get(random.nextInt(agents.size()));
                    if (random.nextBoolean()) {
                        kavach.authorize(who, AuthorizeRequest.builder("execute", "llm:chat").tokensCost(random.nextInt(50))
                                .argument("thread", t).build());
                    } else {
                        kavach.authorize(who, "call", "api");
                    }
                    if (n % 20 == 0 && t % 2 == 0) {
                        agentIn("owner-x", null);
                        events++;
                    }
                    if (n % 10 == 5) {
                        clock.advance(Duration.ofMillis(1));
                    }
                }
                return events;
            });
            List<AuditEntry> everything = all();
            int triggered = (int) everything.stream().filter(e -> e.action().equals("policy.triggered")).count();
            assertThat(everything).hasSize(before + 8 * CALLS_PER_THREAD + extra.stream().mapToInt(Integer::intValue).sum() + triggered);
            AuditVerification result = kavach.audit().verify();
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(result.checked()).isEqualTo(everything.size());
            assertOneChain(everything, result.headHash());
        }

        @Test
        void aTimeRangeIsCheckedAmongItself() {
            realisticWorkload();
            List<AuditEntry> everything = all();
            Instant first = everything.get(everything.size() - 1).timestamp();
            Instant since = first.plus(Duration.ofDays(1));
            Instant until = since.plus(Duration.ofDays(1));
            long inRange = everything.stream().filter(e -> !e.timestamp().isBefore(since) && e.timestamp().isBefore(until)).count();
            assertThat(inRange).isPositive().isLessThan(everything.size());

            AuditVerification range = kavach.audit().verify(since, until);
            assertThat(range.ok()).as(range.message()).isTrue();
            assertThat(range.checked()).isEqualTo(inRange);
            AuditVerification fromSince = kavach.audit().verify(since, null);
            assertThat(fromSince.ok()).isTrue();
            assertThat(fromSince.checked()).isEqualTo(everything.stream().filter(e -> !e.timestamp().isBefore(since)).count());
            assertThat(fromSince.headHash()).isEqualTo(kavach.audit().verify().headHash());
            AuditVerification toUntil = kavach.audit().verify(null, until);
            assertThat(toUntil.checked()).isEqualTo(everything.stream().filter(e -> e.timestamp().isBefore(until)).count());
            assertThat(kavach.audit().verify(null, null)).isEqualTo(kavach.audit().verify());

            AuditVerification future = kavach.audit().verify(clock.instant().plusSeconds(60), null);
            assertThat(future.ok()).isTrue();
            assertThat(future.checked()).isZero();
            assertThatThrownBy(() -> kavach.audit().verify(until, since)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.field()).isEqualTo("until"));
            assertThatThrownBy(() -> kavach.audit().verify(since, since)).isInstanceOf(InvalidInputException.class);
        }

        /** One chain: every entry follows exactly one other (or the start), and one entry is the head. */
        private void assertOneChain(List<AuditEntry> entries, String headHash) {
            Set<String> hashes = new HashSet<>();
            Set<String> previous = new HashSet<>();
            for (AuditEntry e : entries) {
                assertThat(hashes.add(e.hash())).as("hash of %s is unique", e.id()).isTrue();
                assertThat(previous.add(e.previousHash())).as("%s is the only entry after its predecessor", e.id()).isTrue();
                assertThat(e.hash()).isEqualTo(AuditHasher.hash(e));
            }
            assertThat(previous).contains(AuditEntry.GENESIS);
            Set<String> dangling = new HashSet<>(previous);
            dangling.removeAll(hashes);
            assertThat(dangling).containsExactly(AuditEntry.GENESIS);
            Set<String> heads = new HashSet<>(hashes);
            heads.removeAll(previous);
            assertThat(heads).containsExactly(headHash);
        }
    }

    @Nested
    class Cleanup {
        private static final int PER_DAY = 3;
        private String bot;

        @BeforeEach
        void tenDaysOfEntries() {
            bot = agentIn("alice", "acme", LLM);
            for (int day = 0; day < 10; day++) {
                clock.set(START.plus(Duration.ofDays(day)));
                for (int i = 0; i < PER_DAY; i++) {
                    kavach.authorize(bot, AuthorizeRequest.builder("execute", "llm:day" + day).tokensCost(i).build());
                    clock.advance(Duration.ofMinutes(7));
                }
            }
            clock.set(START.plus(Duration.ofDays(9)).plus(Duration.ofHours(12)));
        }

        @Test
        void itDeletesTheOlderEntriesKeepsTheNewerAndTheRestStillVerifies() {
            List<AuditEntry> before = all();
            Instant now = clock.instant();
            Instant cutoff = now.minus(Duration.ofDays(4));
            List<String> older = before.stream().filter(e -> e.timestamp().isBefore(cutoff)).map(AuditEntry::id).toList();
            List<String> newer = before.stream().filter(e -> !e.timestamp().isBefore(cutoff)).map(AuditEntry::id).toList();
            assertThat(older).isNotEmpty();
            assertThat(newer).isNotEmpty();

            long deleted = kavach.audit().cleanup(Duration.ofDays(4));

            assertThat(deleted).isEqualTo(older.size());
            List<AuditEntry> after = all();
            assertThat(after.get(0)).satisfies(e -> {
                assertThat(e.action()).isEqualTo("audit.cleanup");
                assertThat(e.code()).isEqualTo("AUDIT_CLEANUP");
                assertThat(e.result()).isEqualTo(AuditResult.SUCCESS);
                assertThat(e.resource()).isEqualTo("audit_log");
                assertThat(e.timestamp()).isEqualTo(now);
                assertThat(e.reason()).contains(Long.toString(deleted));
                assertThat(e.agentId()).isNull();
            });
            assertThat(after.subList(1, after.size())).extracting(AuditEntry::id).containsExactlyElementsOf(newer);
            AuditVerification verified = kavach.audit().verify();
            assertThat(verified.ok()).as(verified.message()).isTrue();
            assertThat(verified.checked()).isEqualTo(after.size());
            assertThat(verified.headHash()).isEqualTo(after.get(0).hash());

            clock.advance(Duration.ofHours(1));
            kavach.authorize(bot, "execute", "llm:later");
            assertThat(kavach.audit().verify().ok()).isTrue();
            assertThat(kavach.audit().verify(cutoff, null).ok()).isTrue();

            // Again, with nothing kept but what happens from now on.
            clock.advance(Duration.ofHours(1));
            int all = all().size();
            assertThat(kavach.audit().cleanup(Duration.ZERO)).isEqualTo(all);
            assertThat(all()).singleElement().satisfies(e -> assertThat(e.action()).isEqualTo("audit.cleanup"));
            kavach.authorize(bot, "execute", "llm:after-everything");
            AuditVerification last = kavach.audit().verify();
            assertThat(last.ok()).as(last.message()).isTrue();
            assertThat(last.checked()).isEqualTo(2);
        }

        @Test
        void aCleanupAlsoDeletesTheBudgetReservationsOfTheDecisionsItDeletes() {
            String spender = agentIn("carol", "acme", LLM);
            kavach.policy().create(CreatePolicyRequest.forAgent(spender).maxTokensCostPerDay(1_000)
                    .action(PolicyAction.BLOCK).build());
            clock.set(START.plus(Duration.ofDays(10)));
            Decision old = kavach.authorize(spender, AuthorizeRequest.builder("execute", "llm:x").tokensCost(5).build());
            clock.advance(Duration.ofDays(3));
            Decision recent = kavach.authorize(spender, AuthorizeRequest.builder("execute", "llm:x").tokensCost(5).build());
            clock.advance(Duration.ofHours(1));

            kavach.audit().cleanup(Duration.ofDays(2));

            assertThatThrownBy(() -> kavach.policy().settle(old.usageId(), 4))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining(old.usageId());
            assertThat(kavach.policy().settle(recent.usageId(), 4).agentId()).isEqualTo(spender);
            assertThat(all().get(0).reason()).contains("1 budget reservations");
        }

        @Test
        void aCleanupWithNothingToDeleteReturnsZeroAndIsStillAudited() {
            int before = all().size();
            assertThat(kavach.audit().cleanup(Duration.ofDays(365))).isZero();
            assertThat(all()).hasSize(before + 1).first().satisfies(e -> {
                assertThat(e.action()).isEqualTo("audit.cleanup");
                assertThat(e.reason()).startsWith("0 ");
            });
            assertThat(kavach.audit().verify().ok()).isTrue();
        }

        @Test
        void aCleanupStopsAtTheFirstNewerEntrySoNoGapIsLeft() {
            // An entry written with a clock that was set back sits after newer ones in the chain.
            clock.set(START.plus(Duration.ofDays(10)));
            kavach.authorize(bot, "execute", "llm:late");
            clock.set(START.plus(Duration.ofDays(1)).plusSeconds(1));
            kavach.authorize(bot, "execute", "llm:backdated");
            clock.set(START.plus(Duration.ofDays(10)));
            long deleted = kavach.audit().cleanup(Duration.ofDays(5));
            assertThat(deleted).as("agent.created and days 0 to 4: the run before the first entry of day 5").isEqualTo(1 + 5 * PER_DAY);
            assertThat(all()).extracting(AuditEntry::resource).contains("llm:backdated", "llm:day5", "llm:late")
                    .doesNotContain("llm:day4");
            AuditVerification verified = kavach.audit().verify();
            assertThat(verified.ok()).as(verified.message()).isTrue();
        }

        @Test
        void theRetentionIsChecked() {
            assertThatThrownBy(() -> kavach.audit().cleanup(Duration.ofSeconds(-1)))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("retention"));
            assertThatThrownBy(() -> kavach.audit().cleanup(null))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("retention"));
            assertThat(kavach.audit().verify().ok()).isTrue();
        }
    }
}
