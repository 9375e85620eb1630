package io.kavach.store.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kavach.error.KavachException;
import io.kavach.error.StoreException;
import io.kavach.spi.StoreSession;
import io.kavach.store.jdbi.BudgetPolicyMapper;
import io.kavach.store.jdbi.DelegationMapper;
import io.kavach.store.jdbi.EpochMillisArgumentFactory;
import io.kavach.store.jdbi.JdbiDialect;
import io.kavach.store.jdbi.JdbiSession;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The machinery behind {@code PostgresStore}: the pool, the transactions, the write lock shared by
 * every Kavach instance on the database, and the retries of units that met a serialization failure
 * or a deadlock.
 *
 * <p>Every write unit runs in one READ COMMITTED transaction that first takes the transaction-scoped
 * advisory lock {@link #WRITE_LOCK_KEY}: write units on one database (in this process or any other)
 * run one at a time, exactly like SQLite's single writer, so every check-then-write of Kavach (budget
 * limits, the audit chain's head, revocations) sees the effects of every unit committed before it.
 * The lock is released by COMMIT or ROLLBACK, and by the server when a connection dies. Read units run
 * in READ ONLY REPEATABLE READ transactions: one snapshot, never waiting for writers.
 */
public final class PgDatabase implements AutoCloseable {
    /** The Postgres stores of a session, and how its errors read. */
    private static final JdbiDialect DIALECT = new JdbiDialect(PostgresAuditStore::new, PostgresCostStore::new,
            PgErrors::translate, List.of(AuditDao.class, CostDao.class), Map.of(
                    BudgetPolicyMapper.POOL_AGENT_IDS,
                    "(SELECT COALESCE(json_agg(m.agent_id)::text, '[]') FROM budget_pool_members m WHERE m.policy_id = p.id)",
                    DelegationMapper.PARENT_IDS,
                    "(SELECT COALESCE(json_agg(p.parent_chain_id ORDER BY p.position)::text, '[]') FROM delegation_parents p"
                            + " WHERE p.chain_id = d.id)"));

    /** The advisory lock key of Kavach's writers ("KAVACH" in ASCII). */
    public static final long WRITE_LOCK_KEY = 0x4B4156414348L;
    /** The advisory lock key that serializes migrations (one more than the write lock's). */
    public static final long MIGRATION_LOCK_KEY = WRITE_LOCK_KEY + 1;
    private static final long MAX_BACKOFF_MILLIS = 50;

    private final PgOptions options;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final AtomicBoolean closed = new AtomicBoolean();

    private PgDatabase(PgOptions options, HikariDataSource pool, Jdbi jdbi) {
        this.options = options;
        this.pool = pool;
        this.jdbi = jdbi;
    }

    /**
     * Opens a pool on {@code dataSource} (a driver's data source, or an application's pool) and
     * migrates the schema.
     *
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static PgDatabase open(PgOptions options, DataSource dataSource) {
        HikariDataSource pool = null;
        try {
            HikariConfig hikari = new HikariConfig();
            hikari.setDataSource(dataSource);
            hikari.setPoolName("kavach-postgres");
            hikari.setMaximumPoolSize(options.poolSize());
            hikari.setMinimumIdle(Math.min(2, options.poolSize()));
            hikari.setAutoCommit(true);
            hikari.setConnectionTimeout(options.connectionTimeout().toMillis());
            // Fail here, with the driver's message, when the server cannot be reached.
            hikari.setInitializationFailTimeout(1);
            HikariDataSource opened = new HikariDataSource(hikari);
            pool = opened;
            Jdbi jdbi = Jdbi.create(opened);
            jdbi.installPlugin(new SqlObjectPlugin());
            jdbi.registerArgument(new EpochMillisArgumentFactory());
            JdbiSession.prepare(jdbi, DIALECT);
            retrying(options, "migrating the schema of " + options.name(),
                    () -> inTransaction(jdbi, opened, Connection.TRANSACTION_READ_COMMITTED, false, MIGRATION_LOCK_KEY,
                            Migrator::migrate));
            return new PgDatabase(options, opened, jdbi);
        } catch (RuntimeException | Error e) {
            closeQuietly(pool, e);
            if (e instanceof KavachException kavach) {
                throw kavach;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new StoreException("cannot open the PostgreSQL store " + options.name() + ": "
                    + PgErrors.describe(e), e);
        }
    }

    public String name() {
        return options.name();
    }

    /** Runs {@code work} in a read-only REPEATABLE READ transaction. */
    public <T> T read(Function<StoreSession, T> work) {
        requireOpen();
        return retrying(options, "a read",
                () -> inTransaction(jdbi, pool, Connection.TRANSACTION_REPEATABLE_READ, true, null,
                        JdbiSession.unit(DIALECT, work, false)));
    }

    /** Runs {@code work} in one READ COMMITTED transaction holding the database-wide write lock. */
    public <T> T write(Function<StoreSession, T> work) {
        requireOpen();
        if (writing.get()) {
            // The outer unit holds the write lock on its own connection: the inner one would wait
            // for it forever.
            throw new IllegalStateException("KavachStore.write units must not be nested");
        }
        writing.set(Boolean.TRUE);
        try {
            return retrying(options, "a write",
                    () -> inTransaction(jdbi, pool, Connection.TRANSACTION_READ_COMMITTED, false, WRITE_LOCK_KEY,
                            JdbiSession.unit(DIALECT, work, true)));
        } finally {
            writing.remove();
        }
    }


    /**
     * Runs {@code body} in a transaction on a pooled connection: at {@code isolation}, read-only or
     * not, first taking the advisory lock {@code lockKey} when it is not null. Rolls back when the
     * body or the commit fails, and rethrows.
     */
    private static <T> T inTransaction(Jdbi jdbi, HikariDataSource pool, int isolation, boolean readOnly,
            Long lockKey, Function<Handle, T> body) {
        try (Handle handle = jdbi.open()) {
            Connection connection = handle.getConnection();
            T result;
            try {
                // Local settings of the driver: it sends BEGIN (READ ONLY) with the first statement.
                connection.setAutoCommit(false);
                connection.setReadOnly(readOnly);
                // Transaction-scoped, unlike Connection.setTransactionIsolation (a session setting),
                // so it holds whatever the server's default_transaction_isolation is, and behind a
                // transaction-mode pooler. Writers need READ COMMITTED: each statement after the lock
                // then sees every unit committed before it was granted.
                handle.execute(isolation == Connection.TRANSACTION_REPEATABLE_READ
                        ? "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
                        : "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
                if (lockKey != null) {
                    handle.createQuery("SELECT pg_advisory_xact_lock(:key)").bind("key", lockKey.longValue())
                            .map((rs, ctx) -> Boolean.TRUE).one();
                }
                result = body.apply(handle);
                connection.commit();
            } catch (RuntimeException | Error e) {
                rollback(connection, pool, e);
                throw e;
            } catch (java.sql.SQLException e) {
                rollback(connection, pool, e);
                throw new org.jdbi.v3.core.ConnectionException(e);
            }
            restore(connection, pool);
            return result;
        }
    }

    private static void rollback(Connection connection, HikariDataSource pool, Throwable failure) {
        try {
            connection.rollback();
            restore(connection, pool);
        } catch (java.sql.SQLException | RuntimeException e) {
            // The connection is broken: do not hand it to the next unit.
            failure.addSuppressed(e);
            evict(connection, pool, failure);
        }
    }

    /** Puts the connection back in auto-commit, read-write mode for the pool. */
    private static void restore(Connection connection, HikariDataSource pool) {
        try {
            connection.setAutoCommit(true);
            connection.setReadOnly(false);
        } catch (java.sql.SQLException e) {
            evict(connection, pool, e);
        }
    }

    private static void evict(Connection connection, HikariDataSource pool, Throwable failure) {
        try {
            pool.evictConnection(connection);
        } catch (RuntimeException evictionFailure) {
            failure.addSuppressed(evictionFailure);
        }
    }

    /**
     * Runs {@code attempt}, again after a short backoff for as long as it fails with a serialization
     * failure or deadlock and the retry budget lasts. Translates database failures into
     * {@link StoreException}s; other exceptions, from the unit of work, propagate unchanged.
     */
    private static <T> T retrying(PgOptions options, String what, Supplier<T> attempt) {
        long deadline = System.nanoTime() + options.retryBudget().toNanos();
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!PgErrors.isRetryable(e)) {
                    throw PgErrors.translate(what, e);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new StoreException("the database " + options.name() + " kept failing with serialization"
                            + " failures or deadlocks for " + options.retryBudget().toMillis() + " ms (" + attempts
                            + " attempts at " + what + "): " + PgErrors.describe(e), e);
                }
                backoff(attempts, e);
            }
        }
    }

    private static void backoff(int attempts, RuntimeException cause) {
        long ceiling = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempts, 6));
        try {
            // Jittered, so that two units that collided do not collide again in step.
            Thread.sleep(1 + ThreadLocalRandom.current().nextLong(ceiling));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            StoreException interrupted = new StoreException("interrupted while retrying a unit of work", e);
            interrupted.addSuppressed(cause);
            throw interrupted;
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new StoreException("the PostgreSQL store " + options.name() + " is closed", null);
        }
    }

    /** Closes the pool. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.close();
        }
    }

    private static void closeQuietly(HikariDataSource pool, Throwable failure) {
        if (pool == null) {
            return;
        }
        try {
            pool.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
