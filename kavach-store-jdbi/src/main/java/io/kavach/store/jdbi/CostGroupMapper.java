package io.kavach.store.jdbi;

import io.kavach.spi.CostStore.DayTotal;
import io.kavach.spi.CostStore.ToolTotal;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** The mappers of the sums of cost events or rollups grouped by tool or by day (see {@link CostTotalsMapper}). */
public final class CostGroupMapper {
    /** Maps {@code tool} and the sums to a {@link ToolTotal}. */
    public static final RowMapper<ToolTotal> BY_TOOL = CostGroupMapper::tool;
    /** Maps {@code day} and the sums to a {@link DayTotal}. */
    public static final RowMapper<DayTotal> BY_DAY = CostGroupMapper::day;

    private CostGroupMapper() {
    }

    private static ToolTotal tool(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ToolTotal(rs.getString("tool"), CostTotalsMapper.totals(rs));
    }

    private static DayTotal day(ResultSet rs, StatementContext ctx) throws SQLException {
        return new DayTotal(rs.getString("day"), CostTotalsMapper.totals(rs));
    }
}
