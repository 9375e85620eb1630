package io.kavach.cli;

import io.kavach.Kavach;
import io.kavach.KavachListener;
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
            description = "The database, a SQLite file (default: ./" + DEFAULT + ", or $KAVACH_DB). demo and the "
                    + "create commands make a new one; the others need an existing one. (A PostgreSQL JDBC URL needs "
                    + "the PostgreSQL store, which is not in this build.)")
    String db = DEFAULT;

    /** The SQLite file {@code --db} names. */
    Path path() {
        String value = db == null ? "" : db.strip();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            // Never echo the URL: it may carry credentials.
            throw usage("--db: the PostgreSQL store is not available in this build; give a SQLite file path");
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
        Path path = path();
        if (!create && !Files.exists(path)) {
            throw new CliException("no Kavach database at " + path
                    + " (create one with 'kavach demo' or 'kavach agent create', or point --db at yours)");
        }
        return Kavach.builder().store(SqliteStore.open(path));
    }

    private ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
