package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kavach.cli.Cli.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandsTest {
    @TempDir
    Path dir;
    Path db;
    String agent;

    @BeforeEach
    void agent() {
        db = dir.resolve("kavach.db");
        agent = Cli.agent(db, "writer", "llm:openai:*=execute");
    }

    private Result authorize(long tokens) {
        return Cli.run(db, "authorize", "--agent", agent, "--action", "execute", "--resource", "llm:openai:gpt-4o",
                "--tokens-cost", String.valueOf(tokens));
    }

    @Test
    void stackedWarnAndBlockPolicies() {
        Result warn = Cli.run(db, "policy", "create", "--agent", agent, "--max-tokens-cost-per-day", "800", "--action", "warn");
        Result block = Cli.run(db, "policy", "create", "--agent", agent, "--max-tokens-cost-per-day", "1000",
                "--max-calls-per-day", "50", "--action", "BLOCK");
        assertThat(warn.exit()).as(warn.toString()).isZero();
        assertThat(block.out()).contains("Created policy " + block.policyId(), "block", "1000 tokens/day", "50 calls/day");

        for (int i = 0; i < 5; i++) {
            assertThat(authorize(150).exit()).isZero();
        }
        Result warned = authorize(150);
        assertThat(warned.exit()).isZero();
        assertThat(warned.out()).contains("warning:", warn.policyId());
        Result blocked = authorize(150);
        assertThat(blocked.exit()).isEqualTo(KavachCli.DENIED);
        assertThat(blocked.out()).startsWith("DENIED BUDGET_EXCEEDED");

        Result list = Cli.run(db, "policy", "list", "--agent", agent);
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains(warn.policyId(), block.policyId(), "900 tokens, 6 calls", "triggered");
    }

    @Test
    void updateMergesLimitsAndRemoveDeletes() {
        String id = Cli.run(db, "policy", "create", "--agent", agent, "--max-tokens-cost-per-day", "100",
                "--max-calls-per-day", "5", "--action", "block").policyId();

        Result updated = Cli.run(db, "policy", "update", id, "--max-tokens-cost-per-day", "2000", "--action", "throttle");
        assertThat(updated.exit()).as(updated.toString()).isZero();
        assertThat(updated.out()).contains("throttle", "2000 tokens/day", "5 calls/day");

        assertThat(Cli.run(db, "policy", "update", id, "--disable").out()).contains("disabled");
        assertThat(Cli.run(db, "policy", "list", "--status", "disabled").out()).contains(id);
        assertThat(Cli.run(db, "policy", "update", id, "--enable").out()).contains("active");

        assertThat(Cli.run(db, "policy", "remove", id).exit()).isZero();
        assertThat(Cli.run(db, "policy", "list").out()).contains("No policies match.");
        Result again = Cli.run(db, "policy", "remove", id);
        assertThat(again.exit()).isEqualTo(KavachCli.FAILURE);
        assertThat(again.err()).contains("policy not found").hasLineCount(1);
    }

    @Test
    void poolAndUserScopes() {
        String other = Cli.agent(db, "reader", "llm:openai:*=execute");
        Result pool = Cli.run(db, "policy", "create", "--pool", "team", "--pool-agent", agent + "," + other,
                "--max-tokens-cost-per-month", "5000", "--action", "block");
        assertThat(pool.exit()).as(pool.toString()).isZero();
        assertThat(pool.out()).contains("pool team", agent, other);
        Result user = Cli.run(db, "policy", "create", "--user", "alice", "--max-calls-per-month", "100", "--action", "warn");
        assertThat(user.out()).contains("user alice");
        assertThat(Cli.run(db, "policy", "list", "--agent", other).out()).contains(pool.policyId(), user.policyId());
    }

    @Test
    void scopeAndLimitMistakesAreUsageErrors() {
        assertThat(Cli.run(db, "policy", "create", "--max-tokens-cost-per-day", "1", "--action", "warn").err())
                .contains("name a scope");
        assertThat(Cli.run(db, "policy", "create", "--agent", agent, "--action", "warn").exit()).isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "policy", "create", "--agent", agent, "--max-calls-per-day", "1", "--action", "explode").exit())
                .isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "policy", "create", "--global", "--user", "u", "--max-calls-per-day", "1", "--action", "warn").exit())
                .isEqualTo(KavachCli.USAGE);
        Result negative = Cli.run(db, "policy", "create", "--agent", agent, "--max-calls-per-day", "-1", "--action", "warn");
        assertThat(negative.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(negative.err()).contains("must not be negative").hasLineCount(1);
        Result unknownAgent = Cli.run(db, "policy", "create", "--agent", "agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y",
                "--max-calls-per-day", "1", "--action", "warn");
        assertThat(unknownAgent.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(Cli.run(db, "policy", "update", "pol_01JZ8K6V3X0M4N7Q9R2S5T8W1Y").exit()).isEqualTo(KavachCli.USAGE);
    }

    @Test
    void cronStyleDoubleResetPrintsZeroTheSecondTime() throws Exception {
        String id = Cli.run(db, "policy", "create", "--agent", agent, "--max-tokens-cost-per-day", "100", "--action", "block").policyId();
        assertThat(authorize(150).exit()).isEqualTo(KavachCli.DENIED);   // triggers the block policy for today
        // Yesterday's counter and a triggering window that has ended: what a nightly job finds.
        Cli.sql(db, "INSERT INTO budget_counters (policy_id, period, tokens_cost, calls, cost_micros) VALUES ('"
                        + id + "', 'D:2020-01-01', 90, 1, 0)",
                "UPDATE budget_policies SET triggered_until = 1577923200000 WHERE id = '" + id + "'");

        Result first = Cli.run(db, "policy", "reset", "--daily");
        Result second = Cli.run(db, "policy", "reset", "--daily");

        assertThat(first.exit()).isZero();
        assertThat(first.outLines()).containsExactly("daily reset: 1 policy reset");
        assertThat(second.exit()).isZero();
        assertThat(second.outLines()).containsExactly("daily reset: 0 policies reset");
        assertThat(second.err()).isEmpty();
        assertThat(Cli.run(db, "policy", "list").out()).contains("active");

        Result both = Cli.run(db, "policy", "reset", "--daily", "--monthly");
        assertThat(both.exit()).isZero();
        assertThat(both.outLines()).containsExactly("daily reset: 0 policies reset; monthly reset: 0 policies reset");
    }

    @Test
    void manualResetLiftsABlockForToday() {
        String id = Cli.run(db, "policy", "create", "--agent", agent, "--max-tokens-cost-per-day", "200", "--action", "block").policyId();
        assertThat(authorize(150).exit()).isZero();
        assertThat(authorize(150).exit()).isEqualTo(KavachCli.DENIED);
        assertThat(authorize(10).exit()).isEqualTo(KavachCli.DENIED);

        Result reset = Cli.run(db, "policy", "reset", "--id", id);
        assertThat(reset.exit()).isZero();
        assertThat(reset.outLines()).hasSize(1).first().asString().startsWith("manual reset: 1 policy reset");
        assertThat(authorize(150).exit()).isZero();
    }

    @Test
    void resetNeedsExactlyOneKind() {
        assertThat(Cli.run(db, "policy", "reset").exit()).isEqualTo(KavachCli.USAGE);
        Result both = Cli.run(db, "policy", "reset", "--daily", "--id", "pol_01JZ8K6V3X0M4N7Q9R2S5T8W1Y");
        assertThat(both.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(both.err()).hasLineCount(1);
        assertThat(Cli.run(dir.resolve("missing.db"), "policy", "reset", "--daily").exit()).isEqualTo(KavachCli.FAILURE);
    }
}
