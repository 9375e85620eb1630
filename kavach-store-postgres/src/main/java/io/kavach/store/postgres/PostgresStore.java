package io.kavach.store.postgres;

import io.kavach.error.InvalidInputException;
import io.kavach.error.StoreException;
import io.kavach.spi.KavachStore;
import io.kavach.spi.StoreSession;
import io.kavach.store.postgres.internal.PgDatabase;
import io.kavach.store.postgres.internal.PgOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The shared {@link KavachStore}: one PostgreSQL database, reached through Jdbi and a HikariCP pool,
 * which any number of Kavach instances, in any number of processes, can use at once.
 *
 * <p>Guarantees, on top of the {@link KavachStore} contract:
 * <ul>
 *   <li>{@link #write} units run one at a time across every instance on the database: each holds a
 *       transaction-scoped advisory lock ({@code pg_advisory_xact_lock}) from its start to its
 *       COMMIT, the PostgreSQL counterpart of SQLite's single writer. Budget limits, the audit
 *       chain and revocations therefore hold across instances exactly as within one.</li>
 *   <li>Serialization failures and deadlocks (SQLSTATE 40001, 40P01) are retried inside the store,
 *       with a short jittered backoff, for up to the retry budget; they never reach callers.</li>
 *   <li>{@link #read} units run in a READ ONLY, REPEATABLE READ transaction: one snapshot.</li>
 *   <li>The schema is created and upgraded when the store opens, under an advisory lock, so several
 *       instances starting at once migrate it exactly once. A schema newer than this code knows is
 *       refused.</li>
 * </ul>
 *
 * <p>The PostgreSQL JDBC driver is a dependency of this module (compile scope), so
 * {@link #open(String, String, String)} works out of the box. Open a store once per process and
 * share it; it is thread-safe. {@link #close()} it when done.
 *
 * <pre>{@code
 * KavachStore store = PostgresStore.builder("jdbc:postgresql://db:5432/kavach", "kavach", secret)
 *         .poolSize(16)
 *         .build();
 * }</pre>
 */
public final class PostgresStore implements KavachStore {
    private final PgDatabase database;

    private PostgresStore(PgDatabase database) {
        this.database = database;
    }

    /**
     * Opens the store in the database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db}),
     * with the default options.
     *
     * @throws InvalidInputException when an argument is null or the URL is not a PostgreSQL URL
     * @throws StoreException        when the database cannot be reached or migrated
     */
    public static PostgresStore open(String jdbcUrl, String user, String password) {
        return builder(jdbcUrl, user, password).build();
    }

    /**
     * Opens the store on connections from {@code dataSource} (the driver's, or an application's
     * pool), with the default options.
     */
    public static PostgresStore open(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** A builder for a store at {@code jdbcUrl}. */
    public static Builder builder(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null) {
            throw new InvalidInputException("jdbcUrl", null, "must not be null");
        }
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException("jdbcUrl", redact(jdbcUrl), "must start with jdbc:postgresql:");
        }
        if (user == null) {
            throw new InvalidInputException("user", null, "must not be null");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setURL(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("jdbcUrl", redact(jdbcUrl), "is not a valid PostgreSQL URL");
        }
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return new Builder(dataSource, redact(jdbcUrl));
    }

    /** A builder for a store on connections from {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        if (dataSource == null) {
            throw new InvalidInputException("dataSource", null, "must not be null");
        }
        return new Builder(dataSource, dataSource.getClass().getSimpleName());
    }

    /** The URL without its query string, which may hold a password. */
    private static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Override
    public <T> T read(Function<StoreSession, T> work) {
        return database.read(Objects.requireNonNull(work, "work"));
    }

    @Override
    public <T> T write(Function<StoreSession, T> work) {
        return database.write(Objects.requireNonNull(work, "work"));
    }

    /** Closes the connection pool. Idempotent. */
    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return "PostgresStore[" + database.name() + "]";
    }

    /**
     * Options for a {@link PostgresStore}. Each setter checks its value at once and throws an
     * {@link InvalidInputException} naming the option; {@link #build()} opens the store. Not
     * thread-safe.
     */
    public static final class Builder {
        /** HikariCP refuses connection timeouts below this. */
        private static final long MIN_CONNECTION_TIMEOUT_MILLIS = 250;

        private final DataSource dataSource;
        private final String name;
        private int poolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(30);
        private Duration retryBudget = Duration.ofSeconds(30);

        private Builder(DataSource dataSource, String name) {
            this.dataSource = dataSource;
            this.name = name;
        }

        /** The most connections the store opens. Default 10; at least 1. */
        public Builder poolSize(int size) {
            if (size < 1) {
                throw new InvalidInputException("poolSize", size, "must be at least 1");
            }
            this.poolSize = size;
            return this;
        }

        /** How long a unit of work waits for a pooled connection. Default 30 seconds; at least 250 ms. */
        public Builder connectionTimeout(Duration timeout) {
            if (timeout == null) {
                throw new InvalidInputException("connectionTimeout", null, "must not be null");
            }
            if (timeout.isNegative() || timeout.toMillis() < MIN_CONNECTION_TIMEOUT_MILLIS) {
                throw new InvalidInputException("connectionTimeout", timeout, "must be at least 250 milliseconds");
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * How long a unit of work that met a serialization failure or a deadlock is retried before a
         * {@link StoreException} reports it. Default 30 seconds; at least 1 millisecond.
         */
        public Builder retryBudget(Duration budget) {
            if (budget == null) {
                throw new InvalidInputException("retryBudget", null, "must not be null");
            }
            if (budget.isNegative() || budget.toMillis() < 1) {
                throw new InvalidInputException("retryBudget", budget, "must be at least 1 millisecond");
            }
            this.retryBudget = budget;
            return this;
        }

        /**
         * Opens the store: connects, and applies the schema migrations the database lacks.
         *
         * @throws StoreException when the database cannot be reached, or has a schema newer than
         *                        this code knows
         */
        public PostgresStore build() {
            return new PostgresStore(PgDatabase.open(new PgOptions(name, poolSize, connectionTimeout, retryBudget),
                    dataSource));
        }
    }
}
