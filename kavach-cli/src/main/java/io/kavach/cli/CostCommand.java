package io.kavach.cli;

import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.cost.AgentCost;
import io.kavach.cost.CostAlert;
import io.kavach.cost.CostPeriod;
import io.kavach.cost.CostReport;
import io.kavach.cost.ModelPrice;
import io.kavach.cost.ModelPricing;
import io.kavach.cost.RecordCostRequest;
import io.kavach.error.KavachException;
import io.kavach.model.CostEvent;
import io.kavach.model.Microdollars;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kavach cost}: record dollar costs and report them. */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = {
            "Dollar costs: record what agents spend and report it per agent, owner, delegation chain or top agents.",
            "Amounts are exact: kept in integer microdollars ($1 = 1,000,000), never rounded silently. Each "
                + "recorded USD cost also counts toward the dollar limits of the agent's policies "
                + "(policy create --max-cost-per-day / --max-cost-per-month)."},
        subcommands = {CostCommand.Record.class, CostCommand.Report.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  kavach cost record --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --tool openai:gpt-4o \\",
            "      --input-tokens 1000 --output-tokens 500 --cost-usd 0.0075",
            "  kavach cost report --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y",
            "  kavach cost report --top 10 --since 2026-01-01 --until 2026-02-01"})
final class CostCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return KavachCli.missingSubcommand(spec);
    }

    @Command(name = "record", mixinStandardHelpOptions = true,
            description = {
                "Records one cost of an agent and prints its event id and amount.",
                "Give the amount with --cost-usd (exact decimal dollars), or --model to price the tokens with the "
                    + "bundled model price table (list prices per million input and output tokens). A policy "
                    + "whose dollar limit this cost exceeds is triggered, and the alert is printed."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  # an amount you know (from the provider's invoice or usage API)",
                "  kavach cost record --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --tool openai:gpt-4o \\",
                "      --input-tokens 1000 --output-tokens 500 --cost-usd 0.0125 --meta operation=summarize",
                "  # priced from the bundled table: 1000 x $2.50/M + 500 x $10.00/M = $0.0075",
                "  kavach cost record --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --model gpt-4o \\",
                "      --input-tokens 1000 --output-tokens 500",
                "  # attributed to a delegation chain, in another currency (reports and limits count USD only)",
                "  kavach cost record --agent agt_01JZ8K9A2B3C4D5E6F7G8H9J0K --tool mcp:search --cost-usd 0.02 \\",
                "      --currency EUR --chain dlg_01JZ8M2D4F6H8K0N2Q4S6V8X0Z"})
    static final class Record implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--agent", required = true, paramLabel = "AGENT_ID", description = "The agent that spent it.")
        String agent;
        @Option(names = "--tool", paramLabel = "TOOL",
                description = "What was used, such as openai:gpt-4o or mcp:github. Required with --cost-usd; with "
                        + "--model it defaults to the model's name.")
        String tool;
        @Option(names = "--input-tokens", paramLabel = "N", defaultValue = "0", description = "Input (prompt) tokens (default: 0).")
        long inputTokens;
        @Option(names = "--output-tokens", paramLabel = "N", defaultValue = "0", description = "Output (completion) tokens (default: 0).")
        long outputTokens;
        @Option(names = {"--cost-usd", "--cost"}, paramLabel = "AMOUNT",
                description = "The cost as exact decimal text, such as 0.0125 (at most six decimals), in --currency "
                        + "(USD unless given).")
        String cost;
        @Option(names = "--model", paramLabel = "MODEL",
                description = "Price the tokens with the bundled table instead, such as gpt-4o, claude-sonnet-4 or "
                        + "gemini-2.5-flash.")
        String model;
        @Option(names = "--chain", paramLabel = "CHAIN_ID", description = "Attribute the cost to this delegation chain (dlg_...).")
        String chain;
        @Option(names = "--currency", paramLabel = "CODE", defaultValue = RecordCostRequest.USD,
                description = "ISO 4217 code (default: ${DEFAULT-VALUE}). Reports and dollar limits count USD only.")
        String currency;
        @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Free data kept with the cost. Repeatable.")
        Map<String, String> metadata = new LinkedHashMap<>();
        @Option(names = "--json", description = "Print the recorded event as JSON.")
        boolean json;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            if ((cost == null) == (model == null)) {
                throw new ParameterException(spec.commandLine(), "give the amount with --cost-usd AMOUNT or price it with --model MODEL (one of them)");
            }
            String code = currency.strip().toUpperCase(Locale.ROOT);
            ModelPrice price = null;
            Microdollars amount;
            if (model != null) {
                if (!RecordCostRequest.USD.equals(code)) {
                    throw new ParameterException(spec.commandLine(), "--model prices in USD; give --cost-usd with --currency " + code);
                }
                if (inputTokens == 0 && outputTokens == 0) {
                    throw new ParameterException(spec.commandLine(), "--model prices tokens: give --input-tokens and/or --output-tokens");
                }
                price = ModelPricing.defaults().priceOf(model);        // an unknown model is invalid input (exit 2)
                amount = price.cost(inputTokens, outputTokens);
            } else {
                if (tool == null) {
                    throw new ParameterException(spec.commandLine(), "--cost-usd needs --tool, such as --tool openai:gpt-4o");
                }
                amount = Microdollars.parse("cost", cost);             // exact, or invalid input (exit 2)
            }
            RecordCostRequest.Builder request = RecordCostRequest.builder(agent, tool != null ? tool : model)
                    .tokens(inputTokens, outputTokens).cost(amount).currency(code).delegationChain(chain);
            if (model != null) {
                request.metadata("model", model).metadata("priceTable", ModelPricing.defaults().effectiveDate().toString());
            }
            metadata.forEach(request::metadata);

            List<CostAlert> alerts = new ArrayList<>();
            KavachListener listener = new KavachListener() {
                @Override
                public void onCostAlert(CostAlert alert) {
                    alerts.add(alert);
                }
            };
            try (Kavach kavach = db.open(false, listener)) {
                CostEvent event = kavach.costs().recordCost(request.build());
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.costEvent(event));
                    alerts.forEach(a -> spec.commandLine().getErr().println("alert: " + alert(a)));
                    return KavachCli.OK;
                }
                out.println("Recorded cost " + event.id() + ": " + Text.usd(Microdollars.of(event.costMicros())) + " "
                        + event.currency() + " for " + event.agentId() + " on " + event.tool());
                out.println("  tokens:  " + event.inputTokens() + " input, " + event.outputTokens() + " output");
                if (price != null) {
                    out.println("  priced:  " + price.model() + " (" + price.provider() + ") at " + Text.usd(price.inputPerMillion())
                            + " input / " + Text.usd(price.outputPerMillion()) + " output per million tokens, price table of "
                            + ModelPricing.defaults().effectiveDate());
                }
                if (event.delegationChainId() != null) {
                    out.println("  chain:   " + event.delegationChainId());
                }
                if (!RecordCostRequest.USD.equals(event.currency())) {
                    out.println("  note:    kept in " + event.currency() + "; reports and dollar limits count USD only");
                }
                alerts.forEach(a -> out.println("  alert:   " + alert(a)));
                return KavachCli.OK;
            }
        }
    }

    /** A cost alert in one line. */
    static String alert(CostAlert a) {
        return switch (a.type()) {
            case BUDGET_EXCEEDED -> "budget exceeded: policy " + a.policyId() + " " + a.period() + " " + a.threshold()
                    + ", spent " + a.currentSpend();
            case WARN, CRITICAL -> Text.lower(a.type()) + ": " + a.currentSpend() + " in the last 24 hours reached "
                    + Text.usd(a.threshold());
        };
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {
                "Reports spend in USD: of one agent, of an owner's agents, of a delegation chain, or the top agents.",
                "Agent and owner reports show the total, the split by tool (most expensive first) and by day. "
                    + "Without --since and --until a report covers the current calendar month (UTC); a chain report "
                    + "covers all recorded time, for the chain and the chains derived from it."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  kavach cost report --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y",
                "  kavach cost report --owner alice --since 2026-01-01 --until 2026-02-01",
                "  kavach cost report --top 10 --since 2026-03-01",
                "  kavach cost report --chain dlg_01JZ8M2D4F6H8K0N2Q4S6V8X0Z --json"})
    static final class Report implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--agent", paramLabel = "AGENT_ID", description = "One agent's spend.")
        String agent;
        @Option(names = "--owner", paramLabel = "USER", description = "The spend of every agent this user owns.")
        String owner;
        @Option(names = "--top", paramLabel = "N", description = "The N agents that spent most, 1 to 1000.")
        Integer top;
        @Option(names = "--chain", paramLabel = "CHAIN_ID", description = "A delegation chain's spend, with the chains derived from it.")
        String chain;
        @Option(names = "--since", paramLabel = "WHEN", converter = Converters.InstantConverter.class,
                description = "From this instant, inclusive: 2026-01-01 (start of day, UTC) or 2026-01-01T00:00:00Z.")
        Instant since;
        @Option(names = "--until", paramLabel = "WHEN", converter = Converters.InstantConverter.class,
                description = "Up to this instant, exclusive (default with --since: the end of today, UTC).")
        Instant until;
        @Option(names = "--json", description = "Print the report as one JSON object (amounts as microdollars and as exact decimal text).")
        boolean json;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            int selected = (agent != null ? 1 : 0) + (owner != null ? 1 : 0) + (top != null ? 1 : 0) + (chain != null ? 1 : 0);
            if (selected != 1) {
                throw new ParameterException(spec.commandLine(), "give one of --agent ID, --owner ID, --top N or --chain ID");
            }
            if (chain != null && (since != null || until != null)) {
                throw new ParameterException(spec.commandLine(), "--chain reports all recorded time; it takes no --since or --until");
            }
            if (until != null && since == null) {
                throw new ParameterException(spec.commandLine(), "--until needs --since");
            }
            try (Kavach kavach = db.open(false)) {
                CostPeriod period = null;
                if (since != null) {
                    Instant end = until != null ? until
                            : LocalDate.ofInstant(kavach.clock().instant(), ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                    if (!since.isBefore(end)) {
                        throw new ParameterException(spec.commandLine(), "--since must be before --until (" + Text.time(end) + ")");
                    }
                    period = CostPeriod.between(since, end);
                }
                PrintWriter out = spec.commandLine().getOut();
                if (top != null) {
                    List<AgentCost> agents = period == null ? kavach.costs().getTopAgentsByCost(top)
                            : kavach.costs().getTopAgentsByCost(top, period);
                    CostPeriod shown = period != null ? period : currentMonth(kavach);
                    if (json) {
                        out.println(Json.topAgents(shown, agents));
                    } else {
                        printTop(kavach, out, shown, agents);
                    }
                    return KavachCli.OK;
                }
                String kind;
                CostReport report;
                if (agent != null) {
                    kind = "agent";
                    report = period == null ? kavach.costs().getAgentCost(agent) : kavach.costs().getAgentCost(agent, period);
                } else if (owner != null) {
                    kind = "owner";
                    report = period == null ? kavach.costs().getOwnerCost(owner) : kavach.costs().getOwnerCost(owner, period);
                } else {
                    kind = "chain";
                    report = kavach.costs().getDelegationChainCost(chain);
                }
                if (json) {
                    out.println(Json.costReport(kind, report));
                } else {
                    String title = switch (kind) {
                        case "agent" -> "Cost of agent " + agentName(kavach, report.subject());
                        case "owner" -> "Cost of the agents of " + report.subject();
                        default -> "Cost of delegation chain " + report.subject() + " and the chains derived from it";
                    };
                    print(out, title, report, "");
                }
                return KavachCli.OK;
            }
        }

        private static CostPeriod currentMonth(Kavach kavach) {
            LocalDate first = LocalDate.ofInstant(kavach.clock().instant(), ZoneOffset.UTC).withDayOfMonth(1);
            return CostPeriod.between(first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                    first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }

        private static void printTop(Kavach kavach, PrintWriter out, CostPeriod period, List<AgentCost> agents) {
            out.println("Top agents by cost, " + Text.period(period) + ", USD");
            if (agents.isEmpty()) {
                out.println("No costs recorded in this period.");
                return;
            }
            out.println();
            Table table = new Table("#", "AGENT", "NAME", "OWNER", "CALLS", "COST").alignRight(0, 4, 5);
            int rank = 0;
            for (AgentCost a : agents) {
                table.row(++rank, a.agentId(), name(kavach, a.agentId()), a.ownerId(), a.calls(), a.total());
            }
            table.print(out, "");
        }
    }

    /** Prints a report: a title, the total, by tool and by day, each line starting with {@code indent}. */
    static void print(PrintWriter out, String title, CostReport r, String indent) {
        out.println(indent + title + ", " + Text.period(r.period()) + ", " + r.currency());
        if (r.calls() == 0) {
            out.println(indent + "No costs recorded in this period.");
            return;
        }
        out.println(indent + "Total: " + r.total() + " in " + Text.plural(r.calls(), "call", "calls") + ", "
                + r.inputTokens() + " input and " + r.outputTokens() + " output tokens");
        out.println();
        out.println(indent + "By tool");
        Table tools = new Table("TOOL", "CALLS", "INPUT TOKENS", "OUTPUT TOKENS", "COST", "SHARE").alignRight(1, 2, 3, 4, 5);
        for (CostReport.ToolCost t : r.byTool()) {
            tools.row(t.tool(), t.calls(), t.inputTokens(), t.outputTokens(), t.cost(), share(t.cost(), r.total()));
        }
        tools.print(out, indent + "  ");
        out.println();
        out.println(indent + "By day");
        Table days = new Table("DAY", "CALLS", "COST").alignRight(1, 2);
        for (CostReport.DayCost d : r.byDay()) {
            days.row(d.day(), d.calls(), d.cost());
        }
        days.print(out, indent + "  ");
    }

    /** {@code part} as a percentage of {@code whole}, one decimal. */
    static String share(Microdollars part, Microdollars whole) {
        if (whole.micros() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * part.micros() / whole.micros());
    }

    /** {@code name (id)}, or the id when the agent cannot be read. */
    static String agentName(Kavach kavach, String agentId) {
        String name = name(kavach, agentId);
        return name.isEmpty() ? agentId : name + " (" + agentId + ")";
    }

    private static String name(Kavach kavach, String agentId) {
        try {
            return kavach.agents().get(agentId).name();
        } catch (KavachException e) {
            return "";
        }
    }
}
