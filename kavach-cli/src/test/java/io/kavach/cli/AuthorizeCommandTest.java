package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.cli.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorizeCommandTest {
    @TempDir
    Path dir;
    Path db;
    String agent;

    @BeforeEach
    void agent() {
        db = dir.resolve("kavach.db");
        agent = Cli.agent(db, "bot", "mcp:github:**=read", "llm:openai:*=execute");
    }

    @Test
    void allowedExitsZeroAndDeniedExitsThree() {
        Result allowed = Cli.run(db, "authorize", "--agent", agent, "--action", "read", "--resource", "mcp:github:repos");
        assertThat(allowed.exit()).isEqualTo(KavachCli.OK);
        assertThat(allowed.out()).startsWith("ALLOWED: ").containsPattern("audit: +aud_");

        Result denied = Cli.run(db, "authorize", "--agent", agent, "--action", "write", "--resource", "mcp:github:repos");
        assertThat(denied.exit()).isEqualTo(KavachCli.DENIED);
        assertThat(denied.out()).startsWith("DENIED PERMISSION_DENIED: ");
        assertThat(denied.err()).isEmpty();

        Result unknown = Cli.run(db, "authorize", "--agent", "agt_01JZ8K6V3X0M4N7Q9R2S5T8W1Y", "--action", "read",
                "--resource", "mcp:github:repos");
        assertThat(unknown.exit()).isEqualTo(KavachCli.DENIED);
        assertThat(unknown.out()).startsWith("DENIED AGENT_NOT_FOUND");
    }

    @Test
    void jsonPrintsTheDecision() throws Exception {
        String policy = Cli.run(db, "policy", "create", "--agent", agent, "--max-tokens-cost-per-day", "1000",
                "--action", "block").policyId();
        Result allowed = Cli.run(db, "authorize", "--agent", agent, "--action", "execute", "--resource", "llm:openai:gpt-4o",
                "--tokens-cost", "120", "--arg", "q=budgets", "--ip", "10.1.2.3", "--json");

        assertThat(allowed.exit()).as(allowed.toString()).isZero();
        JsonNode d = new ObjectMapper().readTree(allowed.out());
        assertThat(d.get("allowed").asBoolean()).isTrue();
        assertThat(d.get("code").asText()).isEqualTo("ALLOWED");
        assertThat(d.get("agentId").asText()).isEqualTo(agent);
        assertThat(d.get("auditId").asText()).startsWith("aud_");
        assertThat(d.get("usageId").asText()).isNotBlank();
        assertThat(d.get("grant").get("resource").asText()).isEqualTo("llm:openai:*");
        assertThat(d.get("warnings").isArray()).isTrue();
        assertThat(d.get("retryAfter").isNull()).isTrue();
        assertThat(d.get("timestamp").asText()).endsWith("Z");

        Result denied = Cli.run(db, "authorize", "--agent", agent, "--action", "execute", "--resource", "llm:openai:gpt-4o",
                "--tokens-cost", "5000", "--json");
        assertThat(denied.exit()).isEqualTo(KavachCli.DENIED);
        JsonNode no = new ObjectMapper().readTree(denied.out());
        assertThat(no.get("allowed").asBoolean()).isFalse();
        assertThat(no.get("code").asText()).isEqualTo("BUDGET_EXCEEDED");
        assertThat(no.get("triggeredPolicyIds").get(0).asText()).isEqualTo(policy);
        assertThat(no.get("grant").isNull()).isTrue();
    }

    @Test
    void malformedValuesAreUsageErrors() {
        Result star = Cli.run(db, "authorize", "--agent", agent, "--action", "*", "--resource", "mcp:github:repos");
        assertThat(star.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(star.err()).contains("action").hasLineCount(1);

        Result wildcard = Cli.run(db, "authorize", "--agent", agent, "--action", "read", "--resource", "mcp:*");
        assertThat(wildcard.exit()).isEqualTo(KavachCli.USAGE);

        Result negative = Cli.run(db, "authorize", "--agent", agent, "--action", "read", "--resource", "a:b", "--tokens-cost", "-5");
        assertThat(negative.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(negative.err()).contains("tokensCost");

        Result notANumber = Cli.run(db, "authorize", "--agent", agent, "--action", "read", "--resource", "a:b", "--tokens-cost", "ten");
        assertThat(notANumber.exit()).isEqualTo(KavachCli.USAGE);

        Result missing = Cli.run(db, "authorize", "--agent", agent, "--action", "read");
        assertThat(missing.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(missing.err()).contains("--resource").hasLineCount(1);
    }

    @Test
    void aPostgresUrlWithoutCredentialsIsAClearUsageErrorThatNeverEchoesIt() {
        Result pg = Cli.exec("authorize", "--agent", agent, "--action", "read", "--resource", "mcp:github:repos",
                "--db", "jdbc:postgresql://db.internal:5432/kavach?user=kavach&password=s3cret");
        assertThat(pg.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(pg.err()).contains("$KAVACH_DB_USER").doesNotContain("s3cret", "db.internal")
                .hasLineCount(1);
        assertThat(pg.out()).isEmpty();

        assertThat(Cli.exec("agent", "list", "--db", "jdbc:mysql://x/y").exit()).isEqualTo(KavachCli.USAGE);
        assertThat(Cli.exec("agent", "list", "--db", dir.resolve("no-such-dir").resolve("k.db").toString()).exit())
                .isEqualTo(KavachCli.USAGE);
        assertThat(Cli.exec("agent", "list", "--db", "jdbc:sqlite:" + db).exit()).isZero();
    }

    @Test
    void aFileThatIsNotADatabaseIsAFailure() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "this is not a SQLite database, just text that is long enough to look like a header");
        Result result = Cli.run(junk, "agent", "list");
        assertThat(result.exit()).isEqualTo(KavachCli.FAILURE);
        assertThat(result.err()).hasLineCount(1);
    }
}
