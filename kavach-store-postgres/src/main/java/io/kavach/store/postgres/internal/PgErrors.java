package io.kavach.store.postgres.internal;

import io.kavach.error.KavachException;
import io.kavach.error.StoreException;
import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/**
 * Recognises PostgreSQL's transient transaction failures and turns database errors into
 * {@link StoreException}s.
 */
final class PgErrors {
    /** serialization_failure. */
    static final String SERIALIZATION_FAILURE = "40001";
    /** deadlock_detected. */
    static final String DEADLOCK = "40P01";

    private PgErrors() {
    }

    /**
     * Whether {@code failure} was a serialization failure or a deadlock: PostgreSQL rolled the
     * transaction back, and running the whole unit again may work.
     */
    static boolean isRetryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    String state = e.getSQLState();
                    if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK.equals(state)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * What callers see of {@code failure} raised while doing {@code operation}: Jdbi and JDBC
     * failures become a {@link StoreException}; Kavach's own exceptions, and anything else (which
     * came from the caller's code), stay as they are.
     */
    static RuntimeException translate(String operation, RuntimeException failure) {
        if (failure instanceof KavachException || !isDatabaseFailure(failure)) {
            return failure;
        }
        return new StoreException(operation + " failed: " + describe(failure), failure);
    }

    private static boolean isDatabaseFailure(Throwable failure) {
        return failure instanceof JdbiException || failure.getCause() instanceof SQLException;
    }

    /**
     * The driver's message and SQLSTATE, rather than Jdbi's message, which also prints the
     * statement's bound values (metadata, token hashes) into logs.
     */
    static String describe(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState() == null ? sql.getMessage() : sql.getMessage() + " [SQLSTATE " + sql.getSQLState() + "]";
            }
            deepest = t;
        }
        return deepest.getMessage();
    }
}
