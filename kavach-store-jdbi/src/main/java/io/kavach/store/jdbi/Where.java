package io.kavach.store.jdbi;

import java.util.ArrayList;
import java.util.Collection;
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
public final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();

    /** {@code column = :name}, when {@code value} is not null. */
    public Where equal(String column, String name, Object value) {
        if (value != null) {
            condition(column + " = :" + name);
            bind(name, value);
        }
        return this;
    }

    /**
     * {@code column IN (:name0, :name1, …)}, one bound parameter per value, when {@code values} is
     * not empty. The values are bound in their natural order, so the same set gives the same SQL.
     */
    public <T extends Comparable<? super T>> Where in(String column, String name, Collection<T> values) {
        if (values.isEmpty()) {
            return this;
        }
        List<T> sorted = values.stream().sorted().toList();
        List<String> placeholders = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            placeholders.add(":" + name + i);
            bind(name + i, sorted.get(i));
        }
        return condition(column + " IN (" + String.join(", ", placeholders) + ")");
    }

    /** A condition as written; its parameters are bound with {@link #bind}. */
    public Where condition(String condition) {
        conditions.add(condition);
        return this;
    }

    public Where bind(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** {@code SELECT columns FROM from [WHERE …] tail}, with every parameter bound. */
    public Query select(Handle handle, String columnsAndFrom, String tail) {
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return query(handle, "SELECT " + columnsAndFrom + where + " " + tail);
    }

    /** {@code " AND "} and the conditions joined by AND, for a WHERE clause that has its own; or nothing. */
    public String andConditions() {
        return conditions.isEmpty() ? "" : " AND " + String.join(" AND ", conditions);
    }

    /** {@code sql}, which uses these conditions (through {@link #andConditions}), with every parameter bound. */
    public Query query(Handle handle, String sql) {
        return handle.createQuery(sql).bindMap(parameters);
    }
}
