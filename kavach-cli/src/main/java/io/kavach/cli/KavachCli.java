package io.kavach.cli;

import io.kavach.error.InvalidInputException;
import io.kavach.error.KavachException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code kavach} command. Exit codes: {@value #OK} success (and an allowed authorize),
 * {@value #FAILURE} a failure (including a tampered audit chain), {@value #USAGE} a usage error or
 * a rejected value, {@value #DENIED} a denied authorize.
 */
@Command(name = "kavach", mixinStandardHelpOptions = true, versionProvider = KavachCli.Version.class,
        description = {
            "Authorization, budgets and audit for AI agents: the command line of Kavach.",
            "Every command works on one database: --db takes a SQLite file (default ./kavach.db, or "
                + "$KAVACH_DB)."},
        subcommands = {
            DemoCommand.class,
            AgentCommand.class,
            PolicyCommand.class,
            AuthorizeCommand.class,
            AuditCommand.class,
            CostCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  kavach demo                                  a guided tour on ./kavach.db",
            "  kavach agent create --owner alice --name research-bot --permission 'llm:openai:*=execute'",
            "  kavach policy reset --daily                  the daily cron job",
            "  kavach audit export --format csv --since 2026-01-01 --until 2026-02-01 --out audit-2026-01.csv",
            "  kavach cost report --top 10                  this month's most expensive agents",
            "",
            "Exit codes: 0 ok (or allowed), 1 failure, 2 usage error, 3 denied (authorize)."})
public final class KavachCli implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int DENIED = 3;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // Hibernate Validator logs through JBoss Logging: route it to SLF4J, which shows warnings only.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The configured command line, printing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new KavachCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(100);
        cli.setUsageHelpAutoWidth(true);
        unsortedOptions(cli);
        cli.setParameterExceptionHandler(KavachCli::usageError);
        cli.setExecutionExceptionHandler(KavachCli::failure);
        return cli;
    }

    /** Options in the order they are declared (the required ones first), not alphabetical. */
    private static void unsortedOptions(CommandLine cli) {
        cli.getCommandSpec().usageMessage().sortOptions(false);
        cli.getSubcommands().values().forEach(KavachCli::unsortedOptions);
    }

    @Override
    public Integer call() {
        return missingSubcommand(spec);
    }

    /** A parent command run without a subcommand: its usage on stderr, exit 2. */
    static int missingSubcommand(CommandSpec spec) {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String name = cli.getCommandSpec().qualifiedName();
        cli.getErr().println(name + ": " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
        return USAGE;
    }

    private static int failure(Exception e, CommandLine cli, ParseResult parsed) {
        String name = cli.getCommandSpec().qualifiedName();
        PrintWriter err = cli.getErr();
        if (e instanceof ParameterException p) {
            return usageError(p, new String[0]);
        }
        if (e instanceof InvalidInputException invalid) {
            err.println(name + ": invalid input: " + oneLine(withoutCode(invalid)) + " (see '" + name + " --help')");
            return USAGE;
        }
        if (e instanceof CliException explained) {
            err.println(name + ": " + oneLine(explained.getMessage()));
        } else if (e instanceof KavachException kavach) {
            err.println(name + ": " + oneLine(withoutCode(kavach)));
        } else if (e instanceof UncheckedIOException io) {
            err.println(name + ": " + oneLine(String.valueOf(io.getCause() == null ? io.getMessage() : io.getCause().getMessage())));
        } else {
            err.println(name + ": unexpected error: " + oneLine(e.toString()));
        }
        if (System.getenv("KAVACH_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return FAILURE;
    }

    /** A KavachException's message without the leading code ({@code "NOT_FOUND: "}). */
    static String withoutCode(KavachException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = e.code() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** The version from the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = KavachCli.class.getResourceAsStream("/kavach-cli.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"kavach " + properties.getProperty("version", "(development)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
