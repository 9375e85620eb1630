package io.kavach.store.jdbi;

import io.kavach.model.UsageReservation;
import io.kavach.spi.codec.JsonCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a row of {@code budget_reservations} (all of {@link #COLUMNS}) to a {@link UsageReservation}. */
public final class UsageReservationMapper implements RowMapper<UsageReservation> {
    /** The columns the mapper reads. */
    public static final String COLUMNS = "id, agent_id, policy_ids, day_period, month_period, tokens_cost, created_at,"
            + " settled_at";

    @Override
    public UsageReservation map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new UsageReservation(
                rs.getString("id"),
                rs.getString("agent_id"),
                JsonCodec.stringsFromJson(rs.getString("policy_ids")),
                rs.getString("day_period"),
                rs.getString("month_period"),
                rs.getLong("tokens_cost"),
                Columns.instant(rs, "created_at"),
                Columns.instant(rs, "settled_at"));
    }
}
