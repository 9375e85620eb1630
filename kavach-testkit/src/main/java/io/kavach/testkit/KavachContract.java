package io.kavach.testkit;

import static io.kavach.testkit.KavachAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.AccessDeniedException;
import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.agent.AgentCredentials;
import io.kavach.agent.AgentFilter;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.agent.UpdateAgentRequest;
import io.kavach.audit.AuditFilter;
import io.kavach.delegation.DelegationFilter;
import io.kavach.delegation.DelegationRequest;
import io.kavach.error.AgentLimitExceededException;
import io.kavach.error.DelegationRejectedException;
import io.kavach.error.ErrorCode;
import io.kavach.error.InvalidInputException;
import io.kavach.error.InvalidStateException;
import io.kavach.error.KavachException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;
import io.kavach.model.Approval;
import io.kavach.model.ApprovalStatus;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.Constraints;
import io.kavach.model.DecisionCode;
import io.kavach.model.DelegationChain;
import io.kavach.model.DelegationStatus;
import io.kavach.model.Permission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store must give Kavach: agents, authorize with every constraint, delegation,
 * approvals and the audit trail, including the kavachOS defects of DESIGN section 9 that must not
 * come back. A store runs it by extending this class and implementing {@link #newStore()}.
 */
public abstract class KavachContract extends KavachTestSupport {

    @Nested
    class Agents {
        @Test
        void createReturnsTheTokenOnceAndStoresOnlyItsPrefix() {
            AgentCredentials created = create("user-1", Permission.of("mcp:github:*", "read"));
            assertThat(created.token()).startsWith("kv_").hasSize(46);
            Agent stored = kavach.agents().get(created.agent().id());
            assertThat(stored.tokenPrefix()).isEqualTo(created.token().substring(0, 11));
            assertThat(stored.toString()).doesNotContain(created.token());
            assertThat(created.toString()).doesNotContain(created.token());
            assertThat(stored.id()).startsWith("agt_");
            assertThat(stored.status()).isEqualTo(AgentStatus.ACTIVE);
            assertThat(stored.createdAt()).isEqualTo(START);
        }

        @Test
        void authorizeByTokenRunsTheSamePipelineAsAuthorize() {
            AgentCredentials created = create("user-1", Permission.of("mcp:github:*", "read"));
            AuthorizeRequest read = AuthorizeRequest.of("read", "mcp:github:repos");
            AuthorizeRequest write = AuthorizeRequest.of("write", "mcp:github:repos");
            assertThat(kavach.authorizeByToken(created.token(), read)).isAllowed().isAudited();
            assertThat(kavach.authorizeByToken(created.token(), write)).isDenied().hasCode(DecisionCode.PERMISSION_DENIED);
            Decision byToken = kavach.authorizeByToken(created.token(), read);
            assertThat(byToken.agentId()).isEqualTo(created.agent().id());
            assertThat(kavach.agents().findByToken(created.token())).map(Agent::id).contains(created.agent().id());
        }

        @Test
        void unknownAndMalformedTokensAreDeniedAndAudited() {
            String unknown = "kv_" + "A".repeat(43);
            assertThat(kavach.authorizeByToken(unknown, AuthorizeRequest.of("read", "x"))).isDenied()
                    .hasCode(DecisionCode.AGENT_NOT_FOUND).isAudited();
            assertThat(kavach.authorizeByToken("not-a-token", AuthorizeRequest.of("read", "x"))).isDenied()
                    .hasCode(DecisionCode.INVALID_REQUEST).isAudited();
        }

        @Test
        void rotatingTheTokenRetiresTheOldOne() {
            AgentCredentials created = create("user-1", Permission.of("x", "read"));
            AgentCredentials rotated = kavach.agents().rotateToken(created.agent().id());
            assertThat(rotated.token()).isNotEqualTo(created.token());
            assertThat(kavach.authorizeByToken(created.token(), AuthorizeRequest.of("read", "x")))
                    .hasCode(DecisionCode.AGENT_NOT_FOUND);
            assertThat(kavach.authorizeByToken(rotated.token(), AuthorizeRequest.of("read", "x"))).isAllowed();
            assertThat(kavach.agents().get(created.agent().id()).tokenPrefix()).isEqualTo(rotated.token().substring(0, 11));
        }

        @Test
        void listFiltersByOwnerTenantStatusAndTypeAndPages() {
            String a = agent("alice");
            String b = kavach.agents().create(CreateAgentRequest.builder("alice", "svc").tenant("acme")
                    .type(AgentType.SERVICE).build()).agent().id();
            String c = agent("bob");
            kavach.agents().revoke(c);
            assertThat(kavach.agents().list(AgentFilter.byOwner("alice"))).extracting(Agent::id).containsExactly(a, b);
            assertThat(kavach.agents().list(AgentFilter.all().withTenant("acme"))).extracting(Agent::id).containsExactly(b);
            assertThat(kavach.agents().list(AgentFilter.all().withType(AgentType.SERVICE))).extracting(Agent::id).containsExactly(b);
            assertThat(kavach.agents().list(AgentFilter.all().withStatus(AgentStatus.REVOKED))).extracting(Agent::id).containsExactly(c);
            assertThat(kavach.agents().list(AgentFilter.all().withLimit(1))).extracting(Agent::id).containsExactly(a);
            assertThat(kavach.agents().list(AgentFilter.all().after(a).withLimit(1))).extracting(Agent::id).containsExactly(b);
        }

        @Test
        void updateChangesWhatIsSetAndRefusesRevokedAgents() {
            String id = agent("alice", Permission.of("x", "read"));
            clock.advance(Duration.ofMinutes(1));
            Agent updated = kavach.agents().update(id, new UpdateAgentRequest("renamed",
                    List.of(Permission.of("y", "read")), START.plus(Duration.ofDays(1)), Map.of("team", "search")));
            assertThat(updated.name()).isEqualTo("renamed");
            assertThat(updated.updatedAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
            assertThat(kavach.agents().get(id)).isEqualTo(updated);
            assertThat(kavach.authorize(id, "read", "x")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.authorize(id, "read", "y")).isAllowed();
            kavach.agents().revoke(id);
            assertThatThrownBy(() -> kavach.agents().update(id, UpdateAgentRequest.name("again")))
                    .isInstanceOf(InvalidStateException.class).hasMessageContaining(id);
        }

        @Test
        void expiredAgentsAreDeniedOnEveryPath() {
            AgentCredentials created = kavach.agents().create(CreateAgentRequest.builder("alice", "short-lived")
                    .permission("x", "read").expiresAt(START.plus(Duration.ofHours(1))).build());
            String id = created.agent().id();
            assertThat(kavach.authorize(id, "read", "x")).isAllowed();
            clock.advance(Duration.ofHours(1));
            assertThat(kavach.authorize(id, "read", "x")).isDenied().hasCode(DecisionCode.AGENT_EXPIRED).isAudited();
            assertThat(kavach.authorizeByToken(created.token(), AuthorizeRequest.of("read", "x")))
                    .hasCode(DecisionCode.AGENT_EXPIRED);
            assertThat(kavach.agents().findByToken(created.token())).isEmpty();
            assertThat(kavach.agents().list(AgentFilter.all().withStatus(AgentStatus.EXPIRED))).extracting(Agent::id).containsExactly(id);
            assertThat(kavach.agents().list(AgentFilter.all().withStatus(AgentStatus.ACTIVE))).isEmpty();
            assertThatThrownBy(() -> kavach.agents().rotateToken(id)).isInstanceOf(InvalidStateException.class);
        }

        @Test
        void theDefaultExpiryApplies() {
            Kavach expiring = open(Kavach.builder().defaultAgentExpiry(Duration.ofDays(30)));
            Agent agent = expiring.agents().create(CreateAgentRequest.builder("u", "a").build()).agent();
            assertThat(agent.expiresAt()).isEqualTo(START.plus(Duration.ofDays(30)));
        }

        @Test
        void thePerOwnerCapHoldsUnderConcurrency() throws Exception {
            Kavach capped = open(Kavach.builder().maxActiveAgentsPerOwner(5));
            List<Object> outcomes = runConcurrently(16, i -> {
                try {
                    return capped.agents().create(CreateAgentRequest.builder("owner", "bot-" + i).build());
                } catch (AgentLimitExceededException e) {
                    return e;
                }
            });
            assertThat(outcomes).filteredOn(AgentCredentials.class::isInstance).hasSize(5);
            assertThat(outcomes).filteredOn(AgentLimitExceededException.class::isInstance).hasSize(11);
            List<Agent> active = capped.agents().list(AgentFilter.byOwner("owner"));
            assertThat(active).hasSize(5);
            capped.agents().revoke(active.get(0).id());
            assertThat(capped.agents().create(CreateAgentRequest.builder("owner", "replacement").build())).isNotNull();
            assertThat(capped.agents().create(CreateAgentRequest.builder("other", "other").build())).isNotNull();
        }
    }

    @Nested
    class Authorize {
        @Test
        void allowsWhatAPermissionGrantsAndSaysWhy() {
            String id = agent("alice", Permission.of("mcp:github:*", "read", "list"));
            Decision decision = kavach.authorize(id, AuthorizeRequest.of("read", "mcp:github:repos"));
            assertThat(decision).isAllowed().hasCode(DecisionCode.ALLOWED).isAudited().hasReasonContaining("mcp:github:*");
            assertThat(decision.grant()).isEqualTo(Permission.of("mcp:github:*", "read", "list"));
            assertThat(decision.delegationChainId()).isNull();
            assertThat(decision.timestamp()).isEqualTo(START);
            assertThat(decision.requireAllowed()).isSameAs(decision);
            assertThat(kavach.agents().get(id).lastActiveAt()).isEqualTo(START);
        }

        @Test
        void deniesWhatNoPermissionGrants() {
            String id = agent("alice", Permission.of("mcp:github:*", "read"));
            assertThat(kavach.authorize(id, "write", "mcp:github:repos")).isDenied().hasCode(DecisionCode.PERMISSION_DENIED)
                    .hasReasonContaining("write").hasReasonContaining("mcp:github:repos");
            assertThat(kavach.authorize(id, "read", "mcp:slack:channels")).hasCode(DecisionCode.PERMISSION_DENIED);
        }

        @Test
        void aMiddleWildcardMatchesExactlyOneSegment() {
            String id = agent("alice", Permission.of("files:*:read-only", "read"));
            assertThat(kavach.authorize(id, "read", "files:docs:read-only")).isAllowed();
            assertThat(kavach.authorize(id, "read", "files:docs:secret:read-only")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.authorize(id, "read", "files:docs")).hasCode(DecisionCode.PERMISSION_DENIED);
        }

        @Test
        void theDoubleWildcardMatchesOneOrMoreSegments() {
            String id = agent("alice", Permission.of("files:**", "*"));
            assertThat(kavach.authorize(id, "delete", "files:a:b:c")).isAllowed();
            assertThat(kavach.authorize(id, "read", "files")).hasCode(DecisionCode.PERMISSION_DENIED);
        }

        @Test
        void unknownRevokedAndMalformedAgentsAreDenied() {
            String id = agent("alice", Permission.of("x", "read"));
            kavach.agents().revoke(id);
            assertThat(kavach.authorize(id, "read", "x")).isDenied().hasCode(DecisionCode.AGENT_REVOKED);
            assertThat(kavach.authorize("agt_01J0000000000000000000000Z", "read", "x")).hasCode(DecisionCode.AGENT_NOT_FOUND);
            assertThat(kavach.authorize("bogus", "read", "x")).hasCode(DecisionCode.INVALID_REQUEST).hasReasonContaining("bogus");
            assertThat(kavach.authorize(null, "read", "x")).hasCode(DecisionCode.INVALID_REQUEST);
            assertThat(kavach.authorize(id, (AuthorizeRequest) null)).hasCode(DecisionCode.INVALID_REQUEST);
            assertThat(kavach.authorize(id, "read", "a::b")).hasCode(DecisionCode.INVALID_REQUEST).hasReasonContaining("resource");
            assertThat(kavach.authorize(id, "re ad", "x")).hasCode(DecisionCode.INVALID_REQUEST).hasReasonContaining("action");
        }

        @Test
        void everyDecisionWritesExactlyOneAuditEntry() {
            String id = agent("alice", limited("x", Constraints.builder().maxCallsPerHour(1).build(), "read"));
            String revoked = agent("bob", Permission.of("x", "read"));
            kavach.agents().revoke(revoked);
            int before = kavach.audit().query(AuditFilter.all().withLimit(10_000)).size();
            List<Decision> decisions = List.of(
                    kavach.authorize(id, "read", "x"),
                    kavach.authorize(id, "read", "x"),
                    kavach.authorize(id, "write", "x"),
                    kavach.authorize(revoked, "read", "x"),
                    kavach.authorize("agt_01J0000000000000000000000Z", "read", "x"),
                    kavach.authorize("bad id", "read", "x"));
            assertThat(decisions).extracting(Decision::code).containsExactly(DecisionCode.ALLOWED,
                    DecisionCode.RATE_LIMITED, DecisionCode.PERMISSION_DENIED, DecisionCode.AGENT_REVOKED,
                    DecisionCode.AGENT_NOT_FOUND, DecisionCode.INVALID_REQUEST);
            List<AuditEntry> all = kavach.audit().query(AuditFilter.all().withLimit(10_000));
            assertThat(all).hasSize(before + decisions.size());
            for (Decision decision : decisions) {
                assertThat(all).filteredOn(e -> e.id().equals(decision.auditId())).singleElement()
                        .satisfies(e -> {
                            assertThat(e.code()).isEqualTo(decision.code().name());
                            assertThat(e.result()).isEqualTo(decision.allowed() ? AuditResult.ALLOWED : AuditResult.DENIED);
                            assertThat(e.reason()).isEqualTo(decision.reason());
                        });
            }
        }

        @Test
        void theAuditEntryCarriesTheRequestWithPromptsRedacted() {
            String id = agent("alice", Permission.of("llm:openai:chat", "execute"));
            Decision decision = kavach.authorize(id, AuthorizeRequest.builder("execute", "llm:openai:chat")
                    .argument("prompt", "my secret plan").argument("model", "gpt-4o").tokensCost(150)
                    .clientIp("10.1.2.3").userAgent("bot/1.0").build());
            AuditEntry entry = auditOf(id).get(0);
            assertThat(entry.id()).isEqualTo(decision.auditId());
            assertThat(entry.userId()).isEqualTo("alice");
            assertThat(entry.tokensCost()).isEqualTo(150L);
            assertThat(entry.ip()).isEqualTo("10.1.2.3");
            assertThat(entry.userAgent()).isEqualTo("bot/1.0");
            assertThat(entry.arguments()).containsEntry("model", "gpt-4o").containsEntry("prompt", "[REDACTED]");
            assertThat(entry.timestamp()).isEqualTo(START);
        }

        @Test
        void beforeHooksMayDenyAndAfterHooksCannotChangeTheDecision() {
            List<Decision> seen = new CopyOnWriteArrayList<>();
            List<Decision> violations = new CopyOnWriteArrayList<>();
            Kavach hooked = open(Kavach.builder()
                    .listener(new KavachListener() {
                        @Override
                        public Optional<String> beforeAuthorize(String agentId, AuthorizeRequest request) {
                            return request.resource().startsWith("blocked") ? Optional.of("maintenance") : Optional.empty();
                        }
                    })
                    .listener(new KavachListener() {
                        @Override
                        public void afterAuthorize(String agentId, AuthorizeRequest request, Decision decision) {
                            seen.add(decision);
                            throw new IllegalStateException("listener bug");
                        }

                        @Override
                        public void onViolation(String agentId, AuthorizeRequest request, Decision decision) {
                            violations.add(decision);
                        }
                    }));
            String id = hooked.agents().create(CreateAgentRequest.builder("u", "a").permission("**", "*").build()).agent().id();
            assertThat(hooked.authorize(id, "read", "open:door")).isAllowed();
            assertThat(hooked.authorize(id, "read", "blocked:door")).isDenied().hasCode(DecisionCode.HOOK_DENIED)
                    .hasReasonContaining("maintenance").isAudited();
            assertThat(seen).extracting(Decision::code).containsExactly(DecisionCode.ALLOWED, DecisionCode.HOOK_DENIED);
            assertThat(violations).extracting(Decision::code).containsExactly(DecisionCode.HOOK_DENIED);
        }

        @Test
        void aThrowingBeforeHookDenies() {
            Kavach hooked = open(Kavach.builder().listener(new KavachListener() {
                @Override
                public Optional<String> beforeAuthorize(String agentId, AuthorizeRequest request) {
                    throw new IllegalStateException("policy service down");
                }
            }));
            String id = hooked.agents().create(CreateAgentRequest.builder("u", "a").permission("**", "*").build()).agent().id();
            assertThat(hooked.authorize(id, "read", "x")).isDenied().hasCode(DecisionCode.HOOK_DENIED)
                    .hasReasonContaining("policy service down");
        }

        @Test
        void requireAllowedThrowsTheDenialForCallersWhoWantAnException() {
            String id = agent("alice");
            Decision denied = kavach.authorize(id, "read", "x");
            assertThatThrownBy(denied::requireAllowed).isInstanceOf(AccessDeniedException.class)
                    .satisfies(e -> {
                        assertThat(((AccessDeniedException) e).decision()).isEqualTo(denied);
                        assertThat(((KavachException) e).code()).isEqualTo(ErrorCode.ACCESS_DENIED);
                    });
        }
    }

    @Nested
    class Constraint {
        @Test
        void theRateLimitCountsTheTrailingHour() {
            String id = agent("alice", limited("api:search", Constraints.builder().maxCallsPerHour(3).build(), "call"));
            for (int i = 0; i < 3; i++) {
                assertThat(kavach.authorize(id, "call", "api:search")).isAllowed();
                clock.advance(Duration.ofMinutes(10));
            }
            Decision limited = kavach.authorize(id, "call", "api:search");
            assertThat(limited).isDenied().hasCode(DecisionCode.RATE_LIMITED).hasReasonContaining("3 calls per hour");
            assertThat(limited.retryAfter()).isEqualTo(START.plus(Duration.ofHours(1)));
            clock.set(START.plus(Duration.ofHours(1)).plusMillis(1));
            assertThat(kavach.authorize(id, "call", "api:search")).isAllowed();
            assertThat(kavach.authorize(id, "call", "api:search")).hasCode(DecisionCode.RATE_LIMITED);
        }

        @Test
        void twentyConcurrentCallsAgainstALimitOfFiveAllowExactlyFive() throws Exception {
            String id = agent("alice", limited("api:search", Constraints.builder().maxCallsPerHour(5).build(), "call"));
            List<Decision> decisions = runConcurrently(20, i -> kavach.authorize(id, "call", "api:search"));
            assertThat(decisions).filteredOn(Decision::allowed).hasSize(5);
            assertThat(decisions).filteredOn(d -> d.code() == DecisionCode.RATE_LIMITED).hasSize(15);
            assertThat(auditOf(id).stream().filter(e -> e.action().equals("call"))).hasSize(20);
        }

        @Test
        void deniedCallsConsumeNoQuota() {
            Constraints constraints = Constraints.builder().maxCallsPerHour(2).requireApproval(true)
                    .allowedArgPatterns("safe-*").build();
            String id = agent("alice", limited("tool:shell", constraints, "run"));
            AuthorizeRequest bad = AuthorizeRequest.builder("run", "tool:shell").argument("cmd", "rm -rf /").build();
            AuthorizeRequest good = AuthorizeRequest.builder("run", "tool:shell").argument("cmd", "safe-ls").build();
            for (int i = 0; i < 5; i++) {
                assertThat(kavach.authorize(id, bad)).hasCode(DecisionCode.ARGUMENT_REJECTED);
                assertThat(kavach.authorize(id, good)).hasCode(DecisionCode.APPROVAL_REQUIRED);
            }
            for (int i = 0; i < 2; i++) {
                Decision waiting = kavach.authorize(id, good);
                kavach.approvals().approve(waiting.approvalId(), "ops");
                assertThat(kavach.authorize(id, good)).isAllowed();
            }
            // Twelve denied calls consumed nothing: the two allowed ones used the quota of two.
            // The rate limit is checked before the approval, so no approval request is opened now.
            Decision third = kavach.authorize(id, good);
            assertThat(third).hasCode(DecisionCode.RATE_LIMITED);
            assertThat(third.approvalId()).isNull();
        }

        @Test
        void everyStringArgumentMustMatchAnAllowedPattern() {
            String id = agent("alice", limited("tool:fs", Constraints.builder().allowedArgPatterns("/tmp/*", "*.txt").build(), "read"));
            AuthorizeRequest ok = AuthorizeRequest.builder("read", "tool:fs")
                    .argument("path", "/tmp/x").argument("also", List.of("notes.txt")).argument("count", 3).build();
            assertThat(kavach.authorize(id, ok)).isAllowed();
            AuthorizeRequest nested = AuthorizeRequest.builder("read", "tool:fs")
                    .argument("options", Map.of("path", "/etc/passwd")).build();
            assertThat(kavach.authorize(id, nested)).hasCode(DecisionCode.ARGUMENT_REJECTED).hasReasonContaining("options.path");
        }

        @Test
        void anApprovalLetsOneMatchingCallThroughWithinItsTimeToLive() {
            String id = agent("alice", limited("payments:refund", Constraints.builder().requireApproval(true).build(), "execute"));
            Decision first = kavach.authorize(id, "execute", "payments:refund");
            assertThat(first).isDenied().hasCode(DecisionCode.APPROVAL_REQUIRED);
            assertThat(first.approvalId()).startsWith("apr_");
            assertThat(kavach.authorize(id, "execute", "payments:refund").approvalId()).isEqualTo(first.approvalId());
            assertThat(kavach.approvals().listPending(id, 10)).extracting(Approval::id).containsExactly(first.approvalId());

            Approval approved = kavach.approvals().approve(first.approvalId(), "alice@example.com", Duration.ofMinutes(5));
            assertThat(approved.status()).isEqualTo(ApprovalStatus.APPROVED);
            assertThat(kavach.authorize(id, "execute", "payments:refund")).isAllowed();
            assertThat(kavach.approvals().find(first.approvalId())).map(Approval::status).contains(ApprovalStatus.CONSUMED);
            Decision again = kavach.authorize(id, "execute", "payments:refund");
            assertThat(again).hasCode(DecisionCode.APPROVAL_REQUIRED);
            assertThat(again.approvalId()).isNotEqualTo(first.approvalId());

            kavach.approvals().approve(again.approvalId(), "alice@example.com", Duration.ofMinutes(5));
            clock.advance(Duration.ofMinutes(5));
            assertThat(kavach.authorize(id, "execute", "payments:refund")).hasCode(DecisionCode.APPROVAL_REQUIRED);
            assertThatThrownBy(() -> kavach.approvals().approve(again.approvalId(), "x"))
                    .isInstanceOf(InvalidStateException.class);
        }

        @Test
        void aDeniedApprovalLetsNothingThrough() {
            String id = agent("alice", limited("payments:refund", Constraints.builder().requireApproval(true).build(), "execute"));
            Decision first = kavach.authorize(id, "execute", "payments:refund");
            assertThat(kavach.approvals().deny(first.approvalId(), "ops").status()).isEqualTo(ApprovalStatus.DENIED);
            Decision next = kavach.authorize(id, "execute", "payments:refund");
            assertThat(next).hasCode(DecisionCode.APPROVAL_REQUIRED);
            assertThat(next.approvalId()).isNotEqualTo(first.approvalId());
        }

        @Test
        void timeWindowsCrossMidnightInTheirZone() {
            // 22:00-06:00 in Tokyo (UTC+9) is 13:00-21:00 UTC.
            String id = agent("alice", limited("batch:jobs", Constraints.builder().timeWindow("22:00-06:00", "Asia/Tokyo").build(), "run"));
            clock.set(Instant.parse("2026-03-10T14:30:00Z")); // 23:30 in Tokyo
            assertThat(kavach.authorize(id, "run", "batch:jobs")).isAllowed();
            clock.set(Instant.parse("2026-03-10T20:59:00Z")); // 05:59
            assertThat(kavach.authorize(id, "run", "batch:jobs")).isAllowed();
            clock.set(Instant.parse("2026-03-10T21:00:00Z")); // 06:00
            assertThat(kavach.authorize(id, "run", "batch:jobs")).isDenied().hasCode(DecisionCode.TIME_RESTRICTED)
                    .hasReasonContaining("22:00-06:00");
            clock.set(Instant.parse("2026-03-10T03:00:00Z")); // noon
            assertThat(kavach.authorize(id, "run", "batch:jobs")).hasCode(DecisionCode.TIME_RESTRICTED);
        }

        @Test
        void theIpAllowlistReadsTheClientContext() {
            String id = agent("alice", limited("db:prod", Constraints.builder().ipAllowlist("10.0.0.0/8", "2001:db8::/32").build(), "query"));
            assertThat(kavach.authorize(id, AuthorizeRequest.builder("query", "db:prod").clientIp("10.20.30.40").build())).isAllowed();
            assertThat(kavach.authorize(id, AuthorizeRequest.builder("query", "db:prod").clientIp("2001:db8::7").build())).isAllowed();
            assertThat(kavach.authorize(id, AuthorizeRequest.builder("query", "db:prod").clientIp("::ffff:10.0.0.1").build())).isAllowed();
            assertThat(kavach.authorize(id, AuthorizeRequest.builder("query", "db:prod").clientIp("192.168.1.1").build()))
                    .isDenied().hasCode(DecisionCode.IP_NOT_ALLOWED).hasReasonContaining("192.168.1.1");
            assertThat(kavach.authorize(id, AuthorizeRequest.of("query", "db:prod"))).hasCode(DecisionCode.IP_NOT_ALLOWED);
        }

        @Test
        void anyMatchingGrantThatPassesAllowsTheCall() {
            String id = agent("alice",
                    limited("api:*", Constraints.builder().maxCallsPerHour(0).build(), "call"),
                    Permission.of("api:search", "call"));
            assertThat(kavach.authorize(id, "call", "api:search")).isAllowed();
            assertThat(kavach.authorize(id, "call", "api:other")).hasCode(DecisionCode.RATE_LIMITED);
        }
    }

    @Nested
    class Delegation {
        @Test
        void theChildHoldsWhatWasDelegatedAndNothingElse() {
            String parent = agent("alice", Permission.of("mcp:github:**", "read", "write"), Permission.of("mcp:slack:*", "post"));
            String child = agent("alice");
            DelegationChain chain = kavach.delegate(DelegationRequest.from(parent).to(child)
                    .permission("mcp:github:repos:*", "read").expiresIn("1h").build());
            assertThat(chain.id()).startsWith("dlg_");
            assertThat(chain.depth()).isEqualTo(1);
            assertThat(chain.expiresAt()).isEqualTo(START.plus(Duration.ofHours(1)));
            assertThat(kavach.authorize(child, "read", "mcp:github:repos:kavach")).isAllowed().usedDelegationChain(chain.id());
            assertThat(kavach.authorize(child, "write", "mcp:github:repos:kavach")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.authorize(child, "post", "mcp:slack:general")).hasCode(DecisionCode.PERMISSION_DENIED);
            clock.advance(Duration.ofHours(1));
            assertThat(kavach.authorize(child, "read", "mcp:github:repos:kavach")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.delegations().get(chain.id()).statusAt(clock.instant())).isEqualTo(DelegationStatus.EXPIRED);
        }

        @Test
        void delegatingWiderThanHeldIsRejected() {
            String parent = agent("alice", Permission.of("x", "read"), Permission.of("y:*", "read"));
            String child = agent("alice");
            for (String wider : List.of("x:**", "x:*", "**", "y:**", "y:*:z")) {
                assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(parent).to(child).permission(wider, "read")
                        .expiresIn("1h").build()))
                        .isInstanceOf(DelegationRejectedException.class).hasMessageContaining(wider);
            }
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(parent).to(child).permission("x", "write")
                    .expiresIn("1h").build())).isInstanceOf(DelegationRejectedException.class);
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(parent).to(child).permission("x", "*")
                    .expiresIn("1h").build())).isInstanceOf(DelegationRejectedException.class);
            assertThat(kavach.authorize(child, "read", "x:secret")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.delegations().list(DelegationFilter.from(parent))).isEmpty();
        }

        @Test
        void constraintsAreKeptAndMayOnlyTighten() {
            Constraints held = Constraints.builder().maxCallsPerHour(2).timeWindow("09:00-17:00")
                    .ipAllowlist("10.0.0.0/8").allowedArgPatterns("safe-*").build();
            String parent = agent("alice", limited("api:**", held, "call"));
            String child = agent("alice");
            DelegationChain plain = kavach.delegate(DelegationRequest.from(parent).to(child).permission("api:search", "call")
                    .expiresIn("1h").build());
            assertThat(plain.permissions().get(0).constraints()).isEqualTo(held);

            String other = agent("alice");
            DelegationChain tighter = kavach.delegate(DelegationRequest.from(parent).to(other)
                    .permission(limited("api:search", Constraints.builder().maxCallsPerHour(5).timeWindow("10:00-12:00")
                            .ipAllowlist("10.1.0.0/16").allowedArgPatterns("safe-ls").build(), "call"))
                    .expiresIn("1h").build());
            Constraints got = tighter.permissions().get(0).constraints();
            assertThat(got.maxCallsPerHour()).isEqualTo(2);
            assertThat(got.timeWindow().text()).isEqualTo("10:00-12:00");
            assertThat(got.ipAllowlist()).extracting(Object::toString).containsExactly("10.1.0.0/16");

            for (Constraints wider : List.of(Constraints.builder().timeWindow("08:00-12:00").build(),
                    Constraints.builder().ipAllowlist("0.0.0.0/0").build(),
                    Constraints.builder().allowedArgPatterns("*").build())) {
                assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(parent).to(other)
                        .permission(limited("api:search", wider, "call")).expiresIn("1h").build()))
                        .isInstanceOf(DelegationRejectedException.class);
            }
            assertThat(kavach.authorize(child, AuthorizeRequest.builder("call", "api:search").clientIp("192.168.0.1")
                    .argument("cmd", "safe-ls").build())).hasCode(DecisionCode.IP_NOT_ALLOWED);
        }

        @Test
        void selfDelegationAndCyclesAreRejected() {
            String a = agent("alice", Permission.of("x:**", "read"));
            String b = agent("alice", Permission.of("y", "read"));
            String c = agent("alice", Permission.of("z", "read"));
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(a).to(a).permission("x:1", "read").expiresIn("1h").build()))
                    .isInstanceOf(DelegationRejectedException.class).hasMessageContaining("itself");
            kavach.delegate(DelegationRequest.from(a).to(b).permission("x:**", "read").expiresIn("1h").build());
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(b).to(a).permission("y", "read").expiresIn("1h").build()))
                    .isInstanceOf(DelegationRejectedException.class).hasMessageContaining("cycle");
            kavach.delegate(DelegationRequest.from(b).to(c).permission("x:1", "read").expiresIn("1h").build());
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(c).to(a).permission("z", "read").expiresIn("1h").build()))
                    .isInstanceOf(DelegationRejectedException.class).hasMessageContaining("cycle");
        }

        @Test
        void noHopCanRaiseTheChainsMaxDepth() {
            String a = agent("alice", Permission.of("x:**", "read"));
            String b = agent("alice");
            String c = agent("alice");
            String d = agent("alice");
            DelegationChain ab = kavach.delegate(DelegationRequest.from(a).to(b).permission("x:**", "read").expiresIn("1h").maxDepth(2).build());
            DelegationChain bc = kavach.delegate(DelegationRequest.from(b).to(c).permission("x:**", "read").expiresIn("1h").maxDepth(10).build());
            assertThat(ab.maxDepth()).isEqualTo(2);
            assertThat(bc.depth()).isEqualTo(2);
            assertThat(bc.maxDepth()).isEqualTo(2);
            assertThat(bc.parentChainIds()).containsExactly(ab.id());
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(c).to(d).permission("x:1", "read").expiresIn("1h").maxDepth(16).build()))
                    .isInstanceOf(DelegationRejectedException.class).hasMessageContaining("maxDepth of 2");
            assertThat(kavach.authorize(c, "read", "x:1")).isAllowed().usedDelegationChain(bc.id());
        }

        @Test
        void expiryIsCappedAtTheDelegatorsAndMustBeInTheFuture() {
            String a = kavach.agents().create(CreateAgentRequest.builder("alice", "a").permission("x:**", "read")
                    .expiresAt(START.plus(Duration.ofHours(2))).build()).agent().id();
            String b = agent("alice");
            String c = agent("alice");
            DelegationChain ab = kavach.delegate(DelegationRequest.from(a).to(b).permission("x:**", "read").expiresIn("7d").build());
            assertThat(ab.expiresAt()).isEqualTo(START.plus(Duration.ofHours(2)));
            DelegationChain bc = kavach.delegate(DelegationRequest.from(b).to(c).permission("x:1", "read").expiresIn("30d").build());
            assertThat(bc.expiresAt()).isEqualTo(START.plus(Duration.ofHours(2)));
            DelegationChain shorter = kavach.delegate(DelegationRequest.from(b).to(agent("alice")).permission("x:1", "read")
                    .expiresIn("30m").build());
            assertThat(shorter.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(30)));
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(a).to(c).permission("x:1", "read")
                    .expiresAt(START.minusSeconds(1)).build()))
                    .isInstanceOf(DelegationRejectedException.class).hasMessageContaining("not in the future");
        }

        @Test
        void unknownAndInactiveTargetsAreRejected() {
            String a = agent("alice", Permission.of("x", "read"));
            String revoked = agent("alice");
            kavach.agents().revoke(revoked);
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(a).to(revoked).permission("x", "read").expiresIn("1h").build()))
                    .isInstanceOf(DelegationRejectedException.class).hasMessageContaining("revoked");
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(a).to("agt_01J0000000000000000000000Z")
                    .permission("x", "read").expiresIn("1h").build()))
                    .isInstanceOf(DelegationRejectedException.class).hasMessageContaining("does not exist");
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(a).to(agent("alice")).expiresIn("1h").build()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("permissions");
        }

        @Test
        void aChildLosesAccessWhenItsParentIsRevoked() {
            String parent = agent("alice", Permission.of("x:**", "read"));
            String child = agent("alice");
            String grandchild = agent("alice");
            DelegationChain first = kavach.delegate(DelegationRequest.from(parent).to(child).permission("x:**", "read").expiresIn("1d").build());
            DelegationChain second = kavach.delegate(DelegationRequest.from(child).to(grandchild).permission("x:1", "read").expiresIn("1d").build());
            assertThat(kavach.authorize(grandchild, "read", "x:1")).isAllowed();
            kavach.agents().revoke(parent);
            assertThat(kavach.authorize(child, "read", "x:1")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.authorize(grandchild, "read", "x:1")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.delegations().get(first.id()).status()).isEqualTo(DelegationStatus.REVOKED);
            assertThat(kavach.delegations().get(second.id()).status()).isEqualTo(DelegationStatus.REVOKED);
        }

        @Test
        void revokingAChainRevokesItsDerivedChainsOnly() {
            String a = agent("alice", Permission.of("x:**", "read"));
            String b = agent("alice");
            String c = agent("alice");
            String d = agent("alice");
            DelegationChain ab = kavach.delegate(DelegationRequest.from(a).to(b).permission("x:**", "read").expiresIn("1d").build());
            DelegationChain bc = kavach.delegate(DelegationRequest.from(b).to(c).permission("x:1", "read").expiresIn("1d").build());
            DelegationChain ad = kavach.delegate(DelegationRequest.from(a).to(d).permission("x:**", "read").expiresIn("1d").build());
            assertThat(kavach.delegations().revoke(ab.id())).isEqualTo(2);
            assertThat(kavach.delegations().revoke(ab.id())).isZero();
            assertThat(kavach.delegations().get(bc.id()).status()).isEqualTo(DelegationStatus.REVOKED);
            assertThat(kavach.delegations().get(ad.id()).status()).isEqualTo(DelegationStatus.ACTIVE);
            assertThat(kavach.authorize(d, "read", "x:1")).isAllowed();
            assertThat(kavach.authorize(c, "read", "x:1")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.delegations().list(DelegationFilter.from(a).withStatus(DelegationStatus.ACTIVE)))
                    .extracting(DelegationChain::id).containsExactly(ad.id());
            assertThat(kavach.delegations().list(DelegationFilter.to(c))).extracting(DelegationChain::id).containsExactly(bc.id());
        }

        @Test
        void revokingTheReceiverRevokesItsChainsBothWays() {
            String a = agent("alice", Permission.of("x:**", "read"));
            String b = agent("alice");
            String c = agent("alice");
            DelegationChain ab = kavach.delegate(DelegationRequest.from(a).to(b).permission("x:**", "read").expiresIn("1d").build());
            DelegationChain bc = kavach.delegate(DelegationRequest.from(b).to(c).permission("x:**", "read").expiresIn("1d").build());
            kavach.agents().revoke(b);
            assertThat(kavach.delegations().get(ab.id()).status()).isEqualTo(DelegationStatus.REVOKED);
            assertThat(kavach.delegations().get(bc.id()).status()).isEqualTo(DelegationStatus.REVOKED);
            assertThat(kavach.authorize(a, "read", "x:1")).isAllowed();
        }

        @Test
        void narrowingTheDelegatorsPermissionsRevokesWhatTheyNoLongerCover() {
            String a = agent("alice", Permission.of("x:**", "read"), Permission.of("y", "read"));
            String b = agent("alice");
            DelegationChain xs = kavach.delegate(DelegationRequest.from(a).to(b).permission("x:1", "read").expiresIn("1d").build());
            DelegationChain ys = kavach.delegate(DelegationRequest.from(a).to(b).permission("y", "read").expiresIn("1d").build());
            kavach.agents().update(a, UpdateAgentRequest.permissions(List.of(Permission.of("y", "read"))));
            assertThat(kavach.delegations().get(xs.id()).status()).isEqualTo(DelegationStatus.REVOKED);
            assertThat(kavach.delegations().get(ys.id()).status()).isEqualTo(DelegationStatus.ACTIVE);
            assertThat(kavach.authorize(b, "read", "x:1")).hasCode(DecisionCode.PERMISSION_DENIED);
        }

        @Test
        void delegationsAndTheirRejectionsAndRevocationsAreAudited() {
            String a = agent("alice", Permission.of("x", "read"));
            String b = agent("alice");
            DelegationChain chain = kavach.delegate(DelegationRequest.from(a).to(b).permission("x", "read").expiresIn("1h").build());
            assertThatThrownBy(() -> kavach.delegate(DelegationRequest.from(a).to(b).permission("z", "read").expiresIn("1h").build()))
                    .isInstanceOf(DelegationRejectedException.class);
            kavach.delegations().revoke(chain.id());
            assertThat(auditOf(a)).extracting(AuditEntry::action)
                    .contains("delegation.created", "delegation.rejected", "delegation.revoked");
            assertThat(auditOf(a)).filteredOn(e -> e.action().equals("delegation.rejected")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.result()).isEqualTo(AuditResult.DENIED);
                        assertThat(e.code()).isEqualTo("DELEGATION_REJECTED");
                        assertThat(e.reason()).contains("does not hold z");
                    });
        }

        @Test
        void delegationNeverWidensAccess() {
            // Property: whatever a delegation lets the child do, the parent could do itself.
            Random random = new Random(20261123L);
            String[] segments = {"a", "b", "*"};
            String[] actions = {"read", "write", "*"};
            int delegated = 0;
            for (int round = 0; round < 60; round++) {
                List<Permission> held = new ArrayList<>();
                for (int i = 0; i <= random.nextInt(3); i++) {
                    held.add(Permission.of(randomPattern(random, segments), actions[random.nextInt(3)]));
                }
                String parent = agent("p", held.toArray(new Permission[0]));
                String child = agent("c");
                try {
                    kavach.delegate(DelegationRequest.from(parent).to(child)
                            .permission(randomPattern(random, segments), actions[random.nextInt(3)]).expiresIn("1h").build());
                    delegated++;
                } catch (DelegationRejectedException expected) {
                    continue;
                }
                for (int probe = 0; probe < 12; probe++) {
                    String resource = randomResource(random);
                    String action = random.nextBoolean() ? "read" : "write";
                    if (kavach.authorize(child, action, resource).allowed()) {
                        assertThat(kavach.authorize(parent, action, resource)).as("%s %s", action, resource).isAllowed();
                    }
                }
            }
            assertThat(delegated).as("rounds where the delegation was accepted").isGreaterThan(10);
        }

        private String randomPattern(Random random, String[] segments) {
            int length = 1 + random.nextInt(3);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < length; i++) {
                out.append(i == 0 ? "" : ":").append(i == length - 1 && random.nextInt(4) == 0 ? "**" : segments[random.nextInt(3)]);
            }
            return out.toString();
        }

        private String randomResource(Random random) {
            int length = 1 + random.nextInt(4);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < length; i++) {
                out.append(i == 0 ? "" : ":").append(random.nextBoolean() ? "a" : "b");
            }
            return out.toString();
        }
    }

    @Nested
    class BadInput {
        @Test
        void createReportsEveryViolationAtOnceAndStoresNothing() {
            CreateAgentRequest bad = new CreateAgentRequest(" ", "", "x".repeat(10_000), null, List.of(), null, Map.of());
            assertThatThrownBy(() -> kavach.agents().create(bad)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                assertThat(e.violations()).extracting(v -> v.field()).contains("ownerId", "tenantId", "name", "type");
                assertThat(e.getMessage()).contains("(10000 chars)");
            });
            assertThat(kavach.agents().list(AgentFilter.all())).isEmpty();
            assertThat(kavach.audit().query(AuditFilter.all())).isEmpty();
        }

        @Test
        void malformedPatternsActionsAndLimitsNameTheFieldAndValue() {
            assertThatThrownBy(() -> Permission.of("a::b", "read")).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.violations().get(0)).satisfies(v -> {
                        assertThat(v.field()).isEqualTo("resource");
                        assertThat(v.value()).isEqualTo("\"a::b\"");
                    }));
            assertThatThrownBy(() -> Permission.of("a:**:b", "read")).hasMessageContaining("resource");
            assertThatThrownBy(() -> Permission.of("x", "drop table")).hasMessageContaining("actions").hasMessageContaining("drop table");
            assertThatThrownBy(() -> Constraints.builder().maxCallsPerHour(-1)).hasMessageContaining("maxCallsPerHour").hasMessageContaining("-1");
            assertThatThrownBy(() -> Constraints.builder().ipAllowlist("example.com")).hasMessageContaining("example.com");
            assertThatThrownBy(() -> Constraints.builder().timeWindow("25:00-26:00")).hasMessageContaining("timeWindow");
            assertThatThrownBy(() -> AuthorizeRequest.builder("read", "x").tokensCost(-5).build()).hasMessageContaining("tokensCost");
            assertThatThrownBy(() -> AuthorizeRequest.builder("read", "x").clientIp("not-an-ip").build()).hasMessageContaining("client.ip");
        }

        @Test
        void idsAreCheckedOnEveryLookup() {
            assertThatThrownBy(() -> kavach.agents().get(null)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.field()).isEqualTo("agentId"));
            assertThatThrownBy(() -> kavach.agents().get(" ")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> kavach.agents().revoke("agt_nope")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> kavach.agents().get("agt_01J0000000000000000000000Z")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> kavach.delegations().revoke("dlg_x")).hasMessageContaining("chainId");
            assertThatThrownBy(() -> kavach.approvals().approve("apr_x", "me")).hasMessageContaining("approvalId");
            assertThatThrownBy(() -> kavach.agents().findByToken("kv_short")).hasMessageContaining("token");
        }

        @Test
        void delegationRequestsReportEveryViolation() {
            DelegationRequest bad = new DelegationRequest("", null, List.of(), "forever", START, 99);
            assertThatThrownBy(() -> kavach.delegate(bad)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.violations()).extracting(v -> v.field())
                            .contains("fromAgentId", "toAgentId", "permissions", "expiresIn", "expiry", "maxDepth"));
        }

        @Test
        void builderOptionsAreCheckedAtOnceNamingTheOption() {
            assertThatThrownBy(() -> Kavach.builder().maxActiveAgentsPerOwner(0)).hasMessageContaining("maxActiveAgentsPerOwner");
            assertThatThrownBy(() -> Kavach.builder().defaultAgentExpiry(Duration.ZERO)).hasMessageContaining("defaultAgentExpiry");
            assertThatThrownBy(() -> Kavach.builder().approvalTtl(Duration.ofSeconds(-1))).hasMessageContaining("approvalTtl");
            assertThatThrownBy(() -> Kavach.builder().defaultMaxDelegationDepth(17)).hasMessageContaining("defaultMaxDelegationDepth");
            assertThatThrownBy(() -> Kavach.builder().build()).hasMessageContaining("store");
            assertThatThrownBy(() -> Kavach.builder().store(newStore()).defaultAgentExpiry(Duration.ofMinutes(5))
                    .approvalTtl(Duration.ofHours(1)).build())
                    .hasMessageContaining("approvalTtl").hasMessageContaining("defaultAgentExpiry");
        }
    }

    @Nested
    class Audit {
        @Test
        void queryByAgentAndTimeRangeNewestFirst() {
            String a = agent("alice", Permission.of("x", "read"));
            String b = agent("bob", Permission.of("x", "read"));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(kavach.authorize(a, "read", "x").auditId());
                kavach.authorize(b, "read", "x");
                clock.advance(Duration.ofMinutes(1));
            }
            Instant since = START.plus(Duration.ofMinutes(1));
            Instant until = START.plus(Duration.ofMinutes(3));
            List<AuditEntry> window = kavach.audit().query(AuditFilter.forAgent(a).between(since, until));
            assertThat(window).extracting(AuditEntry::id).containsExactly(ids.get(2), ids.get(1));
            assertThat(kavach.audit().query(AuditFilter.forAgent(a).withLimit(2))).extracting(AuditEntry::id)
                    .containsExactly(ids.get(3), ids.get(2));
            assertThat(auditOf(a)).extracting(AuditEntry::agentId).containsOnly(a);
        }
    }
}
