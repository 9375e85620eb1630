package io.kavach.spi;

import java.util.function.Function;

/**
 * Where Kavach keeps its state. A store hands out {@link StoreSession sessions}: {@link #read}
 * for consistent reads, {@link #write} for one atomic transaction.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Thread-safe; {@link #write} units are serializable with respect to each other, across
 *       threads and across processes or instances sharing the same database.</li>
 *   <li>A unit of work may be run more than once when the database asks for a retry (a busy
 *       SQLite file, a PostgreSQL serialization failure), so it must have no effects outside the
 *       session. Such retries never surface to callers.</li>
 *   <li>Database and driver errors are translated into {@link io.kavach.error.KavachException}s;
 *       exceptions the unit of work throws roll the transaction back and propagate unchanged.</li>
 *   <li>Timestamps are given to the store by the caller; a store never reads a clock.</li>
 * </ul>
 */
public interface KavachStore extends AutoCloseable {

    /** Runs {@code work} with a read-only session over a consistent snapshot. */
    <T> T read(Function<StoreSession, T> work);

    /** Runs {@code work} in one transaction: all its writes commit together or not at all. */
    <T> T write(Function<StoreSession, T> work);

    /** Releases the store's connections. Idempotent. */
    @Override
    void close();
}
