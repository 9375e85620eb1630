package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kavach jar on a real PostgreSQL server (embedded, on loopback), with the credentials in the
 * environment as an operator's cron line would have them.
 */
class PostgresIT {
    private static final Path JAR = Path.of("target/kavach-cli.jar").toAbsolutePath();
    private static final String PASSWORD = "pg-s3cret-for-the-test";

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run kavach(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove(DbOptions.USER_VARIABLE);
        builder.environment().remove(DbOptions.PASSWORD_VARIABLE);
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("kavach finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theCommandsWorkOnPostgresAndNeverPrintThePassword() throws Exception {
        assertThat(JAR).exists();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            Map<String, String> env = Map.of(DbOptions.USER_VARIABLE, "postgres", DbOptions.PASSWORD_VARIABLE, PASSWORD);

            Run created = kavach(env, "agent", "create", "--db", url, "--owner", "alice", "--name", "bot",
                    "--permission", "llm:openai:*=execute");
            assertThat(created.exit()).as(created.err()).isZero();
            Matcher id = Pattern.compile("agt_[0-9A-Z]{26}").matcher(created.out());
            assertThat(id.find()).as(created.out()).isTrue();

            Run allowed = kavach(env, "authorize", "--db", url, "--agent", id.group(), "--action", "execute",
                    "--resource", "llm:openai:gpt-4o", "--tokens-cost", "10");
            assertThat(allowed.exit()).as(allowed.err()).isZero();
            Run denied = kavach(env, "authorize", "--db", url, "--agent", id.group(), "--action", "delete",
                    "--resource", "llm:openai:gpt-4o");
            assertThat(denied.exit()).isEqualTo(KavachCli.DENIED);
            Run reset = kavach(env, "policy", "reset", "--daily", "--db", url);
            assertThat(reset.exit()).as(reset.err()).isZero();
            Run verified = kavach(env, "audit", "verify", "--db", url);
            assertThat(verified.exit()).as(verified.err()).isZero();

            Run demo = kavach(env, "demo", "--db", url);
            assertThat(demo.exit()).isEqualTo(KavachCli.USAGE);
            assertThat(demo.err()).contains("SQLite file");

            Run unreachable = kavach(env, "audit", "verify", "--db", "jdbc:postgresql://127.0.0.1:1/kavach?password=" + PASSWORD);
            assertThat(unreachable.exit()).isEqualTo(KavachCli.FAILURE);

            for (Run run : List.of(created, allowed, denied, reset, verified, demo, unreachable)) {
                assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
            }
        }
    }
}
