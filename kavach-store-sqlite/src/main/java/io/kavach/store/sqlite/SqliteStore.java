package io.kavach.store.sqlite;

import io.kavach.error.InvalidInputException;
import io.kavach.error.StoreException;
import io.kavach.spi.KavachStore;
import io.kavach.spi.StoreSession;
import io.kavach.store.sqlite.internal.SqliteDatabase;
import io.kavach.store.sqlite.internal.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The embedded default {@link KavachStore}: one SQLite file, in WAL mode, reached through Jdbi and
 * two HikariCP pools (one write connection, a few read connections).
 *
 * <p>Guarantees, on top of the {@link KavachStore} contract:
 * <ul>
 *   <li>{@link #write} units run one at a time: within this instance they queue on a fair lock,
 *       across instances and processes on the same file they take SQLite's write lock up front
 *       ({@code BEGIN IMMEDIATE}), so no two writers ever deadlock on a lock upgrade.</li>
 *   <li>A file locked by another process is waited for: first by SQLite's busy timeout, then by
 *       retrying the whole unit with a short backoff until twice the busy timeout has passed. Only
 *       then does a {@link StoreException} say that the database stayed locked; {@code SQLITE_BUSY}
 *       itself never reaches callers.</li>
 *   <li>{@link #read} units run on a read-only connection, over one snapshot, and never wait for
 *       writers.</li>
 *   <li>The schema is created and upgraded when the store opens. A file written by a newer
 *       Kavach, whose schema this code does not know, is refused.</li>
 * </ul>
 *
 * <p>Open a store once and share it; it is thread-safe. {@link #close()} it when done, after the
 * units of work in flight have finished.
 *
 * <pre>{@code
 * KavachStore store = SqliteStore.builder(Path.of("kavach.db"))
 *         .busyTimeout(Duration.ofSeconds(10))
 *         .synchronous(SqliteStore.Synchronous.FULL)
 *         .build();
 * }</pre>
 */
public final class SqliteStore implements KavachStore {

    /** How hard SQLite works to make a commit durable (SQLite's {@code PRAGMA synchronous}). */
    public enum Synchronous {
        /**
         * A commit survives the application crashing; a power loss or OS crash may lose the last
         * commits, never the database's consistency. The usual choice for WAL mode, and the default.
         */
        NORMAL,
        /** Every commit is on disk before it returns, and so survives a power loss. Slower commits. */
        FULL
    }

    private final SqliteDatabase database;

    private SqliteStore(SqliteDatabase database) {
        this.database = database;
    }

    /**
     * Opens (creating it if needed) the store in {@code file} with the default options.
     *
     * @throws InvalidInputException when {@code file} is null or unusable as a SQLite path
     * @throws StoreException        when the file cannot be opened or migrated
     */
    public static SqliteStore open(Path file) {
        return builder(file).build();
    }

    /** A builder for a store in {@code file}; the file's parent directory must exist. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    @Override
    public <T> T read(Function<StoreSession, T> work) {
        return database.read(Objects.requireNonNull(work, "work"));
    }

    @Override
    public <T> T write(Function<StoreSession, T> work) {
        return database.write(Objects.requireNonNull(work, "work"));
    }

    /** Closes both connection pools. Idempotent. */
    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return "SqliteStore[" + database.file() + "]";
    }

    /**
     * Options for a {@link SqliteStore}. Each setter checks its value at once and throws an
     * {@link InvalidInputException} naming the option; {@link #build()} opens the store. Not
     * thread-safe.
     */
    public static final class Builder {
        /** SQLite's busy timeout is an int of milliseconds. */
        private static final long MAX_BUSY_TIMEOUT_MILLIS = Integer.MAX_VALUE / 2;

        private final Path file;
        private Duration busyTimeout = Duration.ofSeconds(30);
        private int readPoolSize = 4;
        private Synchronous synchronous = Synchronous.NORMAL;

        private Builder(Path file) {
            if (file == null) {
                throw new InvalidInputException("file", null, "must not be null");
            }
            // sqlite-jdbc reads everything after '?' in a plain path as connection options, so such
            // a path would silently open a different file.
            if (file.toString().indexOf('?') >= 0) {
                throw new InvalidInputException("file", file, "must not contain '?'");
            }
            this.file = file;
        }

        /**
         * How long a statement waits for a lock held by another connection before SQLite reports
         * the database busy; a unit of work is retried for as long again. Default 30 seconds; at
         * least 1 millisecond, at most about 12 days.
         */
        public Builder busyTimeout(Duration timeout) {
            if (timeout == null) {
                throw new InvalidInputException("busyTimeout", null, "must not be null");
            }
            if (timeout.isNegative() || timeout.toMillis() < 1) {
                throw new InvalidInputException("busyTimeout", timeout, "must be at least 1 millisecond");
            }
            if (timeout.toMillis() > MAX_BUSY_TIMEOUT_MILLIS) {
                throw new InvalidInputException("busyTimeout", timeout,
                        "must be at most " + MAX_BUSY_TIMEOUT_MILLIS + " milliseconds");
            }
            this.busyTimeout = timeout;
            return this;
        }

        /** How many read units may run at the same time. Default 4; at least 1. */
        public Builder readPoolSize(int size) {
            if (size < 1) {
                throw new InvalidInputException("readPoolSize", size, "must be at least 1");
            }
            this.readPoolSize = size;
            return this;
        }

        /** How durable a commit is; default {@link Synchronous#NORMAL}. */
        public Builder synchronous(Synchronous mode) {
            if (mode == null) {
                throw new InvalidInputException("synchronous", null, "must not be null");
            }
            this.synchronous = mode;
            return this;
        }

        /**
         * Opens the store: creates the file if it does not exist, switches it to WAL mode and
         * applies the schema migrations it lacks.
         *
         * @throws StoreException when the file cannot be opened, is not a SQLite database, or has
         *                        a schema newer than this code knows
         */
        public SqliteStore build() {
            return new SqliteStore(SqliteDatabase.open(
                    new StoreOptions(file, busyTimeout, readPoolSize, synchronous == Synchronous.FULL)));
        }
    }
}
