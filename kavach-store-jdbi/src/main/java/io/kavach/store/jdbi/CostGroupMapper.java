package io.kavach.store.jdbi;

import io.kavach.spi.CostStore.CostSummary;
import io.kavach.spi.CostStore.Totals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import io.kavach.spi.CostStore.DayTotal;
import io.kavach.spi.CostStore.ToolTotal;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The mappers of the sums of cost events or rollups grouped by tool or by day (see
 * {@link CostTotalsMapper}), and the summary of sums grouped by both.
 */
public final class CostGroupMapper {
    /** Maps {@code tool} and the sums to a {@link ToolTotal}. */
    public static final RowMapper<ToolTotal> BY_TOOL = CostGroupMapper::tool;
    /** Maps {@code day} and the sums to a {@link DayTotal}. */
    public static final RowMapper<DayTotal> BY_DAY = CostGroupMapper::day;

    /** Maps {@code tool}, {@code day} and the sums to a {@link ToolDayTotal}. */
    private static final RowMapper<ToolDayTotal> BY_TOOL_AND_DAY = (rs, ctx) ->
            new ToolDayTotal(rs.getString("tool"), rs.getString("day"), CostTotalsMapper.totals(rs));

    /** The sums of one tool on one day. */
    private record ToolDayTotal(String tool, String day, Totals totals) {
    }

    private CostGroupMapper() {
    }

    /**
     * The summary of the rows of {@code table} that {@code where} selects, summed with {@code sums}
     * ({@link CostTotalsMapper#EVENT_SUMS} or {@link CostTotalsMapper#ROLLUP_SUMS}): one query
     * grouped by tool and day, folded here, rather than one query per grouping. Tools come most
     * expensive first, then by name; days in order.
     */
    public static CostSummary summarize(Handle handle, Where where, String table, String sums) {
        return summarize(where.select(handle, "tool, day, " + sums + " FROM " + table, "GROUP BY tool, day")
                .map(BY_TOOL_AND_DAY).list());
    }

    private static CostSummary summarize(List<ToolDayTotal> rows) {
        Map<String, Totals> byTool = new HashMap<>();
        Map<String, Totals> byDay = new TreeMap<>();
        Totals total = Totals.ZERO;
        for (ToolDayTotal row : rows) {
            byTool.merge(row.tool(), row.totals(), Totals::plus);
            byDay.merge(row.day(), row.totals(), Totals::plus);
            total = total.plus(row.totals());
        }
        List<ToolTotal> tools = new ArrayList<>();
        byTool.forEach((tool, totals) -> tools.add(new ToolTotal(tool, totals)));
        tools.sort(Comparator.comparingLong((ToolTotal t) -> t.totals().costMicros()).reversed()
                .thenComparing(ToolTotal::tool));
        List<DayTotal> days = new ArrayList<>();
        byDay.forEach((day, totals) -> days.add(new DayTotal(day, totals)));
        return new CostSummary(total, tools, days);
    }

    private static ToolTotal tool(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ToolTotal(rs.getString("tool"), CostTotalsMapper.totals(rs));
    }

    private static DayTotal day(ResultSet rs, StatementContext ctx) throws SQLException {
        return new DayTotal(rs.getString("day"), CostTotalsMapper.totals(rs));
    }
}
