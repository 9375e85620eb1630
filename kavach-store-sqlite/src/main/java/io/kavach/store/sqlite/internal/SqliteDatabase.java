package io.kavach.store.sqlite.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.kavach.error.KavachException;
import io.kavach.error.StoreException;
import io.kavach.spi.StoreSession;
import io.kavach.store.jdbi.BudgetPolicyMapper;
import io.kavach.store.jdbi.DelegationMapper;
import io.kavach.store.jdbi.EpochMillisArgumentFactory;
import io.kavach.store.jdbi.JdbcBatches;
import io.kavach.store.jdbi.JdbiDialect;
import io.kavach.store.jdbi.JdbiSession;
import io.kavach.store.jdbi.StatementCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The machinery behind {@code SqliteStore}: the two pools, the transactions, the write lock and the
 * retries of units that met a busy database.
 *
 * <p>Transactions are begun and ended with explicit {@code BEGIN IMMEDIATE} / {@code COMMIT}
 * statements on a connection the driver keeps in auto-commit mode, rather than through JDBC's
 * {@code commit()}: sqlite-jdbc's {@code commit()} at once begins the next transaction, which in
 * IMMEDIATE mode takes the write lock again and can fail with {@code SQLITE_BUSY} after the commit
 * has already succeeded, where a retry would apply the unit twice. With explicit statements the
 * write lock is taken at BEGIN and held to COMMIT, so a busy database is met at BEGIN, or at
 * COMMIT where the transaction is rolled back first; either way the whole unit can safely run again.
 */
public final class SqliteDatabase implements AutoCloseable {
    /** The Sqlite stores of a session, and how its errors read. */
    private static final JdbiDialect DIALECT = new JdbiDialect(SqliteAuditStore::new, SqliteCostStore::new,
            SqliteErrors::translate, List.of(AuditDao.class, CostDao.class), Map.of(
                    BudgetPolicyMapper.POOL_AGENT_IDS,
                    "(SELECT json_group_array(m.agent_id) FROM budget_pool_members m WHERE m.policy_id = p.id)",
                    DelegationMapper.PARENT_IDS,
                    "(SELECT json_group_array(p.parent_chain_id ORDER BY p.position) FROM delegation_parents p"
                            + " WHERE p.chain_id = d.id)"));

    private static final long MAX_BACKOFF_MILLIS = 50;

    private final StoreOptions options;
    private final HikariDataSource writePool;
    private final HikariDataSource readPool;
    private final Jdbi writer;
    private final Jdbi reader;
    /** Fair, so that in-process writers run in arrival order and none starves. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Checkpointer checkpointer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteDatabase(StoreOptions options, HikariDataSource writePool, Jdbi writer, HikariDataSource readPool,
                           Checkpointer checkpointer) {
        this.checkpointer = checkpointer;
        this.options = options;
        this.writePool = writePool;
        this.writer = writer;
        this.readPool = readPool;
        this.reader = jdbi(readPool);
    }

    /**
     * Opens the pools on {@code options.file()} and migrates the schema.
     *
     * @throws StoreException when the file cannot be opened or migrated
     */
    public static SqliteDatabase open(StoreOptions options) {
        HikariDataSource writePool = null;
        HikariDataSource readPool = null;
        try {
            // Opening is retried too: switching a new file to WAL while another process does the
            // same can report the file busy without waiting for the busy timeout.
            writePool = retrying(options, "opening " + options.file(), () -> Pools.writer(options));
            Jdbi writer = jdbi(writePool);
            HikariDataSource pool = writePool;
            retrying(options, "migrating the schema of " + options.file(),
                    () -> inTransaction(writer, pool, "BEGIN IMMEDIATE", handle -> Migrator.migrate(handle)));
            // Only now: the read pool's connections refuse to write, so they must not be the ones
            // that create the file or switch it to WAL.
            readPool = retrying(options, "opening " + options.file(), () -> Pools.reader(options));
            Checkpointer checkpointer = Checkpointer.start(Pools.checkpointer(options), options.file().toString());
            return new SqliteDatabase(options, writePool, writer, readPool, checkpointer);
        } catch (RuntimeException | Error e) {
            closeQuietly(readPool, e);
            closeQuietly(writePool, e);
            if (e instanceof KavachException kavach) {
                throw kavach;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new StoreException("cannot open the SQLite store " + options.file() + ": "
                    + SqliteErrors.describe(e), e);
        }
    }

    private static Jdbi jdbi(HikariDataSource pool) {
        Jdbi jdbi = Jdbi.create(pool);
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.registerArgument(new EpochMillisArgumentFactory());
        // sqlite-jdbc prepares every statement anew, which costs more than running most of ours.
        jdbi.setStatementBuilderFactory(new StatementCache());
        JdbiSession.prepare(jdbi, DIALECT);
        return jdbi;
    }

    public Path file() {
        return options.file();
    }

    /** Runs {@code work} in a read-only transaction on the read pool. */
    public <T> T read(Function<StoreSession, T> work) {
        requireOpen();
        // A deferred BEGIN: the snapshot is taken by the first read and kept until COMMIT.
        return retrying(options, "a read",
                () -> inTransaction(reader, readPool, "BEGIN", JdbiSession.unit(DIALECT, work, false)));
    }

    /** Runs {@code work} in one transaction on the write connection, one unit at a time. */
    public <T> T write(Function<StoreSession, T> work) {
        requireOpen();
        if (writeLock.isHeldByCurrentThread()) {
            // The single write connection is taken by the outer unit: the inner one would wait for
            // it until timing out.
            throw new IllegalStateException("KavachStore.write units must not be nested");
        }
        writeLock.lock();
        try {
            return retrying(options, "a write",
                    () -> inTransaction(writer, writePool, "BEGIN IMMEDIATE", JdbiSession.unit(DIALECT, work, true)));
        } finally {
            writeLock.unlock();
        }
    }


    /**
     * Runs {@code body} between {@code begin} and COMMIT on a connection of {@code pool}; rolls back
     * when the body or the commit fails, and rethrows.
     */
    private static <T> T inTransaction(Jdbi jdbi, HikariDataSource pool, String begin, Function<Handle, T> body) {
        try (Handle handle = jdbi.open()) {
            JdbcBatches.execute(handle, begin);
            T result;
            try {
                result = body.apply(handle);
                JdbcBatches.execute(handle, "COMMIT");
            } catch (RuntimeException | Error e) {
                rollback(handle, pool, e);
                throw e;
            }
            return result;
        }
    }

    private static void rollback(Handle handle, HikariDataSource pool, Throwable failure) {
        try {
            handle.execute("ROLLBACK");
        } catch (RuntimeException e) {
            // SQLite may have rolled back by itself (after an I/O error, say), or the connection is
            // broken. Either way, do not hand a connection in an unknown state to the next unit.
            failure.addSuppressed(e);
            try {
                pool.evictConnection(handle.getConnection());
            } catch (RuntimeException evictionFailure) {
                failure.addSuppressed(evictionFailure);
            }
        }
    }

    /**
     * Runs {@code attempt}, again after a short backoff for as long as it fails on a busy database
     * and the retry budget lasts. Translates database failures into {@link StoreException}s; other
     * exceptions, from the unit of work, propagate unchanged.
     */
    private static <T> T retrying(StoreOptions options, String what, Supplier<T> attempt) {
        long deadline = System.nanoTime() + options.retryBudget().toNanos();
        for (int attempts = 1; ; attempts++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!SqliteErrors.isBusy(e)) {
                    throw SqliteErrors.translate(what, e);
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new StoreException("the database " + options.file() + " stayed locked by another"
                            + " connection for " + options.retryBudget().toMillis() + " ms (" + attempts
                            + " attempts at " + what + ")", e);
                }
                backoff(attempts, e);
            }
        }
    }

    private static void backoff(int attempts, RuntimeException cause) {
        long ceiling = Math.min(MAX_BACKOFF_MILLIS, 1L << Math.min(attempts, 6));
        try {
            // Jittered, so that two processes that collided do not collide again in step.
            Thread.sleep(1 + ThreadLocalRandom.current().nextLong(ceiling));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            StoreException interrupted = new StoreException("interrupted while waiting for a locked database", e);
            interrupted.addSuppressed(cause);
            throw interrupted;
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new StoreException("the SQLite store " + options.file() + " is closed", null);
        }
    }

    /** Closes both pools. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            checkpointer.close();
            readPool.close();
            writePool.close();
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
