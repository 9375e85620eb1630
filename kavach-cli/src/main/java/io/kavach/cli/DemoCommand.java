package io.kavach.cli;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.audit.AuditFilter;
import io.kavach.audit.AuditVerification;
import io.kavach.audit.ExportFormat;
import io.kavach.audit.ExportProgress;
import io.kavach.cost.CostAlert;
import io.kavach.cost.CostReport;
import io.kavach.cost.ModelPricing;
import io.kavach.cost.RecordCostRequest;
import io.kavach.delegation.DelegationRequest;
import io.kavach.model.Agent;
import io.kavach.model.AgentType;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.CostEvent;
import io.kavach.model.DelegationChain;
import io.kavach.model.Microdollars;
import io.kavach.model.PolicyAction;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.policy.PolicyCounters;
import io.kavach.policy.PolicyTriggered;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kavach demo}: a guided run on a SQLite file. Agents, a delegation, stacked policies and a
 * shared pool and a dollar limit, a short simulated workload with token and dollar costs, the
 * alerts, a usage summary, a cost report, and the audit trail verified and exported.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "A guided tour in a few seconds: agents, delegation, stacked budgets, dollar costs, alerts and "
                + "the audit trail.",
            "Creates an owner's agents, a delegation, stacked warn, throttle and block policies and a "
                + "shared pool on a SQLite file, runs a short simulated agent workload with token costs and "
                + "dollar costs (priced from the bundled model price table), and prints every decision, the alerts "
                + "that fired, the usage, a cost report by agent and tool, and the audit trail (verified, "
                + "and exported as CSV next to the database). No LLM is called; nothing leaves this machine. "
                + "Running it again adds a new set of agents to the same database."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  kavach demo",
            "  kavach demo --db /tmp/kavach-demo.db"})
final class DemoCommand implements Callable<Integer> {
    private static final String OWNER = "alice";
    private static final String TENANT = "acme";
    /** Rolling-24-hour spend per agent that raises a warn and a critical cost alert. */
    private static final String COST_WARN = "0.02";
    private static final String COST_CRITICAL = "0.03";
    /** The owner's daily dollar limit (a warn policy). */
    private static final String OWNER_DAILY_USD = "0.06";
    /** An embedding batch of 10,000 tokens at $0.02 per million, as the provider bills it. */
    private static final String EMBEDDING_USD = "0.0002";

    @Spec
    CommandSpec spec;

    /** One step of the simulated workload: an authorize (then a settle), or a usage recorded after the fact. */
    private record Step(String agent, String action, String resource, Long estimate, Long actual, boolean record) {
        static Step call(String agent, String action, String resource) {
            return new Step(agent, action, resource, null, null, false);
        }

        static Step llm(String agent, String resource, long estimate, Long actual) {
            return new Step(agent, "execute", resource, estimate, actual, false);
        }

        static Step recordUsage(String agent, long tokens) {
            return new Step(agent, null, null, tokens, null, true);
        }
    }

    /** What the demo counted per agent. */
    private static final class Usage {
        int allowed;
        int denied;
        long tokens;
        Microdollars cost = Microdollars.ZERO;
    }
    @Mixin
    DbOptions db;

    @Override
    public Integer call() {
        Path dbPath = db.path();
        boolean existed = Files.exists(dbPath);
        PrintWriter out = spec.commandLine().getOut();
        List<String> alerts = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        int[] step = {0};
        KavachListener alerting = new KavachListener() {
            @Override
            public void onPolicyTriggered(PolicyTriggered event) {
                alerts.add(String.format("step %2d, %s: %s", step[0], names.getOrDefault(event.agentId(), event.agentId()),
                        named(event.violation().describe(), names)));
            }

            @Override
            public void onCostAlert(CostAlert alert) {
                alerts.add(String.format("step %2d, %s: cost alert %s", step[0], names.getOrDefault(alert.agentId(), alert.agentId()),
                        named(CostCommand.alert(alert), names)));
            }
        };

        try (Kavach kavach = db.builder(true).listener(alerting).costAlertThresholds(COST_WARN, COST_CRITICAL).build()) {
            out.println("Kavach demo on " + dbPath + (existed ? " (an existing database: adding a new set of agents)" : ""));
            out.println();
            out.println("A simulated team of AI agents asks Kavach before every tool and LLM call. Kavach answers from");
            out.println("the agents' permissions, their delegations and stacked budget policies, and records every");
            out.println("decision in a hash-chained audit log. No LLM is called; nothing leaves this machine.");

            // 1. Agents
            section(out, "1. Agents of owner " + OWNER + " (tenant " + TENANT + ")",
                    "Each agent has an id, a token (shown once, kept as a hash) and its own permissions.");
            Agent research = agent(kavach, "research-bot", AgentType.AUTONOMOUS, "llm:openai:*=execute", "mcp:github:**=read");
            Agent summarizer = agent(kavach, "summarizer", AgentType.DELEGATED);
            Agent support = agent(kavach, "support-bot", AgentType.AUTONOMOUS, "llm:anthropic:*=execute", "api:tickets:**=read,write");
            Map<String, Agent> agents = new LinkedHashMap<>();
            for (Agent a : List.of(research, summarizer, support)) {
                agents.put(a.name(), a);
                names.put(a.id(), a.name());
            }
            Table agentTable = new Table("NAME", "ID", "OWN PERMISSIONS");
            for (Agent a : agents.values()) {
                agentTable.row(a.name(), a.id(), a.permissions().isEmpty() ? "none: works on what it is delegated"
                        : Text.permissions(a.permissions()));
            }
            agentTable.print(out, "   ");

            // 2. Delegation
            DelegationChain chain = kavach.delegate(DelegationRequest.from(research.id()).to(summarizer.id())
                    .permission("llm:openai:gpt-4o-mini", "execute").expiresIn("30m").build());
            names.put(chain.id(), "the research-bot delegation");
            section(out, "2. Delegation",
                    "An agent can pass on a subset of what it holds, for a limited time; never more than it has.");
            out.println("   research-bot -> summarizer: llm:openai:gpt-4o-mini=execute for 30 minutes ("
                    + chain.id() + ", until " + Text.time(chain.expiresAt()) + ")");

            // 3. Policies
            List<BudgetPolicy> policies = new ArrayList<>();
            policies.add(policy(kavach, names, "research-warn", CreatePolicyRequest.forAgent(research.id())
                    .maxTokensCostPerDay(8_000).action(PolicyAction.WARN)));
            policies.add(policy(kavach, names, "research-block", CreatePolicyRequest.forAgent(research.id())
                    .maxTokensCostPerDay(12_000).action(PolicyAction.BLOCK)));
            policies.add(policy(kavach, names, "support-throttle", CreatePolicyRequest.forAgent(support.id())
                    .maxTokensCostPerDay(7_000).action(PolicyAction.THROTTLE)));
            policies.add(policy(kavach, names, "team-pool", CreatePolicyRequest.forPool("team-pool",
                    List.of(research.id(), summarizer.id(), support.id())).maxTokensCostPerDay(24_000).action(PolicyAction.BLOCK)));
            policies.add(policy(kavach, names, OWNER + "-dollars", CreatePolicyRequest.forUser(OWNER)
                    .maxCostPerDay(Microdollars.parse("maxCostPerDay", OWNER_DAILY_USD).micros()).action(PolicyAction.WARN)));
            section(out, "3. Budget policies",
                    "Stacked: every policy that applies to an agent is checked on every call, and the most severe",
                    "exceeded action wins. warn allows and alerts; throttle denies only calls that would not fit;",
                    "block denies everything once exceeded, until the day ends. A pool is one counter for several agents.",
                    "Token limits count the token cost given to authorize; dollar limits count the dollar costs recorded.");
            Table policyTable = new Table("NAME", "ACTION", "APPLIES TO", "LIMIT", "ID");
            for (BudgetPolicy p : policies) {
                policyTable.row(names.get(p.id()), Text.lower(p.action()), appliesTo(p, names), Text.limits(p.limits()), p.id());
            }
            policyTable.print(out, "   ");

            // 4. Workload
            List<Step> steps = List.of(
                    Step.call("research-bot", "read", "mcp:github:repos:kavach"),
                    Step.llm("research-bot", "llm:openai:gpt-4o", 3_000, 2_600L),
                    Step.call("research-bot", "write", "mcp:github:repos:kavach"),
                    Step.llm("summarizer", "llm:openai:gpt-4o-mini", 1_500, 1_400L),
                    Step.llm("summarizer", "llm:openai:gpt-4o", 1_500, null),
                    Step.llm("support-bot", "llm:anthropic:claude-sonnet-4", 2_500, 2_300L),
                    Step.llm("research-bot", "llm:openai:gpt-4o", 3_000, 3_200L),
                    Step.llm("support-bot", "llm:anthropic:claude-sonnet-4", 2_500, 2_700L),
                    Step.llm("research-bot", "llm:openai:gpt-4o", 3_000, 2_900L),
                    Step.llm("support-bot", "llm:anthropic:claude-sonnet-4", 2_500, null),
                    Step.llm("support-bot", "llm:anthropic:claude-3-5-haiku", 1_500, 1_600L),
                    Step.recordUsage("summarizer", 1_000),
                    Step.llm("research-bot", "llm:openai:gpt-4o", 3_500, null),
                    Step.call("research-bot", "read", "mcp:github:issues"),
                    Step.llm("summarizer", "llm:openai:gpt-4o-mini", 2_000, 2_100L),
                    Step.llm("summarizer", "llm:openai:gpt-4o-mini", 4_500, null),
                    Step.llm("support-bot", "llm:anthropic:claude-3-5-haiku", 200, null));
            section(out, "4. The workload",
                    "Before each call the agent asks authorize, giving the estimated token cost; an allowed call",
                    "reserves it on every applicable policy, and after the LLM answers, settle corrects the",
                    "estimate to the actual cost (shown as estimate->actual). recordUsage counts usage after the fact.",
                    "Then the agent records the call's dollar cost (COST): costs().recordUsage prices the input and",
                    "output tokens (here 3:1) from the bundled price table of " + ModelPricing.defaults().effectiveDate() + ". A call through",
                    "the delegation goes to costs().recordCost with its chain; the embedding batch with the billed amount.");
            Map<String, Usage> usage = new LinkedHashMap<>();
            agents.keySet().forEach(name -> usage.put(name, new Usage()));
            Table calls = new Table("#", "AGENT", "CALL", "TOKENS", "COST", "DECISION", "WHY").alignRight(0, 3, 4);
            for (Step s : steps) {
                step[0]++;
                Agent agent = agents.get(s.agent());
                Usage u = usage.get(s.agent());
                if (s.record()) {
                    kavach.policy().recordUsage(agent.id(), s.estimate());
                    u.tokens += s.estimate();
                    CostEvent billed = kavach.costs().recordCost(RecordCostRequest.builder(agent.id(), "openai:text-embedding-3-small")
                            .tokens(s.estimate() * 10, 0).costUsd(EMBEDDING_USD).metadata("operation", "embedding batch").build());
                    u.cost = u.cost.plus(Microdollars.of(billed.costMicros()));
                    calls.row(step[0], s.agent(), "recordUsage (an embedding batch)", s.estimate(),
                            Microdollars.of(billed.costMicros()), "RECORDED", "counted after the fact; never denies");
                    continue;
                }
                AuthorizeRequest.Builder request = AuthorizeRequest.builder(s.action(), s.resource());
                if (s.estimate() != null) {
                    request.tokensCost(s.estimate());
                }
                Decision d = kavach.authorize(agent.id(), request.build());
                String tokens = s.estimate() == null ? "-" : String.valueOf(s.estimate());
                String cost = "";
                if (d.allowed()) {
                    u.allowed++;
                    long spent = s.estimate() == null ? 0 : s.estimate();
                    if (d.usageId() != null && s.actual() != null) {
                        kavach.policy().settle(d.usageId(), s.actual());
                        tokens = s.estimate() + "->" + s.actual();
                        spent = s.actual();
                        Microdollars dollars = recordDollars(kavach, agent, s.resource(), s.actual(), d.delegationChainId());
                        u.cost = u.cost.plus(dollars);
                        cost = dollars.toString();
                    }
                    u.tokens += spent;
                } else {
                    u.denied++;
                }
                calls.row(step[0], s.agent(), s.action() + " " + s.resource(), tokens, cost,
                        d.allowed() ? "ALLOWED" : "DENIED " + d.code(), why(d, names));
            }
            calls.print(out, "   ");

            // 5. Alerts
            section(out, "5. Alerts",
                    "A KavachListener heard each policy trigger, once per policy and day, and each cost alert: an agent's",
                    "spend in the last 24 hours reaching " + Text.usd(Microdollars.parse("warn", COST_WARN)) + " (warn) or "
                            + Text.usd(Microdollars.parse("critical", COST_CRITICAL)) + " (critical), once per crossing, and a dollar limit",
                    "exceeded. The place to send an e-mail or a page.");
            if (alerts.isEmpty()) {
                out.println("   (none)");
            }
            alerts.forEach(a -> out.println("   " + a));

            // 6. Usage
            section(out, "6. Usage today",
                    "Per agent, as the workload saw it; per policy, from the policy's own counters.");
            Table byAgent = new Table("AGENT", "ALLOWED", "DENIED", "TOKENS SPENT", "DOLLARS SPENT").alignRight(1, 2, 3, 4);
            usage.forEach((name, u) -> byAgent.row(name, u.allowed, u.denied, u.tokens, u.cost));
            byAgent.print(out, "   ");
            out.println();
            Table byPolicy = new Table("POLICY", "ACTION", "USED TODAY", "LIMIT", "CALLS", "STATUS").alignRight(2, 4);
            for (BudgetPolicy p : policies) {
                PolicyCounters c = kavach.policy().counters(p.id());
                BudgetPolicy now = kavach.policy().get(p.id());
                boolean dollars = p.limits().maxCostPerDay() != null || p.limits().maxCostPerMonth() != null;
                byPolicy.row(names.get(p.id()), Text.lower(p.action()),
                        dollars ? Microdollars.of(c.day().costMicros()) : c.day().tokensCost(), Text.limits(p.limits()),
                        c.day().calls(), Text.lower(now.statusAt(kavach.clock().instant()))
                                + (now.triggeredUntil() == null ? "" : " until " + Text.time(now.triggeredUntil())));
            }
            byPolicy.print(out, "   ");

            // 7. Dollar costs
            section(out, "7. Cost report",
                    "From kavach.costs(): this month's dollar spend per agent and tool (exact microdollars, read",
                    "from the daily rollups), and what the research-bot delegation cost.");
            Table costTable = new Table("AGENT", "TOOL", "CALLS", "INPUT TOKENS", "OUTPUT TOKENS", "COST").alignRight(2, 3, 4, 5);
            Microdollars total = Microdollars.ZERO;
            for (Agent a : agents.values()) {
                CostReport report = kavach.costs().getAgentCost(a.id());
                for (CostReport.ToolCost t : report.byTool()) {
                    costTable.row(a.name(), t.tool(), t.calls(), t.inputTokens(), t.outputTokens(), t.cost());
                }
                costTable.row(a.name(), "all tools", report.calls(), report.inputTokens(), report.outputTokens(), report.total());
                total = total.plus(report.total());
            }
            costTable.row("total", "", "", "", "", total);
            costTable.print(out, "   ");
            CostReport chainCost = kavach.costs().getDelegationChainCost(chain.id());
            out.println();
            out.println("   The research-bot delegation (" + chain.id() + "): " + chainCost.total() + " in "
                    + Text.plural(chainCost.calls(), "call", "calls") + " by summarizer, attributed to the chain.");

            // 8. Audit
            section(out, "8. The audit trail",
                    "Every decision and change above is one entry in a SHA-256 hash chain.");
            AuditVerification verification = kavach.audit().verify();
            out.println("   " + (verification.ok()
                    ? "Verified: " + Text.plural(verification.checked(), "entry", "entries") + ", chain intact (head hash "
                            + Text.cut(verification.headHash(), 17) + ")"
                    : "Verification FAILED at " + verification.firstBadId() + ": " + verification.message()));
            Path csv = csvPath(dbPath);
            long rows = exportCsv(kavach, csv);
            out.println("   Exported " + Text.plural(rows, "entry", "entries") + " as CSV to " + csv);

            out.println();
            out.println("Next, on the same database:");
            String dbArg = dbPath.equals(Path.of(DbOptions.DEFAULT).toAbsolutePath().normalize()) ? "" : " --db " + dbPath;
            out.println("   ./kavach audit query --agent " + research.id() + dbArg);
            out.println("   ./kavach policy list --agent " + support.id() + dbArg);
            out.println("   ./kavach policy reset --id " + policies.get(3).id() + dbArg + "    # lift team-pool's block by hand");
            out.println("   ./kavach authorize --agent " + summarizer.id() + " --action execute --resource llm:openai:gpt-4o-mini --tokens-cost 50" + dbArg);
            out.println("   ./kavach cost report --agent " + research.id() + dbArg);
            out.println("   ./kavach cost report --top 5" + dbArg);
            out.println("   ./kavach audit verify" + dbArg);
            return verification.ok() ? KavachCli.OK : KavachCli.FAILURE;
        }
    }

    /**
     * Records an LLM call's dollar cost: {@code actual} tokens, split 3:1 into input and output, priced
     * from the bundled table; through a delegation, attributed to its chain.
     */
    private static Microdollars recordDollars(Kavach kavach, Agent agent, String resource, long actual, String chainId) {
        String model = resource.substring(resource.lastIndexOf(':') + 1);
        long output = actual / 4;
        long input = actual - output;
        CostEvent event;
        if (chainId == null) {
            event = kavach.costs().recordUsage(agent.id(), model, input, output);
        } else {
            event = kavach.costs().recordCost(RecordCostRequest.builder(agent.id(), model).tokens(input, output)
                    .cost(ModelPricing.defaults().cost(model, input, output)).delegationChain(chainId).build());
        }
        return Microdollars.of(event.costMicros());
    }

    private static Agent agent(Kavach kavach, String name, AgentType type, String... permissions) {
        CreateAgentRequest.Builder request = CreateAgentRequest.builder(OWNER, name).tenant(TENANT).type(type);
        Converters.PermissionConverter parse = new Converters.PermissionConverter();
        for (String permission : permissions) {
            request.permission(parse.convert(permission));
        }
        return kavach.agents().create(request.build()).agent();
    }

    private static BudgetPolicy policy(Kavach kavach, Map<String, String> names, String name, CreatePolicyRequest.Builder request) {
        BudgetPolicy created = kavach.policy().create(request.build());
        names.put(created.id(), name);
        return created;
    }

    private static String appliesTo(BudgetPolicy p, Map<String, String> names) {
        if (p.scope().isPool()) {
            List<String> members = new ArrayList<>();
            p.scope().poolAgentIds().forEach(id -> members.add(names.getOrDefault(id, id)));
            return "pool: " + String.join(", ", members);
        }
        return names.getOrDefault(p.scope().agentId(), p.scope().toString());
    }

    /** Why a decision went the way it did, short, with names in place of ids. */
    private static String why(Decision d, Map<String, String> names) {
        if (d.allowed()) {
            if (!d.warnings().isEmpty()) {
                return "warning: " + named(String.join("; ", d.warnings()), names);
            }
            if (d.delegationChainId() != null) {
                return "through " + names.getOrDefault(d.delegationChainId(), d.delegationChainId());
            }
            return "";
        }
        return named(d.reason(), names);
    }

    /** {@code text} with every known id replaced by its name. */
    private static String named(String text, Map<String, String> names) {
        String result = text;
        for (Map.Entry<String, String> name : names.entrySet()) {
            result = result.replace(name.getKey(), name.getValue());
        }
        return result;
    }

    /** {@code kavach.db} -> {@code kavach-audit.csv} in the same directory. */
    static Path csvPath(Path dbPath) {
        String file = dbPath.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        return dbPath.resolveSibling(stem + "-audit.csv");
    }

    private static long exportCsv(Kavach kavach, Path csv) {
        try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            return kavach.audit().export(AuditFilter.all(), ExportFormat.CSV, writer, ExportProgress.NONE);
        } catch (IOException e) {
            throw new CliException("writing " + csv + " failed: " + e.getMessage(), e);
        }
    }

    private static void section(PrintWriter out, String title, String... explanation) {
        out.println();
        out.println(title);
        for (String line : explanation) {
            out.println("   " + line);
        }
        out.println();
    }
}
