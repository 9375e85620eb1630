package io.kavach.cli;

import io.kavach.Kavach;
import io.kavach.agent.AgentCredentials;
import io.kavach.agent.AgentFilter;
import io.kavach.agent.CreateAgentRequest;
import io.kavach.delegation.DelegationFilter;
import io.kavach.model.Agent;
import io.kavach.model.AgentStatus;
import io.kavach.model.AgentType;
import io.kavach.model.DelegationChain;
import io.kavach.model.Permission;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kavach agent}: agent identities. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Create, list, show, revoke agents and rotate their tokens.",
        subcommands = {
            AgentCommand.Create.class,
            AgentCommand.ListAgents.class,
            AgentCommand.Get.class,
            AgentCommand.Revoke.class,
            AgentCommand.Rotate.class},
        footerHeading = "%nExample:%n",
        footer = "  kavach agent create --owner alice --name research-bot --permission 'mcp:github:**=read'")
final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return KavachCli.missingSubcommand(spec);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {
                "Creates an agent and prints its id and its token.",
                "The token is shown only here: Kavach keeps only its hash."},
            footerHeading = "%nExamples:%n",
            footer = {
                "  kavach agent create --owner alice --name research-bot \\",
                "      --permission 'mcp:github:**=read' --permission 'llm:openai:*=execute' --expires-in 30d",
                "  kavach agent create --owner alice --tenant tnt_acme --name ci-bot --type service --json"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--owner", required = true, paramLabel = "USER", description = "The owning user's id.")
        String owner;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "A display name.")
        String name;
        @Option(names = "--tenant", paramLabel = "TENANT", description = "The tenant, if any.")
        String tenant;
        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "autonomous",
                description = "autonomous, delegated or service (default: ${DEFAULT-VALUE}).")
        AgentType type;
        @Option(names = {"--permission", "-p"}, paramLabel = "RESOURCE=ACTIONS", converter = Converters.PermissionConverter.class,
                description = "A grant: a resource pattern, '=', and actions separated by commas, such as "
                        + "'mcp:github:**=read' or 'llm:openai:*=execute,stream'. Repeatable.")
        List<Permission> permissions = new ArrayList<>();
        @Option(names = "--expires-in", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
                description = "Expire after this long: 30m, 12h, 7d (default: never).")
        Duration expiresIn;
        @Option(names = "--json", description = "Print the agent and its token as JSON.")
        boolean json;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            try (Kavach kavach = db.open(true)) {
                Instant now = kavach.clock().instant();
                CreateAgentRequest.Builder request = CreateAgentRequest.builder(owner, name).tenant(tenant).type(type)
                        .permissions(permissions);
                if (expiresIn != null) {
                    request.expiresAt(now.plus(expiresIn));
                }
                AgentCredentials created = kavach.agents().create(request.build());
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.credentials(created, now));
                    return KavachCli.OK;
                }
                Agent agent = created.agent();
                out.println("Created agent " + agent.id() + " (" + agent.name() + ", owner " + agent.ownerId()
                        + (agent.tenantId() == null ? "" : ", tenant " + agent.tenantId()) + ")");
                out.println("  id:          " + agent.id());
                out.println("  token:       " + created.token());
                out.println("  permissions: " + Text.permissions(agent.permissions()));
                out.println("  expires:     " + (agent.expiresAt() == null ? "never" : Text.time(agent.expiresAt())));
                out.println("The token is shown only now (Kavach keeps its hash): store it where the agent can read it.");
                return KavachCli.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists agents in creation order, with optional filters.",
            footerHeading = "%nExample:%n",
            footer = "  kavach agent list --owner alice --status active")
    static final class ListAgents implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--owner", paramLabel = "USER", description = "Only this owner's agents.")
        String owner;
        @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's agents.")
        String tenant;
        @Option(names = "--status", paramLabel = "STATUS", description = "active or revoked (as stored; expired agents are stored active).")
        AgentStatus status;
        @Option(names = "--type", paramLabel = "TYPE", description = "autonomous, delegated or service.")
        AgentType type;
        @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "At most this many, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--after", paramLabel = "AGENT_ID", description = "Start after this agent id (the next page).")
        String after;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            AgentFilter filter = AgentFilter.all().withOwner(owner).withTenant(tenant).withStatus(status).withType(type)
                    .after(after).withLimit(limit);
            try (Kavach kavach = db.open(false)) {
                Instant now = kavach.clock().instant();
                List<Agent> agents = kavach.agents().list(filter);
                PrintWriter out = spec.commandLine().getOut();
                if (agents.isEmpty()) {
                    out.println("No agents match.");
                    return KavachCli.OK;
                }
                Table table = new Table("ID", "NAME", "OWNER", "TENANT", "TYPE", "STATUS", "EXPIRES", "PERMISSIONS");
                for (Agent a : agents) {
                    table.row(a.id(), a.name(), a.ownerId(), a.tenantId() == null ? "-" : a.tenantId(), Text.lower(a.type()),
                            Text.lower(a.statusAt(now)), a.expiresAt() == null ? "never" : Text.time(a.expiresAt()),
                            Text.permissions(a.permissions()));
                }
                table.print(out, "");
                if (agents.size() == limit) {
                    spec.commandLine().getErr().println("(more may follow: add --after " + agents.get(agents.size() - 1).id() + ")");
                }
                return KavachCli.OK;
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Shows one agent, with the delegations from and to it.",
            footerHeading = "%nExample:%n",
            footer = "  kavach agent get agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "AGENT_ID", description = "The agent's id (agt_...).")
        String agentId;
        @Option(names = "--json", description = "Print the agent as JSON.")
        boolean json;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            try (Kavach kavach = db.open(false)) {
                Instant now = kavach.clock().instant();
                Agent a = kavach.agents().get(agentId);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.write(Json.agentNode(a, now)));
                    return KavachCli.OK;
                }
                out.println("id:           " + a.id());
                out.println("name:         " + a.name());
                out.println("owner:        " + a.ownerId());
                out.println("tenant:       " + (a.tenantId() == null ? "-" : a.tenantId()));
                out.println("type:         " + Text.lower(a.type()));
                out.println("status:       " + Text.lower(a.statusAt(now)));
                out.println("expires:      " + (a.expiresAt() == null ? "never" : Text.time(a.expiresAt())));
                out.println("token prefix: " + a.tokenPrefix() + "…");
                out.println("created:      " + Text.time(a.createdAt()));
                out.println("last active:  " + Text.time(a.lastActiveAt()));
                out.println("permissions:");
                if (a.permissions().isEmpty()) {
                    out.println("  (none of its own)");
                }
                for (Permission p : a.permissions()) {
                    out.println("  " + Text.permission(p));
                }
                printChains(out, "delegated to others:", kavach.delegations().list(DelegationFilter.from(a.id())), now, true);
                printChains(out, "delegated to it:", kavach.delegations().list(DelegationFilter.to(a.id())), now, false);
                return KavachCli.OK;
            }
        }

        private static void printChains(PrintWriter out, String title, List<DelegationChain> chains, Instant now, boolean from) {
            if (chains.isEmpty()) {
                return;
            }
            out.println(title);
            for (DelegationChain c : chains) {
                out.println("  " + c.id() + (from ? " to " + c.toAgentId() : " from " + c.fromAgentId()) + ", "
                        + Text.lower(c.statusAt(now)) + " until " + Text.time(c.expiresAt()) + ": "
                        + Text.permissions(c.permissions()));
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {
                "Revokes an agent at once, with every delegation from or to it.",
                "Revoking a revoked agent changes nothing."},
            footerHeading = "%nExample:%n",
            footer = "  kavach agent revoke agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "AGENT_ID", description = "The agent's id (agt_...).")
        String agentId;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            try (Kavach kavach = db.open(false)) {
                Agent revoked = kavach.agents().revoke(agentId);
                spec.commandLine().getOut().println("Revoked agent " + revoked.id() + " (" + revoked.name()
                        + ") and its delegations");
                return KavachCli.OK;
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {
                "Replaces an agent's token; the old one stops working at once.",
                "The new token is shown only here."},
            footerHeading = "%nExample:%n",
            footer = "  kavach agent rotate agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "AGENT_ID", description = "The agent's id (agt_...).")
        String agentId;
        @Option(names = "--json", description = "Print the agent and its new token as JSON.")
        boolean json;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() {
            try (Kavach kavach = db.open(false)) {
                AgentCredentials rotated = kavach.agents().rotateToken(agentId);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(Json.credentials(rotated, kavach.clock().instant()));
                } else {
                    out.println("Rotated the token of agent " + rotated.agent().id() + "; the old one no longer works");
                    out.println("  token: " + rotated.token());
                    out.println("The token is shown only now: store it where the agent can read it.");
                }
                return KavachCli.OK;
            }
        }
    }
}
