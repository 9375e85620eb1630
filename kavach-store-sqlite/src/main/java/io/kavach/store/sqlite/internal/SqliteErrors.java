package io.kavach.store.sqlite.internal;

import io.kavach.error.KavachException;
import io.kavach.error.StoreException;
import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;
import org.sqlite.SQLiteException;

/** Recognises SQLite's lock errors and turns database errors into {@link StoreException}s. */
final class SqliteErrors {
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    private SqliteErrors() {
    }

    /**
     * Whether {@code failure} was caused by another connection holding a lock ({@code SQLITE_BUSY}
     * or {@code SQLITE_LOCKED}, with any extended code), so that running the unit again may work.
     */
    static boolean isBusy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                // Extended result codes carry the primary code in their low byte.
                int primary = sqlite.getResultCode().code & 0xFF;
                if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
                    return true;
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
     * The driver's message, which names the SQLite error, rather than Jdbi's, which also prints the
     * statement's bound values (metadata, token hashes) into logs.
     */
    static String describe(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return t.getMessage();
            }
            deepest = t;
        }
        return deepest.getMessage();
    }
}
