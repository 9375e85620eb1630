package io.kavach.store.jdbi;

import io.kavach.spi.CostStore.CostSummary;
import io.kavach.spi.CostStore.Totals;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    public static final RowMapper<ToolDayTotal> BY_TOOL_AND_DAY = (rs, ctx) ->
            new ToolDayTotal(rs.getString("tool"), rs.getString("day"), CostTotalsMapper.totals(rs));

    /** The sums of one tool on one day. */
    public record ToolDayTotal(String tool, String day, Totals totals) {
    }

    private CostGroupMapper() {
    }

    /**
     * The summary of sums grouped by tool and day: one query's rows (read in the primary key's
     * order, so with no sort) instead of one query per grouping. Tools come most expensive first,
     * then by name; days in order.
     */
    public static CostSummary summarize(List<ToolDayTotal> rows) {
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
