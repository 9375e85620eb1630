package io.kavach.testkit;

import static io.kavach.testkit.KavachAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.audit.AuditFilter;
import io.kavach.delegation.DelegationRequest;
import io.kavach.error.InvalidInputException;
import io.kavach.error.NotFoundException;
import io.kavach.model.AgentStatus;
import io.kavach.model.AuditEntry;
import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.DecisionCode;
import io.kavach.model.DelegationChain;
import io.kavach.model.DelegationStatus;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.policy.BudgetCheck;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.policy.PolicyFilter;
import io.kavach.policy.PolicyTriggered;
import io.kavach.policy.RecordedUsage;
import io.kavach.policy.UpdatePolicyRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The budget policy behaviour every store must give Kavach (DESIGN section 5, seed 000), including
 * the kavachOS policy defects of DESIGN section 9. A store runs it by extending this class.
 */
public abstract class BudgetPolicyContract extends KavachTestSupport {
    private static final Permission LLM = Permission.of("llm:**", "execute");

    protected Decision call(Kavach k, String agentId, long tokensCost) {
        return k.authorize(agentId, AuthorizeRequest.builder("execute", "llm:openai:chat").tokensCost(tokensCost).build());
    }

    protected Decision call(String agentId, long tokensCost) {
        return call(kavach, agentId, tokensCost);
    }

    protected BudgetPolicy policy(CreatePolicyRequest.Builder builder) {
        return kavach.policy().create(builder.build());
    }

    protected String llmAgent(String owner) {
        return agent(owner, LLM);
    }

    @Nested
    class SeedExamples {
        @Test
        void aPerAgentDailyTokenCapBlocks() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(1000).maxCallsPerDay(500)
                    .action(PolicyAction.BLOCK));
            assertThat(cap.id()).startsWith("pol_");
            assertThat(call(bot, 600)).isAllowed();
            assertThat(call(bot, 400)).isAllowed(); // exactly the limit
            Decision over = call(bot, 1);
            assertThat(over).isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED).hasReasonContaining("1000")
                    .hasReasonContaining("maxTokensCostPerDay");
            assertThat(over.triggeredPolicyIds()).containsExactly(cap.id());
            assertThat(kavach.policy().counters(cap.id()).day()).isEqualTo(new PolicyUsage(1000, 2, 0));
        }

        @Test
        void aPerUserMonthlyCapAppliesToEveryAgentOfThatOwnerTogether() {
            String a = llmAgent("user-456");
            String b = llmAgent("user-456");
            String other = llmAgent("someone-else");
            BudgetPolicy monthly = policy(CreatePolicyRequest.forUser("user-456").maxTokensCostPerMonth(10_000)
                    .action(PolicyAction.THROTTLE));
            assertThat(call(a, 6_000)).isAllowed();
            assertThat(call(b, 5_000)).isDenied().hasCode(DecisionCode.BUDGET_THROTTLED);
            assertThat(call(b, 4_000)).isAllowed();
            assertThat(call(other, 50_000)).isAllowed();
            assertThat(kavach.policy().counters(monthly.id()).month().tokensCost()).isEqualTo(10_000);
        }

        @Test
        void aTenantWideCapAppliesOnlyToTheTenantsAgents() {
            String acme = kavach.agents().create(CreateAgentRequest.builder("u1", "acme-bot").tenant("tnt_acme")
                    .permission(LLM).build()).agent().id();
            String solo = llmAgent("u1");
            policy(CreatePolicyRequest.forTenant("tnt_acme").maxTokensCostPerMonth(50_000).maxCallsPerMonth(1_000_000)
                    .action(PolicyAction.BLOCK));
            assertThat(call(acme, 50_000)).isAllowed();
            assertThat(call(acme, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(call(solo, 60_000)).isAllowed();
        }

        @Test
        void checkBudgetIsSpeculativeAndRecordsNothing() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(100).action(PolicyAction.BLOCK));
            BudgetCheck fits = kavach.policy().checkBudget(bot, 50);
            assertThat(fits.allowed()).isTrue();
            BudgetCheck over = kavach.policy().checkBudget(bot, 101);
            assertThat(over.allowed()).isFalse();
            assertThat(over.code()).isEqualTo(DecisionCode.BUDGET_EXCEEDED);
            assertThat(over.policyId()).isEqualTo(cap.id());
            assertThat(over.reason()).contains("0 + 101 would exceed 100");
            assertThat(over.violations()).hasSize(1);
            assertThat(kavach.policy().counters(cap.id()).day()).isEqualTo(PolicyUsage.ZERO);
            assertThat(kavach.policy().get(cap.id()).status()).isEqualTo(PolicyStatus.ACTIVE);
            assertThat(call(bot, 100)).isAllowed();
        }

        @Test
        void recordUsageCountsACallAndItsCostAndTriggersAtTheThreshold() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(1000).action(PolicyAction.BLOCK));
            assertThat(kavach.authorize(bot, "execute", "llm:openai:chat")).isAllowed(); // no tokensCost: counts nothing
            RecordedUsage first = kavach.policy().recordUsage(bot, 700);
            assertThat(first.policyIds()).containsExactly(cap.id());
            assertThat(first.triggeredPolicyIds()).isEmpty();
            assertThat(kavach.policy().recordUsage(bot, 300).triggeredPolicyIds()).isEmpty(); // exactly the limit
            assertThat(kavach.policy().recordUsage(bot, 1).triggeredPolicyIds()).containsExactly(cap.id());
            assertThat(kavach.policy().get(cap.id()).status()).isEqualTo(PolicyStatus.TRIGGERED);
            assertThat(kavach.policy().counters(cap.id()).day()).isEqualTo(new PolicyUsage(1001, 3, 0));
            assertThat(kavach.authorize(bot, "execute", "llm:openai:chat")).hasCode(DecisionCode.BUDGET_EXCEEDED);
        }

        @Test
        void listIncludesGlobalAndPoolPoliciesThatApply() {
            String bot = llmAgent("alice");
            String other = llmAgent("bob");
            BudgetPolicy own = policy(CreatePolicyRequest.forAgent(bot).maxCallsPerDay(10).action(PolicyAction.BLOCK));
            BudgetPolicy global = policy(CreatePolicyRequest.global().maxCallsPerDay(1000).action(PolicyAction.WARN));
            BudgetPolicy pool = policy(CreatePolicyRequest.forPool("engineering-pool", List.of(bot)).maxCostPerDay(500_000_000)
                    .action(PolicyAction.BLOCK));
            BudgetPolicy users = policy(CreatePolicyRequest.forUser("alice").maxCallsPerMonth(100).action(PolicyAction.THROTTLE));
            policy(CreatePolicyRequest.forUser("bob").maxCallsPerMonth(100).action(PolicyAction.THROTTLE));
            assertThat(kavach.policy().list(PolicyFilter.forAgent(bot))).extracting(BudgetPolicy::id)
                    .containsExactlyInAnyOrder(own.id(), global.id(), pool.id(), users.id());
            assertThat(kavach.policy().list(PolicyFilter.forAgent(other))).extracting(BudgetPolicy::id)
                    .doesNotContain(own.id(), pool.id(), users.id()).contains(global.id());
            assertThat(kavach.policy().list(PolicyFilter.forUser("alice"))).extracting(BudgetPolicy::id)
                    .containsExactlyInAnyOrder(users.id(), global.id());
            assertThat(kavach.policy().list(PolicyFilter.all())).hasSize(5);
        }

        @Test
        void updateChangesLimitsAndActionForTheNextCallAndRemoveDeletes() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(1000).action(PolicyAction.BLOCK));
            assertThat(call(bot, 900)).isAllowed();
            assertThat(call(bot, 200)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            BudgetPolicy updated = kavach.policy().update(cap.id(), new UpdatePolicyRequest(
                    BudgetLimits.builder().maxTokensCostPerDay(2000).build(), PolicyAction.WARN, null));
            assertThat(updated.action()).isEqualTo(PolicyAction.WARN);
            assertThat(updated.status()).isEqualTo(PolicyStatus.ACTIVE);
            assertThat(call(bot, 200)).isAllowed();
            assertThat(call(bot, 2000)).isAllowed().satisfies(d -> assertThat(d.warnings()).hasSize(1));
            kavach.policy().remove(cap.id());
            assertThat(kavach.policy().find(cap.id())).isEmpty();
            assertThatThrownBy(() -> kavach.policy().remove(cap.id())).isInstanceOf(NotFoundException.class);
            assertThat(auditOf(bot)).extracting(AuditEntry::action).contains("policy.created", "policy.updated", "policy.removed");
        }

        @Test
        void warnAt800AndBlockAt1000WhicheverIsCreatedFirst() {
            for (boolean warnFirst : new boolean[] {true, false}) {
                String bot = llmAgent("alice-" + warnFirst);
                List<PolicyTriggered> alerts = new CopyOnWriteArrayList<>();
                Kavach alerting = open(Kavach.builder().listener(new KavachListener() {
                    @Override
                    public void onPolicyTriggered(PolicyTriggered event) {
                        alerts.add(event);
                    }
                }));
                String id = alerting.agents().create(CreateAgentRequest.builder("alice", "bot").permission(LLM).build()).agent().id();
                CreatePolicyRequest warn = CreatePolicyRequest.forAgent(id).maxTokensCostPerDay(800).action(PolicyAction.WARN).build();
                CreatePolicyRequest block = CreatePolicyRequest.forAgent(id).maxTokensCostPerDay(1000).action(PolicyAction.BLOCK).build();
                BudgetPolicy w = alerting.policy().create(warnFirst ? warn : block);
                BudgetPolicy b = alerting.policy().create(warnFirst ? block : warn);
                String warnId = warnFirst ? w.id() : b.id();
                String blockId = warnFirst ? b.id() : w.id();
                for (int i = 0; i < 5; i++) {
                    assertThat(call(alerting, id, 150)).isAllowed(); // 750
                }
                assertThat(alerts).isEmpty();
                Decision sixth = call(alerting, id, 150); // 900 > 800
                assertThat(sixth).isAllowed();
                assertThat(sixth.warnings()).singleElement().asString().contains("800");
                assertThat(sixth.triggeredPolicyIds()).containsExactly(warnId);
                assertThat(alerts).singleElement().satisfies(a -> {
                    assertThat(a.policy().id()).isEqualTo(warnId);
                    assertThat(a.violation().usage()).isEqualTo(750);
                    assertThat(a.violation().max()).isEqualTo(800);
                });
                Decision seventh = call(alerting, id, 150); // 1050 > 1000
                assertThat(seventh).isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED);
                assertThat(seventh.triggeredPolicyIds()).contains(blockId, warnId);
                assertThat(alerts).hasSize(2).last().satisfies(a -> assertThat(a.policy().id()).isEqualTo(blockId));
                assertThat(call(alerting, id, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED); // blocked for the day
                assertThat(alerts).hasSize(2);
                assertThat(bot).isNotNull();
            }
        }
    }

    @Nested
    class KavachOsDefects {
        @Test
        void authorizeEnforcesBudgetPolicies() {
            String bot = llmAgent("alice");
            policy(CreatePolicyRequest.forAgent(bot).maxCallsPerDay(2).action(PolicyAction.BLOCK));
            assertThat(call(bot, 1)).isAllowed();
            assertThat(call(bot, 1)).isAllowed();
            assertThat(call(bot, 1)).isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED);
        }

        @Test
        void spendingExactlyTheLimitIsAllowed() {
            String bot = llmAgent("alice");
            policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(100).maxCallsPerDay(1).action(PolicyAction.BLOCK));
            assertThat(call(bot, 100)).isAllowed();
        }

        @Test
        void userAndTenantPoliciesApplyOnlyToTheirOwnAgents() {
            String mine = kavach.agents().create(CreateAgentRequest.builder("alice", "a").tenant("t1").permission(LLM).build()).agent().id();
            String theirs = kavach.agents().create(CreateAgentRequest.builder("bob", "b").tenant("t2").permission(LLM).build()).agent().id();
            String noTenant = llmAgent("carol");
            policy(CreatePolicyRequest.forUser("alice").maxCallsPerDay(0).action(PolicyAction.BLOCK));
            policy(CreatePolicyRequest.forTenant("t1").maxCallsPerDay(0).action(PolicyAction.BLOCK));
            assertThat(call(mine, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(call(theirs, 1)).isAllowed();
            assertThat(call(noTenant, 1)).isAllowed();
        }

        @Test
        void aWarnListedFirstNeverMasksABlock() {
            String bot = llmAgent("alice");
            policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(10).action(PolicyAction.WARN));
            policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(20).action(PolicyAction.BLOCK));
            Decision decision = call(bot, 25);
            assertThat(decision).isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(decision.warnings()).hasSize(1);
        }

        @Test
        void throttleDeniesOnlyCallsThatWouldExceedAndLiftsByItself() {
            String bot = llmAgent("alice");
            policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(100).action(PolicyAction.THROTTLE));
            assertThat(call(bot, 80)).isAllowed();
            Decision big = call(bot, 30);
            assertThat(big).isDenied().hasCode(DecisionCode.BUDGET_THROTTLED);
            assertThat(big.retryAfter()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
            assertThat(call(bot, 20)).isAllowed(); // a smaller call that fits passes
            assertThat(call(bot, 1)).hasCode(DecisionCode.BUDGET_THROTTLED);
            clock.set(Instant.parse("2026-03-11T00:00:00Z"));
            assertThat(call(bot, 100)).isAllowed();
        }

        @Test
        void blockDeniesEveryCallUntilTheWindowResets() {
            String bot = llmAgent("alice");
            BudgetPolicy block = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(100).action(PolicyAction.BLOCK));
            assertThat(call(bot, 80)).isAllowed();
            assertThat(call(bot, 30)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(call(bot, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED).hasReasonContaining("triggered"); // would fit, still blocked
            assertThat(kavach.authorize(bot, "execute", "llm:x")).hasCode(DecisionCode.BUDGET_EXCEEDED); // even without a cost
            assertThat(kavach.policy().get(block.id()).triggeredUntil()).isEqualTo(Instant.parse("2026-03-11T00:00:00Z"));
            clock.set(Instant.parse("2026-03-11T00:00:00Z")); // no cron job: the next day starts unblocked
            assertThat(call(bot, 100)).isAllowed();
        }

        @Test
        void revokeRevokesTheAgentAndItsDelegations() {
            String bot = llmAgent("alice");
            String helper = agent("alice");
            DelegationChain chain = kavach.delegate(DelegationRequest.from(bot).to(helper).permission("llm:**", "execute")
                    .expiresIn("1h").build());
            List<String> revoked = new CopyOnWriteArrayList<>();
            Kavach listening = open(Kavach.builder().listener(new KavachListener() {
                @Override
                public void onAgentRevokedByPolicy(String agentId, BudgetPolicy policy) {
                    revoked.add(agentId + " by " + policy.id());
                }
            }));
            String rogue = listening.agents().create(CreateAgentRequest.builder("alice", "rogue").permission(LLM).build()).agent().id();
            BudgetPolicy kill = listening.policy().create(CreatePolicyRequest.forAgent(rogue).maxCallsPerDay(1).action(PolicyAction.REVOKE).build());
            assertThat(call(listening, rogue, 1)).isAllowed();
            assertThat(call(listening, rogue, 1)).isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(listening.agents().get(rogue).status()).isEqualTo(AgentStatus.REVOKED);
            assertThat(call(listening, rogue, 0)).hasCode(DecisionCode.AGENT_REVOKED);
            assertThat(revoked).containsExactly(rogue + " by " + kill.id());

            policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(10).action(PolicyAction.REVOKE));
            assertThat(call(bot, 11)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(kavach.agents().get(bot).status()).isEqualTo(AgentStatus.REVOKED);
            assertThat(kavach.delegations().get(chain.id()).status()).isEqualTo(DelegationStatus.REVOKED);
            assertThat(auditOf(bot)).extracting(AuditEntry::action).contains("agent.revoked", "policy.triggered");
        }

        @Test
        void aScopeWideRevokeRevokesTheAgentThatCrossedAndBlocksTheOthers() {
            String crosser = llmAgent("alice");
            String sibling = llmAgent("alice");
            policy(CreatePolicyRequest.forUser("alice").maxTokensCostPerDay(100).action(PolicyAction.REVOKE));
            assertThat(call(crosser, 101)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(kavach.agents().get(crosser).status()).isEqualTo(AgentStatus.REVOKED);
            assertThat(call(sibling, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED)
                    .hasReasonContaining("triggered earlier in this window");
            assertThat(kavach.agents().get(sibling).status()).isEqualTo(AgentStatus.ACTIVE);
        }

        @Test
        void resetsNeverTouchDisabledPolicies() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(100).action(PolicyAction.BLOCK));
            kavach.policy().update(cap.id(), UpdatePolicyRequest.enabled(false));
            assertThat(call(bot, 1000)).isAllowed(); // disabled: neither enforced nor counted
            clock.advance(Duration.ofDays(1));
            assertThat(kavach.policy().resetDaily()).isZero();
            assertThat(kavach.policy().resetMonthly()).isZero();
            assertThat(kavach.policy().reset(cap.id())).isZero();
            assertThat(kavach.policy().get(cap.id()).status()).isEqualTo(PolicyStatus.DISABLED);
            kavach.policy().update(cap.id(), UpdatePolicyRequest.enabled(true));
            assertThat(call(bot, 101)).hasCode(DecisionCode.BUDGET_EXCEEDED);
        }

        @Test
        void aSecondResetNeverWipesTheRunningPeriod() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(100).action(PolicyAction.BLOCK));
            assertThat(call(bot, 90)).isAllowed();
            assertThat(call(bot, 20)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            clock.set(Instant.parse("2026-03-11T00:00:05Z"));
            assertThat(call(bot, 60)).isAllowed();
            assertThat(kavach.policy().resetDaily()).isEqualTo(1); // closes yesterday, un-triggers
            assertThat(kavach.policy().resetDaily()).isZero();     // runs twice: harmless
            assertThat(kavach.policy().counters(cap.id()).day().tokensCost()).isEqualTo(60);
            assertThat(kavach.policy().get(cap.id()).status()).isEqualTo(PolicyStatus.ACTIVE);
            assertThat(call(bot, 41)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(kavach.policy().resetDaily()).isZero(); // an early run in the same day un-blocks nothing
            assertThat(call(bot, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
        }
    }

    @Nested
    class PeriodsAndResets {
        @Test
        void countersCarryTheirPeriodSoANewMonthStartsAtZero() {
            String bot = llmAgent("alice");
            BudgetPolicy monthly = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerMonth(100).maxTokensCostPerDay(60)
                    .action(PolicyAction.BLOCK));
            clock.set(Instant.parse("2026-03-31T23:00:00Z"));
            assertThat(call(bot, 60)).isAllowed();
            assertThat(call(bot, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            clock.set(Instant.parse("2026-04-01T00:00:00Z"));
            assertThat(call(bot, 60)).isAllowed();
            assertThat(kavach.policy().counters(monthly.id()).monthPeriod()).isEqualTo("M:2026-04");
            assertThat(kavach.policy().counters(monthly.id()).month().tokensCost()).isEqualTo(60);
        }

        @Test
        void daysFollowTheConfiguredZone() {
            Kavach kolkata = open(Kavach.builder().budgetZone(ZoneId.of("Asia/Kolkata")));
            String bot = kolkata.agents().create(CreateAgentRequest.builder("a", "b").permission(LLM).build()).agent().id();
            kolkata.policy().create(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(10).action(PolicyAction.THROTTLE).build());
            clock.set(Instant.parse("2026-03-10T18:00:00Z")); // 23:30 in Kolkata
            assertThat(call(kolkata, bot, 10)).isAllowed();
            Decision throttled = call(kolkata, bot, 1);
            assertThat(throttled).hasCode(DecisionCode.BUDGET_THROTTLED);
            assertThat(throttled.retryAfter()).isEqualTo(Instant.parse("2026-03-10T18:30:00Z"));
            clock.set(Instant.parse("2026-03-10T18:30:00Z")); // midnight in Kolkata
            assertThat(call(kolkata, bot, 10)).isAllowed();
        }

        @Test
        void resetsReturnCountsAndAreAudited() {
            String a = llmAgent("alice");
            String b = llmAgent("bob");
            BudgetPolicy pa = policy(CreatePolicyRequest.forAgent(a).maxTokensCostPerDay(10).action(PolicyAction.BLOCK));
            policy(CreatePolicyRequest.forAgent(b).maxTokensCostPerMonth(10).action(PolicyAction.BLOCK));
            call(a, 5);
            call(b, 5);
            assertThat(kavach.policy().resetDaily()).isZero();
            clock.advance(Duration.ofDays(1));
            assertThat(kavach.policy().resetDaily()).isEqualTo(2); // both had yesterday's day counters
            assertThat(kavach.policy().resetMonthly()).isZero();   // same month: the running month is never touched
            assertThat(kavach.policy().counters(pa.id()).month().tokensCost()).isEqualTo(5);
            clock.set(Instant.parse("2026-04-02T00:00:00Z"));
            assertThat(kavach.policy().resetMonthly()).isEqualTo(2);
            assertThat(kavach.audit().query(AuditFilter.all())).extracting(AuditEntry::action)
                    .contains("policy.reset_daily", "policy.reset_monthly");
        }

        @Test
        void aManualResetZeroesTheRunningCountersAndUnblocks() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(100).action(PolicyAction.BLOCK));
            call(bot, 100);
            assertThat(call(bot, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(kavach.policy().reset(cap.id())).isEqualTo(1);
            assertThat(kavach.policy().counters(cap.id()).day()).isEqualTo(PolicyUsage.ZERO);
            assertThat(call(bot, 100)).isAllowed();
            assertThat(auditOf(bot)).extracting(AuditEntry::action).contains("policy.reset");
        }
    }

    @Nested
    class UsageAndSettlement {
        @Test
        void authorizeWithATokenCostReservesAndSettleCorrectsByTheDifference() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(1000).action(PolicyAction.BLOCK));
            Decision estimated = call(bot, 150);
            assertThat(estimated.usageId()).isEqualTo(estimated.auditId());
            assertThat(kavach.policy().counters(cap.id()).day()).isEqualTo(new PolicyUsage(150, 1, 0));
            RecordedUsage settled = kavach.policy().settle(estimated.usageId(), 420);
            assertThat(settled.tokensCost()).isEqualTo(270);
            assertThat(kavach.policy().counters(cap.id()).day()).isEqualTo(new PolicyUsage(420, 1, 0));
            kavach.policy().settle(estimated.usageId(), 100); // settling again replaces the actual cost
            assertThat(kavach.policy().counters(cap.id()).day()).isEqualTo(new PolicyUsage(100, 1, 0));
            assertThatThrownBy(() -> kavach.policy().settle("aud_01J0000000000000000000000Z", 1)).isInstanceOf(NotFoundException.class);
        }

        @Test
        void aSettlementOverTheLimitTriggersTheBlock() {
            String bot = llmAgent("alice");
            policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(1000).action(PolicyAction.BLOCK));
            Decision estimated = call(bot, 100);
            assertThat(kavach.policy().settle(estimated.usageId(), 1500).triggeredPolicyIds()).hasSize(1);
            assertThat(call(bot, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
        }

        @Test
        void deniedAndUncostedCallsReserveNothing() {
            String bot = llmAgent("alice");
            BudgetPolicy cap = policy(CreatePolicyRequest.forAgent(bot).maxTokensCostPerDay(10).action(PolicyAction.THROTTLE));
            assertThat(call(bot, 11).usageId()).isNull();
            assertThat(kavach.authorize(bot, "execute", "llm:x").usageId()).isNull();
            assertThat(kavach.authorize(bot, "delete", "llm:x")).hasCode(DecisionCode.PERMISSION_DENIED);
            assertThat(kavach.policy().counters(cap.id()).day()).isEqualTo(PolicyUsage.ZERO);
        }

        @Test
        void aPoolSpendsFromOneCounter() {
            String research = llmAgent("alice");
            String support = llmAgent("bob");
            String outsider = llmAgent("carol");
            BudgetPolicy pool = policy(CreatePolicyRequest.forPool("engineering-pool", List.of(research, support))
                    .maxTokensCostPerDay(500).action(PolicyAction.BLOCK));
            assertThat(call(research, 300)).isAllowed();
            assertThat(call(support, 200)).isAllowed();
            assertThat(call(support, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(call(research, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(call(outsider, 1000)).isAllowed();
            assertThat(kavach.policy().counters(pool.id()).day().tokensCost()).isEqualTo(500);
        }

        @Test
        void aGlobalPolicyCountsEveryAgentTogether() {
            String a = llmAgent("alice");
            String b = llmAgent("bob");
            policy(CreatePolicyRequest.global().maxCallsPerDay(3).action(PolicyAction.BLOCK));
            assertThat(call(a, 1)).isAllowed();
            assertThat(call(b, 1)).isAllowed();
            assertThat(call(a, 1)).isAllowed();
            assertThat(call(b, 1)).hasCode(DecisionCode.BUDGET_EXCEEDED);
        }
    }

    @Nested
    class Atomicity {
        @Test
        void concurrentCallsNeverOvershootAndNoIncrementIsLost() throws Exception {
            String a = llmAgent("alice");
            String b = llmAgent("alice");
            BudgetPolicy agentCap = policy(CreatePolicyRequest.forAgent(a).maxTokensCostPerDay(600).action(PolicyAction.BLOCK));
            BudgetPolicy userCap = policy(CreatePolicyRequest.forUser("alice").maxTokensCostPerDay(1000).action(PolicyAction.THROTTLE));
            BudgetPolicy counting = policy(CreatePolicyRequest.global().maxCallsPerDay(1_000_000).action(PolicyAction.WARN));
            List<List<Decision>> perThread = runConcurrently(16, i -> {
                List<Decision> decisions = new ArrayList<>();
                for (int n = 0; n < 25; n++) {
                    decisions.add(call(i % 2 == 0 ? a : b, 7));
                }
                return decisions;
            });
            List<Decision> all = perThread.stream().flatMap(List::stream).toList();
            assertThat(all).hasSize(400).allSatisfy(d -> assertThat(d.code()).isIn(DecisionCode.ALLOWED,
                    DecisionCode.BUDGET_EXCEEDED, DecisionCode.BUDGET_THROTTLED));
            long allowedA = all.stream().filter(d -> d.allowed() && d.agentId().equals(a)).count();
            long allowed = all.stream().filter(Decision::allowed).count();
            assertThat(allowed * 7).isLessThanOrEqualTo(1000).isGreaterThan(1000 - 7); // the user budget saturates
            assertThat(allowedA * 7).isLessThanOrEqualTo(600);
            assertThat(kavach.policy().counters(agentCap.id()).day()).isEqualTo(new PolicyUsage(allowedA * 7, allowedA, 0));
            assertThat(kavach.policy().counters(userCap.id()).day()).isEqualTo(new PolicyUsage(allowed * 7, allowed, 0));
            assertThat(kavach.policy().counters(counting.id()).day()).isEqualTo(new PolicyUsage(allowed * 7, allowed, 0));
            assertThat(kavach.audit().query(AuditFilter.all().withLimit(10_000)))
                    .filteredOn(e -> e.action().equals("execute")).hasSize(400);
        }

        @Test
        void concurrentCallsAgainstARevokePolicyRevokeOnceAndThenAreRefusedAsRevoked() throws Exception {
            List<String> revoked = new CopyOnWriteArrayList<>();
            Kavach listening = open(Kavach.builder().listener(new KavachListener() {
                @Override
                public void onAgentRevokedByPolicy(String agentId, BudgetPolicy policy) {
                    revoked.add(agentId);
                }
            }));
            String rogue = listening.agents().create(CreateAgentRequest.builder("alice", "rogue").permission(LLM).build())
                    .agent().id();
            BudgetPolicy kill = listening.policy().create(CreatePolicyRequest.forAgent(rogue).maxTokensCostPerDay(300)
                    .action(PolicyAction.REVOKE).build());

            List<Decision> all = runConcurrently(16, i -> {
                List<Decision> decisions = new ArrayList<>();
                for (int n = 0; n < 20; n++) {
                    decisions.add(call(listening, rogue, 7));
                }
                return decisions;
            }).stream().flatMap(List::stream).toList();

            long allowed = all.stream().filter(Decision::allowed).count();
            assertThat(allowed).as("300 tokens in calls of 7").isEqualTo(42);
            assertThat(all).filteredOn(d -> d.code() == DecisionCode.BUDGET_EXCEEDED).hasSize(1);
            assertThat(all).filteredOn(d -> d.code() == DecisionCode.AGENT_REVOKED).hasSize(320 - 43);
            assertThat(revoked).containsExactly(rogue);
            assertThat(listening.policy().counters(kill.id()).day()).isEqualTo(new PolicyUsage(42 * 7, 42, 0));
            assertThat(listening.audit().query(AuditFilter.forAgent(rogue).withLimit(10_000)))
                    .filteredOn(e -> e.action().equals("agent.revoked")).hasSize(1);
            assertThat(listening.audit().verify().ok()).isTrue();
        }
    }


    @Nested
    class BadInput {
        @Test
        void createReportsEveryViolationAtOnce() {
            CreatePolicyRequest bad = new CreatePolicyRequest(null, "", null, "pool", List.of(),
                    BudgetLimits.builder().build(), null);
            assertThatThrownBy(() -> kavach.policy().create(bad)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.violations()).extracting(v -> v.field())
                            .contains("userId", "action", "limitSet", "poolConsistent"));
            assertThatThrownBy(() -> BudgetLimits.builder().maxCallsPerDay(-1)).hasMessageContaining("maxCallsPerDay");
            assertThatThrownBy(() -> kavach.policy().create(CreatePolicyRequest.forAgent("agt_01J0000000000000000000000Z")
                    .maxCallsPerDay(1).action(PolicyAction.BLOCK).build())).hasMessageContaining("names no agent");
            assertThatThrownBy(() -> kavach.policy().recordUsage(llmAgent("a"), -1)).hasMessageContaining("tokensCost");
            assertThatThrownBy(() -> kavach.policy().get("pol_x")).hasMessageContaining("policyId");
            assertThat(kavach.policy().list(PolicyFilter.all())).isEmpty();
        }
    }
}
