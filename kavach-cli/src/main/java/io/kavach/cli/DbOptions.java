package io.kavach.cli;

import io.kavach.Kavach;
import io.kavach.KavachListener;
import io.kavach.error.KavachException;
import io.kavach.store.postgres.PostgresStore;
import io.kavach.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --db} option every command has, and opening Kavach on it. */
final class DbOptions {
    static final String DEFAULT = "kavach.db";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--db", paramLabel = "FILE", defaultValue = "${env:KAVACH_DB:-" + DEFAULT + "}",
            description = "The database: a SQLite file (default: ./" + DEFAULT + ", or $KAVACH_DB; demo and the "
                    + "create commands make a new one, the others need an existing one), or a PostgreSQL JDBC URL "
                    + "such as jdbc:postgresql://host:5432/kavach, with the user in $KAVACH_DB_USER and the password "
                    + "in $KAVACH_DB_PASSWORD (never printed).")
    String db = DEFAULT;

    private static final String POSTGRES = "jdbc:postgresql:";
    static final String USER_VARIABLE = "KAVACH_DB_USER";
    static final String PASSWORD_VARIABLE = "KAVACH_DB_PASSWORD";

    /** Whether {@code --db} is a PostgreSQL JDBC URL. */
    boolean isPostgres() {
        return db != null && db.strip().toLowerCase(Locale.ROOT).startsWith(POSTGRES);
    }

    /** The SQLite file {@code --db} names. */
    Path path() {
        String value = db == null ? "" : db.strip();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith(POSTGRES)) {
            // Never echo the URL: it may carry credentials.
            throw usage("--db: this command works on a SQLite file; give a file path such as ./kavach.db");
        }
        if (lower.startsWith("jdbc:sqlite:")) {
            value = value.substring("jdbc:sqlite:".length());
        } else if (lower.startsWith("jdbc:")) {
            throw usage("--db: only SQLite files are supported; give a file path such as ./kavach.db");
        }
        if (value.isEmpty()) {
            throw usage("--db: must name a SQLite file, such as ./kavach.db");
        }
        Path path;
        try {
            path = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw usage("--db: '" + value + "' is not a usable file path: " + e.getReason());
        }
        if (Files.isDirectory(path)) {
            throw usage("--db: " + path + " is a directory; give a SQLite file inside it, such as " + path.resolve(DEFAULT));
        }
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw usage("--db: the directory " + parent + " does not exist");
        }
        return path;
    }

    /**
     * Opens Kavach on the database. Unless {@code create}, the file must exist already, so that a
     * mistyped path in a cron line fails instead of quietly working on a new, empty database.
     */
    Kavach open(boolean create, KavachListener... listeners) {
        Kavach.Builder builder = builder(create);
        for (KavachListener listener : listeners) {
            builder.listener(listener);
        }
        return builder.build();
    }

    /** A builder on the database, for commands that configure more (listeners, cost alert thresholds); see {@link #open}. */
    Kavach.Builder builder(boolean create) {
        if (isPostgres()) {
            return Kavach.builder().store(openPostgres());
        }
        Path path = path();
        if (!create && !Files.exists(path)) {
            throw new CliException("no Kavach database at " + path
                    + " (create one with 'kavach demo' or 'kavach agent create', or point --db at yours)");
        }
        return Kavach.builder().store(SqliteStore.open(path));
    }

    /**
     * Opens the PostgreSQL store with the credentials from the environment. Neither the URL's query
     * (which may hold a password) nor the password is ever part of a message.
     */
    private PostgresStore openPostgres() {
        String url = db.strip();
        String user = System.getenv(USER_VARIABLE);
        if (user == null || user.isBlank()) {
            throw usage("--db: a PostgreSQL URL needs the database user in $" + USER_VARIABLE
                    + " (and the password in $" + PASSWORD_VARIABLE + ")");
        }
        String password = System.getenv(PASSWORD_VARIABLE);
        try {
            return PostgresStore.open(url, user, password == null ? "" : password);
        } catch (KavachException e) {
            String message = String.valueOf(e.getMessage()).replace(url, withoutQuery(url));
            if (password != null && !password.isEmpty()) {
                message = message.replace(password, "***");
            }
            throw new CliException("cannot open the PostgreSQL database " + withoutQuery(url) + ": " + message);
        }
    }

    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
