package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.cli.Cli.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCommandsTest {
    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("kavach.db");
    }

    @Test
    void createPrintsTheIdAndTheTokenOnce() {
        Result created = Cli.run(db(), "agent", "create", "--owner", "alice", "--name", "research-bot",
                "--permission", "mcp:github:**=read", "-p", "llm:openai:*=execute,stream", "--tenant", "acme");

        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).contains("Created agent " + created.agentId(), "owner alice", "tenant acme")
                .containsPattern("token: +kv_\\S+")
                .contains("mcp:github:**=read", "llm:openai:*=execute,stream");
        String token = Cli.first(Pattern.compile("kv_\\S+"), created.out());

        Result got = Cli.run(db(), "agent", "get", created.agentId());
        assertThat(got.exit()).isZero();
        assertThat(got.out()).contains(created.agentId(), "research-bot", "active", "mcp:github:**=read")
                .doesNotContain(token);
    }

    @Test
    void createWithJsonAndExpiry() throws Exception {
        Instant before = Instant.now();
        Result created = Cli.run(db(), "agent", "create", "--owner", "bob", "--name", "ci", "--type", "SERVICE",
                "--expires-in", "7d", "--json");

        assertThat(created.exit()).as(created.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(created.out());
        assertThat(json.get("id").asText()).startsWith("agt_");
        assertThat(json.get("token").asText()).startsWith("kv_");
        assertThat(json.get("type").asText()).isEqualTo("SERVICE");
        Instant expires = Instant.parse(json.get("expiresAt").asText());
        assertThat(expires).isBetween(before.plus(Duration.ofDays(7)).minusSeconds(5), Instant.now().plus(Duration.ofDays(7)));
    }

    @Test
    void listFiltersByOwner() {
        String a = Cli.agent(db(), "one", "api:x=call");
        Cli.run(db(), "agent", "create", "--owner", "bob", "--name", "two");

        Result alice = Cli.run(db(), "agent", "list", "--owner", "alice");
        assertThat(alice.exit()).isZero();
        assertThat(alice.out()).contains(a, "one", "api:x=call").doesNotContain("bob");
        assertThat(Cli.run(db(), "agent", "list").outLines()).hasSize(3);
        assertThat(Cli.run(db(), "agent", "list", "--owner", "carol").out()).contains("No agents match.");
    }

    @Test
    void rotateReplacesTheTokenAndRevokeStopsTheAgent() {
        String id = Cli.agent(db(), "bot", "api:search=call");
        Result rotated = Cli.run(db(), "agent", "rotate", id);
        assertThat(rotated.exit()).isZero();
        assertThat(rotated.out()).contains("Rotated the token of agent " + id).containsPattern("token: kv_\\S+");

        Result revoked = Cli.run(db(), "agent", "revoke", id);
        assertThat(revoked.exit()).isZero();
        assertThat(revoked.out()).contains("Revoked agent " + id);
        assertThat(Cli.run(db(), "agent", "get", id).out()).contains("revoked");
        assertThat(Cli.run(db(), "authorize", "--agent", id, "--action", "call", "--resource", "api:search").exit())
                .isEqualTo(KavachCli.DENIED);
        Result rotateRevoked = Cli.run(db(), "agent", "rotate", id);
        assertThat(rotateRevoked.exit()).isEqualTo(KavachCli.FAILURE);
        assertThat(rotateRevoked.err().lines()).hasSize(1);
    }

    @Test
    void usageErrorsExitWithTwoAndOneLine() {
        Result badPermission = Cli.run(db(), "agent", "create", "--owner", "alice", "--name", "x", "--permission", "mcp:github");
        assertThat(badPermission.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(badPermission.err()).contains("--permission", "RESOURCE=ACTION").hasLineCount(1);

        Result badPattern = Cli.run(db(), "agent", "create", "--owner", "alice", "--name", "x", "--permission", "mcp:**:x=read");
        assertThat(badPattern.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(badPattern.err()).hasLineCount(1);

        Result missing = Cli.run(db(), "agent", "create", "--name", "x");
        assertThat(missing.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(missing.err()).contains("--owner").hasLineCount(1);

        Result badExpiry = Cli.run(db(), "agent", "create", "--owner", "a", "--name", "x", "--expires-in", "7 days");
        assertThat(badExpiry.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(badExpiry.err()).contains("30m, 12h or 7d");

        Result blankOwner = Cli.run(db(), "agent", "create", "--owner", " ", "--name", "x");
        assertThat(blankOwner.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(blankOwner.err()).contains("invalid input", "ownerId").hasLineCount(1);

        Result badLimit = Cli.run(db(), "agent", "list", "--limit", "0");
        assertThat(badLimit.exit()).isEqualTo(KavachCli.USAGE);
    }

    @Test
    void unknownAgentIsAFailure() {
        Cli.agent(db(), "bot");
        Result missing = Cli.run(db(), "agent", "get", "agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y");
        assertThat(missing.exit()).isEqualTo(KavachCli.FAILURE);
        assertThat(missing.err()).contains("agent not found: agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y").hasLineCount(1);
    }

    @Test
    void commandsOtherThanCreateNeedAnExistingDatabase() {
        Result list = Cli.run(dir.resolve("typo.db"), "agent", "list");
        assertThat(list.exit()).isEqualTo(KavachCli.FAILURE);
        assertThat(list.err()).contains("no Kavach database at").hasLineCount(1);
        assertThat(dir.resolve("typo.db")).doesNotExist();
    }
}
