package io.kavach.store.jdbi;

import io.kavach.spi.CostStore.CostSummary;
import io.kavach.spi.CostStore.DayTotal;
import io.kavach.spi.CostStore.ToolTotal;
import io.kavach.spi.CostStore.Totals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The mappers of the sums of cost events or rollups grouped by tool or by day (see
 * {@link CostTotalsMapper}), and the summary made of both.
 */
public final class CostGroupMapper {
    /** Maps {@code tool} and the sums to a {@link ToolTotal}. */
    public static final RowMapper<ToolTotal> BY_TOOL = CostGroupMapper::tool;
    /** Maps {@code day} and the sums to a {@link DayTotal}. */
    public static final RowMapper<DayTotal> BY_DAY = CostGroupMapper::day;

    private CostGroupMapper() {
    }

    /**
     * The summary of the rows of {@code table} that {@code where} selects, summed with {@code sums}
     * ({@link CostTotalsMapper#EVENT_SUMS} or {@link CostTotalsMapper#ROLLUP_SUMS}): one query by
     * tool, most expensive first, and one by day, in order. {@code where} makes a fresh condition
     * per query, as a query binds its parameters.
     */
    public static CostSummary summarize(Handle handle, Supplier<Where> where, String table, String sums) {
        String from = sums + " FROM " + table;
        List<ToolTotal> byTool = where.get()
                .select(handle, "tool, " + from, "GROUP BY tool ORDER BY cost_micros DESC, tool")
                .map(BY_TOOL)
                .list();
        List<DayTotal> byDay = where.get().select(handle, "day, " + from, "GROUP BY day ORDER BY day")
                .map(BY_DAY)
                .list();
        Totals total = byTool.stream().map(ToolTotal::totals).reduce(Totals.ZERO, Totals::plus);
        return new CostSummary(total, byTool, byDay);
    }

    private static ToolTotal tool(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ToolTotal(rs.getString("tool"), CostTotalsMapper.totals(rs));
    }

    private static DayTotal day(ResultSet rs, StatementContext ctx) throws SQLException {
        return new DayTotal(rs.getString("day"), CostTotalsMapper.totals(rs));
    }
}
