package io.kavach.store.sqlite.internal;

import io.kavach.store.jdbi.CostTotalsMapper;
import io.kavach.store.jdbi.AgentTotalMapper;
import io.kavach.store.jdbi.Columns;
import io.kavach.store.jdbi.CostGroupMapper;
import io.kavach.store.jdbi.Where;
import io.kavach.model.CostEvent;
import io.kavach.spi.CostStore;
import io.kavach.spi.codec.JsonCodec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@link CostStore} on the {@code cost_events}, {@code cost_rollups} and {@code cost_alerts} tables
 * of one transaction. Every insert also adds to its rollup (agent, tool, day, currency), and a
 * cleanup takes what it deletes out of them, so the rollups always equal the sums of the events
 * kept; whole days are read from them (see {@code V8__costs.sql}).
 *
 * <p>Sums are SQLite's 64-bit integer arithmetic on STRICT INTEGER columns, exact or failing on
 * overflow. As in {@link SqliteAuditStore}, exactly one index drives each event query: the slice's
 * agent, owner or chains first, the currency and time range otherwise; the other equality terms are
 * written with a unary plus, which keeps them from choosing an index.
 */
final class SqliteCostStore implements CostStore {

    private final Handle handle;
    private CostDao dao;

    SqliteCostStore(Handle handle) {
        this.handle = handle;
    }

    /** Attached on first use: attaching costs more than most statements, and many units need no DAO. */
    private CostDao dao() {
        if (dao == null) {
            dao = handle.attach(CostDao.class);
        }
        return dao;
    }

    @Override
    public void insert(CostEvent event) {
        dao().insert(event, JsonCodec.mapToJson(event.metadata()));
        dao().addToRollup(event);
    }

    /** Two grouped reads of the slice's events, by tool and by day; the total is the sum of the tools'. */
    @Override
    public CostSummary summarize(CostSlice slice, Instant since, Instant until) {
        if (slice.agentId() == null && slice.ownerId() == null && slice.chainIds().isEmpty()) {
            requireCurrency(slice);
            return new CostSummary(Totals.ZERO, List.of(), List.of());
        }
        return CostGroupMapper.summarize(handle, () -> eventWhere(slice, since, until), "cost_events",
                CostTotalsMapper.EVENT_SUMS);
    }

    /** The same from the rollups: one range of the primary key (agent) or of the owner index per read. */
    @Override
    public CostSummary summarizeDays(CostSlice slice, String fromDay, String toDay) {
        if (!slice.chainIds().isEmpty() || (slice.agentId() == null && slice.ownerId() == null)) {
            throw new IllegalArgumentException("a summary of whole days names an agent or an owner, not chains");
        }
        String currency = requireCurrency(slice);
        return CostGroupMapper.summarize(handle, () -> {
            Where where = new Where()
                    .equal("agent_id", "agentId", slice.agentId())
                    .equal(slice.agentId() == null ? "owner_id" : "+owner_id", "ownerId", slice.ownerId())
                    .equal("currency", "currency", currency);
            if (fromDay != null) {
                where.condition("day >= :fromDay").bind("fromDay", fromDay);
            }
            if (toDay != null) {
                where.condition("day < :toDay").bind("toDay", toDay);
            }
            return where;
        }, "cost_rollups", CostTotalsMapper.ROLLUP_SUMS);
    }

    /** One range of the (currency, ts) index, grouped by agent. */
    @Override
    public List<AgentTotal> topAgents(int n, Instant since, Instant until, String currency) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        Objects.requireNonNull(currency, "currency");
        Where where = timeRange(new Where().equal("currency", "currency", currency), since, until);
        // An agent's owner is the same on all its events; MIN picks it deterministically.
        return where.select(handle, "agent_id, MIN(owner_id) AS owner_id, " + CostTotalsMapper.EVENT_SUMS
                                + " FROM cost_events",
                        "GROUP BY agent_id ORDER BY cost_micros DESC, agent_id LIMIT :n")
                .bind("n", n)
                .map(new AgentTotalMapper())
                .list();
    }

    @Override
    public long spendSince(String agentId, Instant since, String currency) {
        Objects.requireNonNull(since, "since");
        return dao().spendSince(agentId, since, currency);
    }

    @Override
    public Optional<Instant> lastAlert(String agentId, String type) {
        return dao().lastAlert(agentId, type).map(Instant::ofEpochMilli);
    }

    @Override
    public void saveAlert(String agentId, String type, Instant at) {
        dao().saveAlert(agentId, type, at);
    }

    /**
     * Subtracts the grouped sums of the events before {@code cutoff} from their rollups, deletes the
     * rollups left without calls, then the events.
     */
    @Override
    public long deleteBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        dao().subtractFromRollups(cutoff);
        dao().deleteEmptyRollups();
        return dao().deleteBefore(cutoff);
    }


    /** The slice's events in [since, until), either bound absent. */
    private static Where eventWhere(CostSlice slice, Instant since, Instant until) {
        String agentId = slice.agentId();
        String ownerId = slice.ownerId();
        boolean identity = agentId != null || ownerId != null;
        Where where = new Where()
                .equal("agent_id", "agentId", agentId)
                .equal(agentId == null ? "owner_id" : "+owner_id", "ownerId", ownerId)
                .in(identity ? "+delegation_chain_id" : "delegation_chain_id", "chain", slice.chainIds())
                .equal(identity ? "currency" : "+currency", "currency", requireCurrency(slice));
        return timeRange(where, since, until);
    }

    /** Adds {@code ts} in [since, until) to {@code where}, either bound absent. */
    private static Where timeRange(Where where, Instant since, Instant until) {
        if (since != null) {
            where.condition("ts >= :since").bind("since", Columns.millis(since));
        }
        if (until != null) {
            where.condition("ts < :until").bind("until", Columns.millis(until));
        }
        return where;
    }

    private static String requireCurrency(CostSlice slice) {
        return Objects.requireNonNull(slice.currency(), "a cost slice names its currency");
    }
}
