package io.kavach.store.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reading and writing the column forms of values: epoch milliseconds for times, NULL for absent numbers. */
public final class Columns {
    private Columns() {
    }

    /** The instant in an INTEGER epoch-millisecond column, or null for SQL NULL. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** The value of an INTEGER column, or null for SQL NULL. */
    public static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** The epoch milliseconds of {@code instant}, for binding to fluent queries. */
    public static long millis(Instant instant) {
        return instant.toEpochMilli();
    }
}
