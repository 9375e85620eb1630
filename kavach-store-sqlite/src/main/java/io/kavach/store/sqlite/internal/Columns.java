package io.kavach.store.sqlite.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reading and writing the column forms of values: epoch milliseconds for times. */
final class Columns {
    private Columns() {
    }

    /** The instant in an INTEGER epoch-millisecond column, or null for SQL NULL. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** The epoch milliseconds of {@code instant}, for binding to fluent queries. */
    static long millis(Instant instant) {
        return instant.toEpochMilli();
    }
}
