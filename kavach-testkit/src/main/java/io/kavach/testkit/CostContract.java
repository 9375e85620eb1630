package io.kavach.testkit;

import static io.kavach.testkit.KavachAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.cost.AgentCost;
import io.kavach.cost.CostAlert;
import io.kavach.cost.CostBudgetCheck;
import io.kavach.cost.CostPeriod;
import io.kavach.cost.CostReport;
import io.kavach.cost.ModelPricing;
import io.kavach.cost.RecordCostRequest;
import io.kavach.delegation.DelegationRequest;
import io.kavach.error.InvalidInputException;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.DecisionCode;
import io.kavach.model.DelegationChain;
import io.kavach.model.Microdollars;
import io.kavach.model.Permission;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Cost attribution behaviour every store must give Kavach (DESIGN section 7, seed 002). */
public abstract class CostContract extends KavachTestSupport {
    private static final Permission LLM = Permission.of("llm:**", "execute");

    protected static Microdollars usd(String dollars) {
        return Microdollars.parse("test", dollars);
    }

    protected RecordCostRequest.Builder cost(String agentId, String tool, String usd) {
        return RecordCostRequest.builder(agentId, tool).costUsd(usd);
    }

    @Nested
    class SeedExamples {
        @Test
        void recordingAndThePerAgentReport() {
            String bot = agent("alice", LLM);
            kavach.costs().recordCost(cost(bot, "openai:gpt-4o", "0.0125").tokens(1_000, 1_000).build());
            kavach.costs().recordCost(cost(bot, "openai:gpt-4o", "0.0250").tokens(2_000, 2_000).build());
            kavach.costs().recordCost(cost(bot, "mcp:github", "0.0001")
                    .metadata("operation", "create_issue").metadata("repo", "acme/app").build());
            clock.advance(Duration.ofDays(1));
            kavach.costs().recordCost(cost(bot, "anthropic:claude-3-5-haiku", "0.30").tokens(100_000, 55_000).build());

            CostReport report = kavach.costs().getAgentCost(bot);
            assertThat(report.total()).isEqualTo(usd("0.3376"));
            assertThat(report.calls()).isEqualTo(4);
            assertThat(report.inputTokens()).isEqualTo(103_000);
            assertThat(report.currency()).isEqualTo("USD");
            assertThat(report.fromRollups()).isTrue(); // the current month: whole days
            assertThat(report.byTool()).extracting(CostReport.ToolCost::tool)
                    .containsExactly("anthropic:claude-3-5-haiku", "openai:gpt-4o", "mcp:github");
            assertThat(report.byTool().get(1).cost()).isEqualTo(usd("0.0375"));
            assertThat(report.byTool().get(1).calls()).isEqualTo(2);
            assertThat(report.byDay()).extracting(CostReport.DayCost::day)
                    .containsExactly(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 11));
            assertThat(report.byDay().get(0).cost()).isEqualTo(usd("0.0376"));

            CostReport firstDayOnly = kavach.costs().getAgentCost(bot,
                    CostPeriod.between(START.minus(Duration.ofHours(1)), START.plus(Duration.ofHours(1))));
            assertThat(firstDayOnly.total()).isEqualTo(usd("0.0376"));
            assertThat(firstDayOnly.fromRollups()).isFalse();
        }

        @Test
        void ownerAndTopAgentReports() {
            String a = agent("alice", LLM);
            String b = agent("alice", LLM);
            String c = agent("bob", LLM);
            kavach.costs().recordCost(cost(a, "openai:gpt-4o", "1.00").build());
            kavach.costs().recordCost(cost(b, "openai:gpt-4o", "3.00").build());
            kavach.costs().recordCost(cost(c, "openai:gpt-4o", "2.00").build());
            assertThat(kavach.costs().getOwnerCost("alice").total()).isEqualTo(usd("4"));
            assertThat(kavach.costs().getTopAgentsByCost(2)).extracting(AgentCost::agentId).containsExactly(b, c);
            assertThat(kavach.costs().getTopAgentsByCost(10).get(0)).satisfies(top -> {
                assertThat(top.total()).isEqualTo(usd("3"));
                assertThat(top.ownerId()).isEqualTo("alice");
            });
        }

        @Test
        void aChainReportIncludesTheChainsDerivedFromIt() {
            String parent = agent("alice", Permission.of("tool:**", "execute"));
            String child = agent("alice");
            String grandchild = agent("alice");
            String other = agent("alice");
            DelegationChain chain = kavach.delegate(DelegationRequest.from(parent).to(child).permission("tool:**", "execute")
                    .expiresIn("1h").build());
            DelegationChain derived = kavach.delegate(DelegationRequest.from(child).to(grandchild)
                    .permission("tool:summarize", "execute").expiresIn("1h").build());
            DelegationChain sibling = kavach.delegate(DelegationRequest.from(parent).to(other)
                    .permission("tool:x", "execute").expiresIn("1h").build());
            kavach.costs().recordCost(cost(child, "openai:gpt-4o-mini", "0.02").delegationChain(chain.id()).build());
            kavach.costs().recordCost(cost(grandchild, "openai:gpt-4o-mini", "0.03").delegationChain(derived.id()).build());
            kavach.costs().recordCost(cost(other, "openai:gpt-4o-mini", "0.50").delegationChain(sibling.id()).build());
            kavach.costs().recordCost(cost(child, "openai:gpt-4o-mini", "0.70").build()); // not attributed
            CostReport report = kavach.costs().getDelegationChainCost(chain.id());
            assertThat(report.total()).isEqualTo(usd("0.05"));
            assertThat(report.period()).as("all recorded time").isNull();
            assertThat(kavach.costs().getDelegationChainCost(derived.id()).total()).isEqualTo(usd("0.03"));
        }

        @Test
        void modelPricingTurnsTokensIntoMicrodollarsAndUnknownModelsAreErrors() {
            String bot = agent("alice", LLM);
            assertThat(kavach.costs().recordUsage(bot, "gpt-4o", 1_000, 500).costMicros()).isEqualTo(7_500);
            assertThatThrownBy(() -> kavach.costs().recordUsage(bot, "my-finetune", 1, 1))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("my-finetune");
            Kavach priced = open(Kavach.builder().modelPricing(ModelPricing.builder().defaultPrice("1.00", "1.00").build()));
            String other = priced.agents().create(CreateAgentRequest.builder("u", "a").build()).agent().id();
            assertThat(priced.costs().recordUsage(other, "my-finetune", 1_000_000, 0).costMicros()).isEqualTo(1_000_000);
        }
    }

    @Nested
    class Exactness {
        @Test
        void tenCostsOfTenCentsSumToExactlyOneDollar() {
            String bot = agent("alice", LLM);
            for (int i = 0; i < 10; i++) {
                kavach.costs().recordCost(RecordCostRequest.builder(bot, "t").costUsd(new BigDecimal("0.10")).build());
            }
            CostReport report = kavach.costs().getAgentCost(bot);
            assertThat(report.total().micros()).isEqualTo(1_000_000);
            assertThat(report.total().toDollars()).isEqualByComparingTo("1.000000");
            assertThat(report.total()).hasToString("$1.000000");
        }

        @Test
        void rejectedInputsStoreNothing() {
            String bot = agent("alice", LLM);
            assertThatThrownBy(() -> kavach.costs().recordCost(RecordCostRequest.builder(bot, "t").cost(Microdollars.of(-1)).build()))
                    .hasMessageContaining("cost");
            assertThatThrownBy(() -> cost(bot, "t", "NaN")).hasMessageContaining("cost");
            assertThatThrownBy(() -> cost(bot, "t", "Infinity")).hasMessageContaining("cost");
            assertThatThrownBy(() -> cost(bot, "t", "99999999999999999")).hasMessageContaining("too large");
            assertThatThrownBy(() -> cost(bot, "t", "0.0000001")).hasMessageContaining("precision");
            assertThatThrownBy(() -> kavach.costs().recordCost(cost(bot, " ", "1").build())).hasMessageContaining("tool");
            assertThatThrownBy(() -> kavach.costs().recordCost(cost("agt_01J0000000000000000000000Z", "t", "1").build()))
                    .hasMessageContaining("names no agent");
            assertThatThrownBy(() -> kavach.costs().recordCost(cost(bot, "t", "1").delegationChain("dlg_01J0000000000000000000000Z").build()))
                    .hasMessageContaining("names no delegation chain");
            assertThatThrownBy(() -> kavach.costs().recordCost(cost(bot, "t", "1").currency("usd").build()))
                    .hasMessageContaining("currency");
            assertThatThrownBy(() -> kavach.costs().recordCost(RecordCostRequest.builder(bot, "t").tokens(-1, 0).build()))
                    .isInstanceOfSatisfying(InvalidInputException.class,
                            e -> assertThat(e.violations()).extracting(v -> v.field()).contains("inputTokens", "cost"));
            assertThat(kavach.costs().getAgentCost(bot).calls()).isZero();
        }

        @Test
        void differentCurrenciesAreNeverAddedTogether() {
            String bot = agent("alice", LLM);
            kavach.costs().recordCost(cost(bot, "t", "1.00").build());
            kavach.costs().recordCost(cost(bot, "t", "5.00").currency("EUR").build());
            assertThat(kavach.costs().getAgentCost(bot).total()).isEqualTo(usd("1"));
            assertThat(kavach.costs().getTopAgentsByCost(5).get(0).total()).isEqualTo(usd("1"));
        }

        @Test
        void concurrentRecordsKeepEventsRollupsAndPolicyCountersExact() throws Exception {
            String a = agent("alice", LLM);
            String b = agent("alice", LLM);
            BudgetPolicy user = kavach.policy().create(CreatePolicyRequest.forUser("alice").maxCostPerMonth(1_000_000_000)
                    .action(PolicyAction.WARN).build());
            Concurrently.run(16, i -> {
                for (int n = 0; n < 25; n++) {
                    kavach.costs().recordCost(RecordCostRequest.builder(i % 2 == 0 ? a : b, "tool-" + (n % 3))
                            .cost(Microdollars.of(1_001)).tokens(10, 20).build());
                }
                return null;
            });
            long expected = 16L * 25 * 1_001;
            CostReport fromRollups = kavach.costs().getOwnerCost("alice");
            CostReport fromEvents = kavach.costs().getOwnerCost("alice", CostPeriod.between(START.minusSeconds(1), START.plusSeconds(1)));
            assertThat(fromRollups.fromRollups()).isTrue();
            assertThat(fromEvents.fromRollups()).isFalse();
            assertThat(fromRollups.total().micros()).isEqualTo(expected);
            assertThat(fromEvents.total().micros()).isEqualTo(expected);
            assertThat(fromRollups.calls()).isEqualTo(400);
            assertThat(fromRollups.outputTokens()).isEqualTo(8_000);
            assertThat(kavach.policy().counters(user.id()).month().costMicros()).isEqualTo(expected);
            assertThat(kavach.policy().counters(user.id()).day().costMicros()).isEqualTo(expected);
        }
    }

    @Nested
    class BudgetsAndAlerts {
        @Test
        void aDollarLimitedBlockPolicyDeniesTheNextAuthorize() {
            List<CostAlert> alerts = new CopyOnWriteArrayList<>();
            Kavach k = open(Kavach.builder().listener(new KavachListener() {
                @Override
                public void onCostAlert(CostAlert alert) {
                    alerts.add(alert);
                }
            }));
            String bot = k.agents().create(CreateAgentRequest.builder("alice", "bot").permission(LLM).build()).agent().id();
            BudgetPolicy cap = k.policy().create(CreatePolicyRequest.forAgent(bot).maxCostPerDay(usd("50").micros())
                    .action(PolicyAction.BLOCK).build());
            k.costs().recordCost(cost(bot, "openai:gpt-4o", "30").build());
            assertThat(k.authorize(bot, "execute", "llm:openai:chat")).isAllowed();
            CostBudgetCheck within = k.costs().checkBudget(bot);
            assertThat(within.withinBudget()).isTrue();
            assertThat(within.remaining()).isEqualTo(usd("20"));
            assertThat(within.policyId()).isEqualTo(cap.id());
            k.costs().recordCost(cost(bot, "openai:gpt-4o", "20.000001").build());
            assertThat(k.authorize(bot, "execute", "llm:openai:chat")).isDenied().hasCode(DecisionCode.BUDGET_EXCEEDED);
            assertThat(k.costs().checkBudget(bot).withinBudget()).isFalse();
            assertThat(alerts).singleElement().satisfies(alert -> {
                assertThat(alert.type()).isEqualTo(CostAlert.Type.BUDGET_EXCEEDED);
                assertThat(alert.threshold()).isEqualTo(usd("50"));
                assertThat(alert.currentSpend()).isEqualTo(usd("50.000001"));
                assertThat(alert.policyId()).isEqualTo(cap.id());
            });
            k.costs().recordCost(cost(bot, "openai:gpt-4o", "1").build());
            assertThat(alerts).hasSize(1);
        }

        @Test
        void threeRecordsOverAThresholdRaiseExactlyOneAlertAndAThrowingHandlerChangesNothing() {
            List<CostAlert> alerts = new CopyOnWriteArrayList<>();
            Kavach k = open(Kavach.builder().costAlertThresholds("5.00", "20.00").listener(new KavachListener() {
                @Override
                public void onCostAlert(CostAlert alert) {
                    alerts.add(alert);
                    throw new IllegalStateException("the pager is down");
                }
            }));
            String bot = k.agents().create(CreateAgentRequest.builder("alice", "bot").build()).agent().id();
            k.costs().recordCost(cost(bot, "t", "4.00").build());
            k.costs().recordCost(cost(bot, "t", "2.00").build()); // crosses $5
            k.costs().recordCost(cost(bot, "t", "2.00").build());
            k.costs().recordCost(cost(bot, "t", "2.00").build());
            assertThat(alerts).singleElement().satisfies(alert -> {
                assertThat(alert.type()).isEqualTo(CostAlert.Type.WARN);
                assertThat(alert.currentSpend()).isEqualTo(usd("6"));
                assertThat(alert.period()).isEqualTo("rolling 24h");
            });
            assertThat(k.costs().getAgentCost(bot).calls()).isEqualTo(4); // stored once each despite the handler
            k.costs().recordCost(cost(bot, "t", "15.00").build()); // crosses $20
            assertThat(alerts).extracting(CostAlert::type).containsExactly(CostAlert.Type.WARN, CostAlert.Type.CRITICAL);
        }

        @Test
        void theRollingWindowAndTheCooldownLetAnAlertFireAgainLater() {
            List<CostAlert> alerts = new CopyOnWriteArrayList<>();
            Kavach k = open(Kavach.builder().costAlertThresholds("5.00", null).costAlertCooldown(Duration.ofHours(2))
                    .listener(new KavachListener() {
                        @Override
                        public void onCostAlert(CostAlert alert) {
                            alerts.add(alert);
                        }
                    }));
            String bot = k.agents().create(CreateAgentRequest.builder("alice", "bot").build()).agent().id();
            k.costs().recordCost(cost(bot, "t", "6.00").build());
            clock.advance(Duration.ofHours(25)); // the rolling window is empty again
            k.costs().recordCost(cost(bot, "t", "6.00").build());
            assertThat(alerts).hasSize(2);
        }
    }

    @Nested
    class Cleanup {
        @Test
        void cleanupDeletesOldEventsAndKeepsTheRollupsConsistent() {
            String bot = agent("alice", LLM);
            kavach.costs().recordCost(cost(bot, "t", "1.00").build());
            clock.advance(Duration.ofDays(100));
            kavach.costs().recordCost(cost(bot, "t", "2.00").build());
            assertThat(kavach.costs().cleanup()).isEqualTo(1); // 90 days by default
            assertThat(kavach.costs().cleanup(Duration.ofDays(1))).isZero();
            Instant start = START.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.DAYS);
            CostPeriod all = CostPeriod.between(start, START.plus(Duration.ofDays(200)).truncatedTo(ChronoUnit.DAYS));
            assertThat(kavach.costs().getAgentCost(bot, all).fromRollups()).isTrue();
            assertThat(kavach.costs().getAgentCost(bot, all).total()).isEqualTo(usd("2"));
            assertThatThrownBy(() -> kavach.costs().cleanup(Duration.ofDays(-1))).hasMessageContaining("retention");
        }
    }
}
