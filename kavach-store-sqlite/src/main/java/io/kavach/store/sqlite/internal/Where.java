package io.kavach.store.sqlite.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * A WHERE clause built from optional filters, each with bound parameters, so that every filter of a
 * list query runs in SQL, before its ORDER BY and LIMIT. Column names and conditions are constants
 * of this module; only values are bound.
 */
final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();

    /** {@code column = :name}, when {@code value} is not null. */
    Where equal(String column, String name, Object value) {
        if (value != null) {
            condition(column + " = :" + name);
            bind(name, value);
        }
        return this;
    }

    /** A condition as written; its parameters are bound with {@link #bind}. */
    Where condition(String condition) {
        conditions.add(condition);
        return this;
    }

    Where bind(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** {@code SELECT columns FROM from [WHERE …] tail}, with every parameter bound. */
    Query select(Handle handle, String columnsAndFrom, String tail) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columnsAndFrom);
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        sql.append(' ').append(tail);
        return handle.createQuery(sql.toString()).bindMap(parameters);
    }
}
