package io.kavach.cli;

import io.kavach.Kavach;
import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.Microdollars;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.policy.PolicyCounters;
import io.kavach.policy.PolicyFilter;
import io.kavach.policy.UpdatePolicyRequest;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kavach policy}: budget policies and their resets. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {
            "Budget policies: create, list, update, remove, and the reset jobs for cron.",
            "Policies stack: every policy that applies to an agent is checked on every call, and the "
                + "most severe exceeded action wins (revoke, block, throttle, warn)."},
        subcommands = {
            PolicyCommand.Create.class,
            PolicyCommand.ListPolicies.class,
            PolicyCommand.Update.class,
            PolicyCommand.Remove.class,
            PolicyCommand.Reset.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  kavach policy create --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --action block \\",
                "      --max-tokens-cost-per-day 1000",
            "  kavach policy reset --daily"})
final class PolicyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return KavachCli.missingSubcommand(spec);
    }

    /** The limit options shared by create and update. */
    static final class LimitOptions {
        @Option(names = "--max-tokens-cost-per-day", paramLabel = "N", description = "Token cost per calendar day.")
        Long tokensPerDay;
        @Option(names = "--max-tokens-cost-per-month", paramLabel = "N", description = "Token cost per calendar month.")
        Long tokensPerMonth;
        @Option(names = "--max-calls-per-day", paramLabel = "N", description = "Calls (that give a token cost) per day.")
        Long callsPerDay;
        @Option(names = "--max-calls-per-month", paramLabel = "N", description = "Calls (that give a token cost) per month.")
        Long callsPerMonth;
        @Option(names = "--max-cost-per-day", paramLabel = "USD",
                description = "Dollars per calendar day, exact decimal text such as 5 or 0.25, counted from recorded USD costs.")
        String costPerDay;
        @Option(names = "--max-cost-per-month", paramLabel = "USD",
                description = "Dollars per calendar month, such as 100.00, counted from recorded USD costs.")
        String costPerMonth;

        boolean any() {
            return tokensPerDay != null || tokensPerMonth != null || callsPerDay != null || callsPerMonth != null
                    || costPerDay != null || costPerMonth != null;
        }

        BudgetLimits limits() {
            BudgetLimits.Builder b = BudgetLimits.builder();
            if (tokensPerDay != null) {
                b.maxTokensCostPerDay(tokensPerDay);
            }
            if (tokensPerMonth != null) {
                b.maxTokensCostPerMonth(tokensPerMonth);
            }
            if (callsPerDay != null) {
                b.maxCallsPerDay(callsPerDay);
            }
            if (callsPerMonth != null) {
                b.maxCallsPerMonth(callsPerMonth);
            }
            if (costPerDay != null) {
                // Exact: "0.10" is 100,000 microdollars; more than six decimals is invalid input (exit 2).
                b.maxCostPerDay(Microdollars.parse("maxCostPerDay", costPerDay).micros());
            }
            if (costPerMonth != null) {
                b.maxCostPerMonth(Microdollars.parse("maxCostPerMonth", costPerMonth).micros());
            }
            return b.build();
        }
    }

    static String describe(BudgetPolicy p) {
        return Text.lower(p.action()) + " " + p.scope() + " at " + Text.limits(p.limits());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {
                "Creates a budget policy: a scope, at least one limit and an action.",
                "Name the scope with --agent, --user and --tenant (combinable: every one set must match), "
                    + "or --pool with --pool-agent, or --global."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  # warn at 800 and block at 1000 tokens a day for one agent",
                "  kavach policy create --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --action warn \\",
                "      --max-tokens-cost-per-day 800",
                "  kavach policy create --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --action block \\",
                "      --max-tokens-cost-per-day 1000",
                "  # a shared pool: two agents spending from one monthly counter",
                "  kavach policy create --pool eng-pool --pool-agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y \\",
                "      --pool-agent agt_01JZ8K9A2B3C4D5E6F7G8H9J0K --max-tokens-cost-per-month 500000 \\",
                "      --action block",
                "  # dollars: block the owner's agents past $25.00 a day, warn past $400 a month",
                "  kavach policy create --user alice --max-cost-per-day 25.00 --action block",
                "  kavach policy create --user alice --max-cost-per-month 400 --action warn"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--agent", paramLabel = "AGENT_ID", description = "Applies to this agent.")
        String agent;
        @Option(names = "--user", paramLabel = "USER", description = "Applies to every agent this user owns.")
        String user;
        @Option(names = "--tenant", paramLabel = "TENANT", description = "Applies to every agent in this tenant.")
        String tenant;
        @Option(names = "--pool", paramLabel = "NAME", description = "A shared pool's name: the --pool-agent agents spend from one counter.")
        String pool;
        @Option(names = "--pool-agent", paramLabel = "AGENT_ID", split = ",", description = "An agent of the pool. Repeatable, or comma-separated.")
        List<String> poolAgents = new ArrayList<>();
        @Option(names = "--global", description = "Applies to every agent, counting them all together.")
        boolean global;
        @Mixin
        LimitOptions limits;
        @Option(names = "--action", required = true, paramLabel = "ACTION",
                description = "What happens when a call would exceed a limit: warn, throttle, block or revoke.")
        PolicyAction action;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            boolean identity = agent != null || user != null || tenant != null;
            if (!identity && pool == null && !global) {
                throw new ParameterException(spec.commandLine(), "name a scope: --agent, --user, --tenant, --pool or --global");
            }
            if (global && (identity || pool != null)) {
                throw new ParameterException(spec.commandLine(), "--global applies to every agent; it takes no --agent, --user, --tenant or --pool");
            }
            if (pool != null && identity) {
                throw new ParameterException(spec.commandLine(), "--pool names its agents with --pool-agent; it takes no --agent, --user or --tenant");
            }
            if (pool == null && !poolAgents.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--pool-agent needs --pool NAME");
            }
            if (pool != null && poolAgents.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--pool needs at least one --pool-agent");
            }
            if (!limits.any()) {
                throw new ParameterException(spec.commandLine(), "set at least one limit, such as --max-tokens-cost-per-day 1000");
            }
            CreatePolicyRequest.Builder request = pool != null
                    ? CreatePolicyRequest.forPool(pool, poolAgents)
                    : CreatePolicyRequest.global().agent(agent).user(user).tenant(tenant);
            try (Kavach kavach = db.open(true)) {
                BudgetPolicy created = kavach.policy().create(request.limits(limits.limits()).action(action).build());
                spec.commandLine().getOut().println("Created policy " + created.id() + ": " + describe(created));
                return KavachCli.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {
                "Lists budget policies with today's and this month's counters.",
                "--agent lists every policy that applies to the agent: its own, its owner's and tenant's, "
                    + "the global ones and its pools."},
            footerHeading = "%nExample:%n",
            footer = "  kavach policy list --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y")
    static final class ListPolicies implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--agent", paramLabel = "AGENT_ID", description = "Every policy that applies to this agent.")
        String agent;
        @Option(names = "--user", paramLabel = "USER", description = "Policies scoped to this user, and the global ones.")
        String user;
        @Option(names = "--tenant", paramLabel = "TENANT", description = "Policies scoped to this tenant, and the global ones.")
        String tenant;
        @Option(names = "--status", paramLabel = "STATUS", description = "Only policies stored in this status: active, triggered or disabled.")
        PolicyStatus status;
        @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "At most this many, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            PolicyFilter filter = new PolicyFilter(agent, user, tenant, status, limit);
            try (Kavach kavach = db.open(false)) {
                Instant now = kavach.clock().instant();
                List<BudgetPolicy> policies = kavach.policy().list(filter);
                PrintWriter out = spec.commandLine().getOut();
                if (policies.isEmpty()) {
                    out.println("No policies match.");
                    return KavachCli.OK;
                }
                Table table = new Table("ID", "ACTION", "STATUS", "SCOPE", "LIMITS", "TODAY", "THIS MONTH");
                for (BudgetPolicy p : policies) {
                    PolicyCounters c = kavach.policy().counters(p.id());
                    table.row(p.id(), Text.lower(p.action()), Text.lower(p.statusAt(now)), p.scope(), Text.limits(p.limits()),
                            counted(p, c.day()), counted(p, c.month()));
                }
                table.print(out, "");
                return KavachCli.OK;
            }
        }
    }

    /** What a policy counted in a period: tokens and calls, and dollars when it has a dollar limit or counted any. */
    private static String counted(BudgetPolicy p, PolicyUsage usage) {
        String text = usage.tokensCost() + " tokens, " + Text.plural(usage.calls(), "call", "calls");
        boolean dollars = p.limits().maxCostPerDay() != null || p.limits().maxCostPerMonth() != null || usage.costMicros() != 0;
        return dollars ? text + ", " + Microdollars.of(usage.costMicros()) : text;
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {
                "Changes a policy's limits, action or enabled state.",
                "Limits given replace those of the same name and keep the others. A change of limits or "
                    + "action clears a triggered state."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  kavach policy update pol_01JZ8M2D4F6H8K0N2Q4S6V8X0Z --max-tokens-cost-per-day 2000",
                "  kavach policy update pol_01JZ8M2D4F6H8K0N2Q4S6V8X0Z --disable"})
    static final class Update implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        LimitOptions limits;

        @Parameters(paramLabel = "POLICY_ID", description = "The policy's id (pol_...).")
        String policyId;
        @Option(names = "--action", paramLabel = "ACTION", description = "A new action: warn, throttle, block or revoke.")
        PolicyAction action;
        @Option(names = "--enable", description = "Enable the policy again, with the counters it had.")
        boolean enable;
        @Option(names = "--disable", description = "Disable the policy: neither enforced nor counted, left alone by resets.")
        boolean disable;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            if (enable && disable) {
                throw new ParameterException(spec.commandLine(), "give --enable or --disable, not both");
            }
            if (!limits.any() && action == null && !enable && !disable) {
                throw new ParameterException(spec.commandLine(), "nothing to change: give a limit, --action, --enable or --disable");
            }
            try (Kavach kavach = db.open(false)) {
                BudgetPolicy current = kavach.policy().get(policyId);
                BudgetLimits newLimits = limits.any() ? current.limits().merge(limits.limits()) : null;
                Boolean enabled = enable ? Boolean.TRUE : disable ? Boolean.FALSE : null;
                BudgetPolicy updated = kavach.policy().update(policyId, new UpdatePolicyRequest(newLimits, action, enabled));
                spec.commandLine().getOut().println("Updated policy " + updated.id() + ": " + describe(updated)
                        + " (" + Text.lower(updated.statusAt(kavach.clock().instant())) + ")");
                return KavachCli.OK;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Deletes a policy and its counters.",
            footerHeading = "%nExample:%n",
            footer = "  kavach policy remove pol_01JZ8M2D4F6H8K0N2Q4S6V8X0Z")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "POLICY_ID", description = "The policy's id (pol_...).")
        String policyId;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            try (Kavach kavach = db.open(false)) {
                kavach.policy().remove(policyId);
                spec.commandLine().getOut().println("Removed policy " + policyId + " and its counters");
                return KavachCli.OK;
            }
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {
                "The reset jobs for cron (--daily, --monthly) and the manual reset of one policy (--id).",
                "--daily closes out the day counters of earlier days and makes policies whose triggering "
                    + "day has ended active again; --monthly does the same for months. They never touch the "
                    + "running day or month, so running them twice, early or late does no harm: a second run "
                    + "reports 0. Each prints one summary line and exits 0.",
                "--id is the manual override: it zeroes one policy's running day and month counters and "
                    + "makes it active."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  # crontab lines (the server's cron runs them in its own zone; these assume UTC)",
                "  5 0 * * *  /srv/kavach/kavach policy reset --daily --db /var/lib/kavach/kavach.db",
                "  10 0 1 * * /srv/kavach/kavach policy reset --monthly --db /var/lib/kavach/kavach.db",
                "  # lift one policy's block by hand",
                "  kavach policy reset --id pol_01JZ8M2D4F6H8K0N2Q4S6V8X0Z"})
    static final class Reset implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--daily", description = "Run the daily reset.")
        boolean daily;
        @Option(names = "--monthly", description = "Run the monthly reset (may be given with --daily).")
        boolean monthly;
        @Option(names = "--id", paramLabel = "POLICY_ID", description = "Reset this one policy by hand.")
        String policyId;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            if (policyId != null && (daily || monthly)) {
                throw new ParameterException(spec.commandLine(), "--id resets one policy by hand; give it without --daily or --monthly");
            }
            if (policyId == null && !daily && !monthly) {
                throw new ParameterException(spec.commandLine(), "name what to reset: --daily, --monthly or --id POLICY_ID");
            }
            try (Kavach kavach = db.open(false)) {
                PrintWriter out = spec.commandLine().getOut();
                if (policyId != null) {
                    int reset = kavach.policy().reset(policyId);
                    out.println(reset == 1
                            ? "manual reset: 1 policy reset (" + policyId + ": running day and month counters zeroed, active)"
                            : "manual reset: 0 policies reset (" + policyId + " is disabled and was left alone)");
                    return KavachCli.OK;
                }
                List<String> parts = new ArrayList<>();
                if (daily) {
                    parts.add("daily reset: " + Text.plural(kavach.policy().resetDaily(), "policy", "policies") + " reset");
                }
                if (monthly) {
                    parts.add("monthly reset: " + Text.plural(kavach.policy().resetMonthly(), "policy", "policies") + " reset");
                }
                out.println(String.join("; ", parts));
                return KavachCli.OK;
            }
        }
    }
}
