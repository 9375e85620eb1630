package io.kavach.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kavach.cli.Cli.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

class CommandLineTest {

    /** Every command's path, such as [agent, create]. */
    private static List<List<String>> commands(CommandLine cli, List<String> path) {
        List<List<String>> all = new ArrayList<>();
        for (var sub : cli.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            all.add(subPath);
            all.addAll(commands(sub.getValue(), subPath));
        }
        return all;
    }

    @Test
    void everyCommandHasHelpWithAnExampleAndTheDbOption() {
        CommandLine root = KavachCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<List<String>> commands = commands(root, List.of());
        assertThat(commands).hasSize(21);
        PrintStream stderr = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            Result help;
            System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
            try {
                help = Cli.exec(args.toArray(String[]::new));
            } finally {
                System.setErr(stderr);
            }
            assertThat(picocliWarnings.toString(StandardCharsets.UTF_8)).as(String.join(" ", command)).isEmpty();
            assertThat(help.exit()).as(String.join(" ", command)).isZero();
            assertThat(help.out()).as(String.join(" ", command)).containsPattern("Examples?:").contains("Usage: kavach");
            CommandLine c = root;
            for (String name : command) {
                c = c.getSubcommands().get(name);
            }
            if (c.getSubcommands().isEmpty()) {
                assertThat(help.out()).as(String.join(" ", command)).contains("--db=FILE");
            }
        }
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        Result none = Cli.exec();
        assertThat(none.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(none.err()).contains("Usage: kavach", "demo", "agent", "policy", "authorize", "audit");
        Result agent = Cli.exec("agent");
        assertThat(agent.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(agent.err()).contains("create", "rotate");
        Result unknown = Cli.exec("frobnicate");
        assertThat(unknown.exit()).isEqualTo(KavachCli.USAGE);
        assertThat(unknown.err()).contains("frobnicate").hasLineCount(1);
        Result version = Cli.exec("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("kavach ");
        assertThat(Cli.exec("help", "audit", "export").out()).contains("--format");
    }

    @Test
    void instantsAcceptIsoAndDates() {
        assertThat(Converters.parseInstant("2026-01-01")).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(Converters.parseInstant("2026-01-01T00:00:00Z")).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(Converters.parseInstant("2026-01-01T05:30:00+05:30")).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(Converters.parseInstant("2026-01-01T09:15")).isEqualTo(Instant.parse("2026-01-01T09:15:00Z"));
        assertThat(Converters.parseInstant("2026-01-01T09:15:00.250Z")).isEqualTo(Instant.parse("2026-01-01T09:15:00.250Z"));
        assertThatThrownBy(() -> Converters.parseInstant("2026-13-01")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> Converters.parseInstant("last week")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void durations() {
        Converters.DurationConverter d = new Converters.DurationConverter();
        assertThat(d.convert("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(d.convert("12H")).isEqualTo(Duration.ofHours(12));
        assertThat(d.convert("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> d.convert("0s")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> d.convert("-1d")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> d.convert("soon")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void demoCsvSitsNextToTheDatabase() {
        assertThat(DemoCommand.csvPath(Path.of("/var/lib/kavach.db"))).isEqualTo(Path.of("/var/lib/kavach-audit.csv"));
        assertThat(DemoCommand.csvPath(Path.of("/tmp/store"))).isEqualTo(Path.of("/tmp/store-audit.csv"));
    }

    @Test
    void idsCarryTheirTime() {
        assertThat(AuditCommand.idTime("aud_01JZ8K6V3X0M4N7Q9R2S5T8W1Y")).isAfter(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(AuditCommand.idTime("nonsense")).isNull();
    }
}
