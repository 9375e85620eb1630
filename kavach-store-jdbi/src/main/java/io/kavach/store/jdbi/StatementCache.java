package io.kavach.store.jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps prepared statements open between units of work, one set per physical connection, for
 * drivers that prepare every statement anew (sqlite-jdbc does: preparing costs more than running a
 * short statement). Install it with {@code jdbi.setStatementBuilderFactory(new StatementCache())}.
 *
 * <p>A statement is prepared on the pool's underlying connection, so the pool does not close it
 * when the connection is returned, and is reused by the next statement with the same SQL once the
 * previous use has ended; a second use while the first is still open (a nested query) gets a
 * statement of its own, closed after use. Statements that return generated keys or updatable
 * results are never cached. At most {@value #MAX_STATEMENTS} statements are kept per connection;
 * they go with their connection when the pool closes it.
 *
 * <p>Thread-safe, provided a connection is used by one thread at a time, as a pool guarantees.
 */
public final class StatementCache implements StatementBuilderFactory {
    static final int MAX_STATEMENTS = 128;

    private final Map<Connection, Map<String, PreparedStatement>> statements =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * A prepared statement for {@code sql} on the handle's connection, for plain JDBC where binding
     * through Jdbi costs more than the statement: the cached one when the handle's Jdbi has this
     * cache installed, a new one otherwise. Give it back with {@link #release}, never close it.
     */
    public static PreparedStatement prepare(Handle handle, String sql) throws SQLException {
        if (handle.getStatementBuilder() instanceof Builder builder) {
            return builder.prepare(sql);
        }
        return handle.getConnection().prepareStatement(sql);
    }

    /** Ends a use of a statement that {@link #prepare} gave out. */
    public static void release(Handle handle, String sql, PreparedStatement statement) throws SQLException {
        handle.getStatementBuilder().close(handle.getConnection(), sql, statement);
    }

    @Override
    public StatementBuilder createStatementBuilder(Connection connection) {
        Connection physical;
        try {
            physical = connection.isWrapperFor(Connection.class) ? connection.unwrap(Connection.class) : connection;
        } catch (SQLException e) {
            physical = connection;
        }
        return new Builder(physical, statements.computeIfAbsent(physical, c -> new HashMap<>()));
    }

    /** The statements of one handle: those of its connection's cache, and any it had to make alone. */
    private static final class Builder extends DefaultStatementBuilder {
        private final Connection physical;
        private final Map<String, PreparedStatement> cached;
        private final Set<Statement> inUse = Collections.newSetFromMap(new IdentityHashMap<>());

        Builder(Connection physical, Map<String, PreparedStatement> cached) {
            this.physical = physical;
            this.cached = cached;
        }

        @Override
        public PreparedStatement create(Connection connection, String sql, StatementContext context)
                throws SQLException {
            if (context.isReturningGeneratedKeys() || context.isConcurrentUpdatable()) {
                return super.create(connection, sql, context);
            }
            return prepare(sql);
        }

        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = cached.get(sql);
            if (statement == null || statement.isClosed()) {
                statement = physical.prepareStatement(sql);
                if (cached.size() < MAX_STATEMENTS || cached.containsKey(sql)) {
                    cached.put(sql, statement);
                }
            } else if (inUse.contains(statement)) {
                statement = physical.prepareStatement(sql);
            }
            inUse.add(statement);
            return statement;
        }

        @Override
        public void close(Connection connection, String sql, Statement statement) throws SQLException {
            // Jdbi passes the SQL as written here, and the rendered SQL to create: match the statement.
            if (inUse.remove(statement) && cached.containsValue(statement)) {
                ((PreparedStatement) statement).clearParameters();
                return;
            }
            super.close(connection, sql, statement);
        }
    }
}
