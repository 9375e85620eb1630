package io.kavach.store.postgres.internal;

import java.time.Duration;

/**
 * The checked options of one PostgreSQL store (the public builder validates them).
 *
 * @param name              how the store names its database in messages (the URL, without password)
 * @param poolSize          the most connections the store's pool opens
 * @param connectionTimeout how long a unit waits for a pooled connection
 * @param retryBudget       how long a unit that met a serialization failure or deadlock is retried
 */
public record PgOptions(String name, int poolSize, Duration connectionTimeout, Duration retryBudget) {
}
