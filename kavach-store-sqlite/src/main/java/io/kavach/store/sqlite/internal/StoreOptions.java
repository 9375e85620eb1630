package io.kavach.store.sqlite.internal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The checked options of one SQLite store (the public builder validates them).
 *
 * @param file            the database file
 * @param busyTimeout     how long SQLite waits for another connection's lock
 * @param readPoolSize    how many read connections to keep
 * @param synchronousFull whether commits are synced to disk ({@code FULL}) or not ({@code NORMAL})
 */
public record StoreOptions(Path file, Duration busyTimeout, int readPoolSize, boolean synchronousFull) {

    /** How long a unit of work keeps retrying a busy database: twice the busy timeout. */
    public Duration retryBudget() {
        return busyTimeout.multipliedBy(2);
    }
}
