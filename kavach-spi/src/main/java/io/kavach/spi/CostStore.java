package io.kavach.spi;

import io.kavach.model.CostEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cost events, their rollups per agent, tool, day and currency (maintained on every insert and
 * cleanup, so a whole-day period is read without scanning events), and the alert state.
 */
public interface CostStore {

    /** Stores the event and adds it to its rollup (agent, tool, day, currency) in the same transaction. */
    void insert(CostEvent event);

    /**
     * Totals of the events in the slice with timestamps in [since, until), by tool (most expensive
     * first, then by name) and by day (oldest first). Reads events.
     */
    CostSummary summarize(CostSlice slice, Instant since, Instant until);

    /**
     * The same from the rollups, for the whole days [fromDay, toDay) (ISO dates); the slice must
     * name an agent or an owner, not chains.
     */
    CostSummary summarizeDays(CostSlice slice, String fromDay, String toDay);

    /** The {@code n} agents that spent most in [since, until) in the currency, most first (ties by agent id). */
    List<AgentTotal> topAgents(int n, Instant since, Instant until, String currency);

    /** The agent's spend in the currency with timestamps after {@code since} (the rolling-window read). */
    long spendSince(String agentId, Instant since, String currency);

    /** When an alert of this type last fired for the agent. */
    Optional<Instant> lastAlert(String agentId, String type);

    /** Records that an alert of this type fired for the agent at {@code at}. */
    void saveAlert(String agentId, String type, Instant at);

    /**
     * Deletes the events with timestamps before {@code cutoff} and takes them out of the rollups.
     *
     * @return how many events were deleted
     */
    long deleteBefore(Instant cutoff);

    /**
     * Which events a report covers: of one agent, of one owner's agents, or attributed to any of a
     * set of delegation chains; always of one currency.
     */
    record CostSlice(String agentId, String ownerId, Set<String> chainIds, String currency) {
        public CostSlice {
            chainIds = chainIds == null ? Set.of() : Set.copyOf(chainIds);
        }

        public static CostSlice agent(String agentId, String currency) {
            return new CostSlice(agentId, null, null, currency);
        }

        public static CostSlice owner(String ownerId, String currency) {
            return new CostSlice(null, ownerId, null, currency);
        }

        public static CostSlice chains(Set<String> chainIds, String currency) {
            return new CostSlice(null, null, chainIds, currency);
        }
    }

    /** Summed spend: microdollars, calls (events), input and output tokens. */
    record Totals(long costMicros, long calls, long inputTokens, long outputTokens) {
        public static final Totals ZERO = new Totals(0, 0, 0, 0);

        /**
         * These totals and {@code other}'s added up.
         *
         * @throws ArithmeticException when a sum overflows a long
         */
        public Totals plus(Totals other) {
            return new Totals(Math.addExact(costMicros, other.costMicros), Math.addExact(calls, other.calls),
                    Math.addExact(inputTokens, other.inputTokens), Math.addExact(outputTokens, other.outputTokens));
        }
    }

    record ToolTotal(String tool, Totals totals) {
    }

    record DayTotal(String day, Totals totals) {
    }

    record AgentTotal(String agentId, String ownerId, Totals totals) {
    }

    record CostSummary(Totals total, List<ToolTotal> byTool, List<DayTotal> byDay) {
        public CostSummary {
            byTool = List.copyOf(byTool);
            byDay = List.copyOf(byDay);
        }
    }
}
