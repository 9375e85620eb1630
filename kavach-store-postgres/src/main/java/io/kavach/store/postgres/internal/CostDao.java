package io.kavach.store.postgres.internal;

import io.kavach.store.jdbi.CostTotalsMapper;
import io.kavach.model.CostEvent;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The fixed statements on {@code cost_events}, {@code cost_rollups} and {@code cost_alerts}:
 * recording an event and its rollup, the rolling-window spend, the alert state and cleanup.
 */
interface CostDao {

    /** The events older than {@code :cutoff}, summed per rollup; a range of the timestamp index. */
    String OLD_EVENT_SUMS = "SELECT agent_id, tool, day, currency, " + CostTotalsMapper.EVENT_SUMS
            + " FROM cost_events WHERE ts < :cutoff GROUP BY agent_id, tool, day, currency";

    @SqlUpdate("INSERT INTO cost_events (id, ts, day, agent_id, owner_id, tenant_id, tool, input_tokens, output_tokens,"
            + " cost_micros, currency, metadata, delegation_chain_id)"
            + " VALUES (:e.id, :e.timestamp, :e.day, :e.agentId, :e.ownerId, :e.tenantId, :e.tool, :e.inputTokens,"
            + " :e.outputTokens, :e.costMicros, :e.currency, :metadata, :e.delegationChainId)")
    void insert(@BindMethods("e") CostEvent event, @Bind("metadata") String metadataJson);

    /** Adds the event to its rollup, creating it at the event; one statement, so no increment is lost. */
    @SqlUpdate("INSERT INTO cost_rollups (agent_id, owner_id, tool, day, currency, cost_micros, calls, input_tokens,"
            + " output_tokens) VALUES (:e.agentId, :e.ownerId, :e.tool, :e.day, :e.currency, :e.costMicros, 1,"
            + " :e.inputTokens, :e.outputTokens)"
            + " ON CONFLICT (agent_id, tool, day, currency) DO UPDATE SET"
            + " cost_micros = cost_rollups.cost_micros + excluded.cost_micros, calls = cost_rollups.calls + 1,"
            + " input_tokens = cost_rollups.input_tokens + excluded.input_tokens,"
            + " output_tokens = cost_rollups.output_tokens + excluded.output_tokens")
    void addToRollup(@BindMethods("e") CostEvent event);

    /** The agent's spend in the currency after {@code since}: one range of the (agent, currency, ts) index. */
    @SqlQuery("SELECT COALESCE(SUM(cost_micros), 0) FROM cost_events"
            + " WHERE agent_id = :agentId AND currency = :currency AND ts > :since")
    long spendSince(@Bind("agentId") String agentId, @Bind("since") Instant since, @Bind("currency") String currency);

    /** The epoch milliseconds at which the alert last fired. */
    @SqlQuery("SELECT last_fired_at FROM cost_alerts WHERE agent_id = :agentId AND type = :type")
    Optional<Long> lastAlert(@Bind("agentId") String agentId, @Bind("type") String type);

    @SqlUpdate("INSERT INTO cost_alerts (agent_id, type, last_fired_at) VALUES (:agentId, :type, :at)"
            + " ON CONFLICT (agent_id, type) DO UPDATE SET last_fired_at = excluded.last_fired_at")
    void saveAlert(@Bind("agentId") String agentId, @Bind("type") String type, @Bind("at") Instant at);

    /** Takes the events older than {@code cutoff} out of their rollups. */
    @SqlUpdate("UPDATE cost_rollups SET cost_micros = cost_rollups.cost_micros - gone.cost_micros,"
            + " calls = cost_rollups.calls - gone.calls,"
            + " input_tokens = cost_rollups.input_tokens - gone.input_tokens,"
            + " output_tokens = cost_rollups.output_tokens - gone.output_tokens"
            + " FROM (" + OLD_EVENT_SUMS + ") AS gone"
            + " WHERE cost_rollups.agent_id = gone.agent_id AND cost_rollups.tool = gone.tool"
            + " AND cost_rollups.day = gone.day AND cost_rollups.currency = gone.currency")
    int subtractFromRollups(@Bind("cutoff") Instant cutoff);

    /** Deletes the rollups no event is left in. */
    @SqlUpdate("DELETE FROM cost_rollups WHERE calls <= 0")
    int deleteEmptyRollups();

    @SqlUpdate("DELETE FROM cost_events WHERE ts < :cutoff")
    int deleteBefore(@Bind("cutoff") Instant cutoff);
}
