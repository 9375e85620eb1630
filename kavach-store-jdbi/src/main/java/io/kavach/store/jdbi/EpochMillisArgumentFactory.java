package io.kavach.store.jdbi;

import java.sql.Types;
import java.time.Instant;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * Binds {@link Instant}s as INTEGER epoch milliseconds, the form of every time column (Jdbi's
 * default would bind a timestamp). A null instant binds SQL NULL.
 */
public final class EpochMillisArgumentFactory extends AbstractArgumentFactory<Instant> {

    public EpochMillisArgumentFactory() {
        super(Types.BIGINT);
    }

    @Override
    protected Argument build(Instant value, ConfigRegistry config) {
        long millis = value.toEpochMilli();
        return (position, statement, context) -> statement.setLong(position, millis);
    }
}
