package io.kavach.store.sqlite.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.kavach.error.StoreException;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Builds the two HikariCP pools of a store, with the SQLite settings every connection needs. */
final class Pools {
    /**
     * The writer's automatic checkpoint threshold, in pages: far above SQLite's 1000, since the
     * {@link Checkpointer} does the work; this only bounds the log should it fall behind.
     */
    static final int WRITER_AUTOCHECKPOINT_PAGES = 16_000;

    /** The writer's page cache, in KiB (SQLite's default is 2,000). */
    static final int WRITER_CACHE_KIB = 65_536;

    /** HikariCP refuses connection timeouts below this. */
    private static final long MIN_CONNECTION_TIMEOUT_MILLIS = 250;

    private Pools() {
    }

    /**
     * The write pool: exactly one connection, so that in-process writers queue in Java instead of
     * on SQLite's lock, and every transaction on it begins IMMEDIATE.
     */
    static HikariDataSource writer(StoreOptions options) {
        SQLiteConfig config = baseConfig(options);
        // Transactions the driver starts on this connection take the write lock at BEGIN. (The
        // store itself issues BEGIN IMMEDIATE explicitly, see SqliteDatabase, so that a busy lock
        // can only ever be met at BEGIN, where retrying is always safe.)
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // A larger page cache for the one connection that writes: the audit indexes' pages stay in memory.
        config.setCacheSize(-WRITER_CACHE_KIB);
        HikariConfig hikari = hikari(options, config, "kavach-sqlite-write");
        hikari.setMaximumPoolSize(1);
        hikari.setMinimumIdle(1);
        hikari.setConnectionInitSql("PRAGMA wal_autocheckpoint = " + WRITER_AUTOCHECKPOINT_PAGES);
        return new HikariDataSource(hikari);
    }

    /** The read pool: connections that refuse to write, so a read unit cannot change anything. */
    static HikariDataSource reader(StoreOptions options) {
        SQLiteConfig config = baseConfig(options);
        HikariConfig hikari = hikari(options, config, "kavach-sqlite-read");
        hikari.setMaximumPoolSize(options.readPoolSize());
        hikari.setMinimumIdle(1);
        // After the driver's own pragmas (journal_mode among them) have run.
        hikari.setConnectionInitSql("PRAGMA query_only = ON");
        return new HikariDataSource(hikari);
    }

    /** A data source for one connection of the {@link Checkpointer}, with the usual settings. */
    static SQLiteDataSource checkpointer(StoreOptions options) {
        SQLiteDataSource dataSource = new SQLiteDataSource(baseConfig(options));
        dataSource.setUrl("jdbc:sqlite:" + options.file().toAbsolutePath());
        return dataSource;
    }

    private static SQLiteConfig baseConfig(StoreOptions options) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // Applied when the connection opens, before the pragmas below, so even switching a new file
        // to WAL waits for a concurrent opener instead of failing.
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        config.enforceForeignKeys(true);
        config.setSynchronous(options.synchronousFull()
                ? SQLiteConfig.SynchronousMode.FULL
                : SQLiteConfig.SynchronousMode.NORMAL);
        return config;
    }

    private static HikariConfig hikari(StoreOptions options, SQLiteConfig config, String name) {
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + options.file().toAbsolutePath());
        probe(dataSource, options);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(dataSource);
        hikari.setPoolName(name + ":" + options.file().getFileName());
        hikari.setAutoCommit(true);
        // Waiting for a pooled connection is bounded like waiting for a lock.
        hikari.setConnectionTimeout(Math.max(MIN_CONNECTION_TIMEOUT_MILLIS, options.retryBudget().toMillis()));
        return hikari;
    }

    /**
     * Opens and closes one connection outside the pool, so that a missing directory or a file that
     * is not a database fails at once with the driver's error; HikariCP would first retry for a
     * second and then report it wrapped in its own exception.
     */
    private static void probe(SQLiteDataSource dataSource, StoreOptions options) {
        try {
            dataSource.getConnection().close();
        } catch (SQLException e) {
            throw new StoreException("cannot open the SQLite store " + options.file() + ": " + e.getMessage(), e);
        }
    }
}
