package io.kavach.cli;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.Kavach;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kavach authorize}: one decision, as a service would ask for it. */
@Command(name = "authorize", mixinStandardHelpOptions = true,
        description = {
            "Asks whether an agent may act now: exit 0 when allowed, 3 when denied.",
            "Records the decision in the audit log. With --tokens-cost the call is checked against the "
                + "budget policies and, when allowed, reserved on their counters."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  kavach authorize --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --action execute \\",
            "      --resource llm:openai:gpt-4o --tokens-cost 150",
            "  kavach authorize --agent agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y --action read \\",
            "      --resource mcp:github:repos --json",
            "  if kavach authorize --agent \"$AGENT\" --action call --resource api:search >/dev/null; then ...; fi"})
final class AuthorizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--agent", required = true, paramLabel = "AGENT_ID", description = "The agent asking.")
    String agent;
    @Option(names = "--action", required = true, paramLabel = "ACTION", description = "The action, such as read or execute.")
    String action;
    @Option(names = "--resource", required = true, paramLabel = "RESOURCE", description = "The concrete resource, such as mcp:github:repos.")
    String resource;
    @Option(names = "--tokens-cost", paramLabel = "N", description = "The call's token cost (an estimate), checked and reserved against budgets.")
    Long tokensCost;
    @Option(names = "--arg", paramLabel = "NAME=VALUE", description = "A call argument (checked against argument patterns). Repeatable.")
    Map<String, String> arguments = new LinkedHashMap<>();
    @Option(names = "--ip", paramLabel = "ADDRESS", description = "The client's IP address, for IP allowlists.")
    String ip;
    @Option(names = "--user-agent", paramLabel = "TEXT", description = "The client's user agent.")
    String userAgent;
    @Option(names = "--json", description = "Print the whole decision as JSON.")
    boolean json;
    @Mixin
    DbOptions db;

    @Override
    public Integer call() {
        AuthorizeRequest.Builder builder = AuthorizeRequest.builder(action, resource).arguments(arguments)
                .clientIp(ip).userAgent(userAgent);
        if (tokensCost != null) {
            builder.tokensCost(tokensCost);
        }
        AuthorizeRequest request = builder.build();   // a malformed value is a usage error (exit 2)
        try (Kavach kavach = db.open(false)) {
            Decision d = kavach.authorize(agent, request);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.decision(d));
            } else {
                out.println((d.allowed() ? "ALLOWED" : "DENIED " + d.code()) + ": " + d.reason());
                for (String warning : d.warnings()) {
                    out.println("  warning:     " + warning);
                }
                if (d.retryAfter() != null) {
                    out.println("  retry after: " + Text.time(d.retryAfter()));
                }
                if (d.approvalId() != null) {
                    out.println("  approval:    " + d.approvalId() + " (waiting for a decision)");
                }
                if (d.usageId() != null) {
                    out.println("  usage:       " + d.usageId() + " (" + tokensCost + " tokens reserved)");
                }
                out.println("  audit:       " + d.auditId());
            }
            return d.allowed() ? KavachCli.OK : KavachCli.DENIED;
        }
    }
}
