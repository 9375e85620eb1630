package io.kavach.cost;

import io.kavach.model.Microdollars;
import java.time.LocalDate;
import java.util.List;

/**
 * Spend of an agent, an owner or a delegation chain, in one currency.
 *
 * @param subject     the agent id, owner id or chain id
 * @param period      the period covered, or null for all recorded time (chain reports)
 * @param currency    the currency of every amount; other currencies are never added in
 * @param total       the total cost
 * @param calls       how many costs were recorded
 * @param inputTokens the input tokens
 * @param outputTokens the output tokens
 * @param byTool      per tool, most expensive first
 * @param byDay       per calendar day in the configured zone, oldest first
 * @param fromRollups whether the report was read from the daily rollups (whole-day periods) rather than the events
 */
public record CostReport(String subject, CostPeriod period, String currency, Microdollars total, long calls,
                         long inputTokens, long outputTokens, List<ToolCost> byTool, List<DayCost> byDay,
                         boolean fromRollups) {
    public CostReport {
        byTool = List.copyOf(byTool);
        byDay = List.copyOf(byDay);
    }

    /** One tool's share. */
    public record ToolCost(String tool, Microdollars cost, long calls, long inputTokens, long outputTokens) {
    }

    /** One day's share. */
    public record DayCost(LocalDate day, Microdollars cost, long calls) {
    }
}
