package io.kavach.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the kavach command in-process, capturing what it prints. */
final class Cli {
    static {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    private static final Pattern AGENT_ID = Pattern.compile("agt_[0-9A-Z]{26}");
    private static final Pattern POLICY_ID = Pattern.compile("pol_[0-9A-Z]{26}");

    private Cli() {
    }

    /** What one run printed and returned. */
    record Result(int exit, String out, String err) {
        String agentId() {
            return first(AGENT_ID, out);
        }

        String policyId() {
            return first(POLICY_ID, out);
        }

        List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs {@code kavach args...}. */
    static Result exec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KavachCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Runs {@code kavach args... --db db}. */
    static Result run(Path db, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--db");
        all.add(db.toString());
        return exec(all.toArray(String[]::new));
    }

    /** Creates an agent of alice with the permissions and returns its id. */
    static String agent(Path db, String name, String... permissions) {
        List<String> args = new ArrayList<>(List.of("agent", "create", "--owner", "alice", "--name", name));
        for (String permission : permissions) {
            args.add("--permission");
            args.add(permission);
        }
        Result created = run(db, args.toArray(String[]::new));
        if (created.exit() != 0) {
            throw new AssertionError(created.toString());
        }
        return created.agentId();
    }

    /** Runs SQL on the database behind Kavach's back (to tamper with it or age its counters). */
    static void sql(Path db, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.executeUpdate(statement);
            }
        }
    }

    static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + pattern + " in:\n" + text);
        }
        return m.group();
    }
}
