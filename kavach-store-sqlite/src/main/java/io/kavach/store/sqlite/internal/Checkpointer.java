package io.kavach.store.sqlite.internal;

import io.kavach.error.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteDataSource;

/**
 * Copies the write-ahead log back into the database file on a background thread, so that commits
 * only append to the log. Left to SQLite, the commit that fills the log past its threshold does the
 * copying (and, with {@code synchronous=NORMAL}, the only fsyncs) itself, inside the write lock.
 *
 * <p>Checkpoints are PASSIVE: they never wait for or block readers and writers, and copy what they
 * can. The writer keeps SQLite's automatic checkpoint at a higher threshold
 * ({@link Pools#WRITER_AUTOCHECKPOINT_PAGES}) as a bound on the log should this thread fall behind.
 * Durability is unchanged: a commit is in the log before it returns, as before.
 */
final class Checkpointer implements AutoCloseable {
    private static final long PERIOD_MILLIS = 100;

    private final Connection connection;
    private final ScheduledExecutorService thread;

    private Checkpointer(Connection connection, String name) {
        this.connection = connection;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "kavach-sqlite-checkpoint:" + name);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::checkpoint, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Opens the thread's connection and starts it. */
    static Checkpointer start(SQLiteDataSource dataSource, String name) {
        try {
            return new Checkpointer(dataSource.getConnection(), name);
        } catch (SQLException e) {
            throw new StoreException("cannot open the checkpoint connection of " + name + ": " + e.getMessage(), e);
        }
    }

    private void checkpoint() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // Busy or interrupted: the next round, or the writer's automatic checkpoint, catches up.
        }
    }

    /** Stops the thread and closes its connection. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing the store goes on: the connection holds no transaction.
        }
    }
}
