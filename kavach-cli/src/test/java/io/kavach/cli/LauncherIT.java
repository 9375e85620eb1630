package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code ./kavach} launcher at the repository root as a user would, against the shaded
 * jar that the package phase built (so the launcher finds it up to date and does not build).
 */
class LauncherIT {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run kavach(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("kavach").toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherRunsTheDemoAndTheCronJobs() throws Exception {
        assertThat(REPO.resolve("kavach-cli/target/kavach-cli.jar")).exists();
        assertThat(Files.isExecutable(REPO.resolve("kavach"))).isTrue();

        Path db = dir.resolve("kavach.db");
        Run demo = kavach("demo", "--db", db.toString());
        assertThat(demo.exit()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("Kavach demo on " + db, "DENIED BUDGET_EXCEEDED", "chain intact");
        assertThat(demo.err().lines().filter(line -> !line.equals("Building kavach (first run)..."))).isEmpty();
        assertThat(dir.resolve("kavach-audit.csv")).isNotEmptyFile();

        // Default database: ./kavach.db in the working directory.
        Run reset = kavach("policy", "reset", "--daily", "--monthly");
        assertThat(reset.exit()).as(reset.err()).isZero();
        assertThat(reset.out().lines()).containsExactly("daily reset: 0 policies reset; monthly reset: 0 policies reset");

        Run pg = kavach("audit", "verify", "--db", "jdbc:postgresql://db.internal/kavach?password=s3cret");
        assertThat(pg.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(pg.err()).contains("$KAVACH_DB_USER").doesNotContain("s3cret");
    }
}
