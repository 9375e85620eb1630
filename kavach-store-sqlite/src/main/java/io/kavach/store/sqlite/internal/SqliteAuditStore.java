package io.kavach.store.sqlite.internal;

import io.kavach.store.jdbi.AuditEntryMapper;
import io.kavach.store.jdbi.JdbcBatches;
import io.kavach.store.jdbi.Columns;
import io.kavach.store.jdbi.Where;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.spi.AuditQuery;
import io.kavach.spi.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link AuditStore} on the {@code audit_log} and {@code audit_checkpoint} tables of one
 * transaction. Chain order is {@code seq}, which SQLite assigns on append; reading orders are by
 * timestamp and id, each filter path backed by an index (see {@code V7__audit_chain.sql}).
 *
 * <p>SQLite plans these queries without statistics, and, given an equality on two indexed columns,
 * may seek the less selective index. The filters are therefore written so that exactly one index
 * can drive each query, in this order of preference: agent, user, tenant, action, time. The other
 * equality filters are written with a unary plus ({@code +user_id = ?}), which SQLite documents as
 * the way to keep a term from using an index; the results are the same.
 */
final class SqliteAuditStore implements AuditStore {
    private static final AuditEntryMapper MAPPER = new AuditEntryMapper();
    private static final String SELECT_ENTRIES = "SELECT " + AuditEntryMapper.COLUMNS + " FROM audit_log";
    private static final String NEWEST_FIRST = "ORDER BY ts DESC, id DESC";
    private static final String OLDEST_FIRST = "ORDER BY ts, id";
    /**
     * Up to this many actions without an agent, user or tenant are read as one ordered index range
     * per action, merged by SQLite ({@code UNION ALL … ORDER BY}), so a page reads about {@code limit}
     * entries per action rather than sorting every match. More are read as an IN list and sorted.
     */
    private static final int MAX_MERGED_ACTIONS = 32;
    /** Rows the driver is asked to hold at a time while a scan streams. */
    private static final int FETCH_SIZE = 256;

    private final Handle handle;
    private AuditDao dao;

    SqliteAuditStore(Handle handle) {
        this.handle = handle;
    }

    /** Attached on first use: attaching costs more than most statements, and many units need no DAO. */
    private AuditDao dao() {
        if (dao == null) {
            dao = handle.attach(AuditDao.class);
        }
        return dao;
    }

    @Override
    public void append(AuditEntry entry) {
        JdbcBatches.appendAudit(handle, List.of(entry));
    }

    @Override
    public void appendAll(List<AuditEntry> entries) {
        JdbcBatches.appendAudit(handle, entries);
    }

    @Override
    public Optional<String> headHash() {
        Optional<String> last = dao().lastHash();
        return last.isPresent() ? last : dao().checkpoint().map(AuditCheckpoint::hash);
    }

    /**
     * Newest first: by timestamp, then id, both descending; since inclusive, until exclusive; after
     * the cursor; every filter in SQL, before the limit.
     */
    @Override
    public List<AuditEntry> query(AuditQuery query) {
        return select(query, NEWEST_FIRST, true).map(MAPPER).list();
    }

    /** Oldest first, streamed from the open statement: memory stays bounded however many rows match. */
    @Override
    public void scan(AuditQuery query, Consumer<AuditEntry> sink) {
        stream(select(query, OLDEST_FIRST, false), sink);
    }

    /**
     * In seq order. With time bounds, the range of seqs that holds every entry in [since, until) is
     * read from the timestamp index first (a covering range), and then that rowid range of the table,
     * filtered by time: no sort, and no more rows read than the range spans. (Entries are appended
     * roughly in timestamp order, so the range holds few others.)
     */
    @Override
    public void scanChain(Instant since, Instant until, Consumer<AuditEntry> sink) {
        if (since == null && until == null) {
            stream(handle.createQuery(SELECT_ENTRIES + " ORDER BY seq"), sink);
            return;
        }
        SeqRange range = timeRange("ts", since, until)
                .select(handle, "MIN(seq) AS first, MAX(seq) AS last FROM audit_log", "")
                .map((rs, ctx) -> new SeqRange(Columns.longOrNull(rs, "first"), Columns.longOrNull(rs, "last")))
                .one();
        if (range.first() == null) {
            return;
        }
        // The whole run of the chain between the first and the last entry in range: an entry whose
        // timestamp falls outside (a clock that stepped back) must not leave a gap in the links.
        Where run = new Where()
                .condition("seq BETWEEN :first AND :last")
                .bind("first", range.first())
                .bind("last", range.last());
        stream(run.select(handle, AuditEntryMapper.COLUMNS + " FROM audit_log", "ORDER BY seq"), sink);
    }

    /** {@code column} in [since, until), either bound absent. */
    private static Where timeRange(String column, Instant since, Instant until) {
        Where where = new Where();
        if (since != null) {
            where.condition(column + " >= :since").bind("since", Columns.millis(since));
        }
        if (until != null) {
            where.condition(column + " < :until").bind("until", Columns.millis(until));
        }
        return where;
    }

    /**
     * Deletes the chain's prefix before the first entry at or after {@code cutoff} (every entry when
     * there is none), and records the last deleted entry's hash in the checkpoint.
     */
    @Override
    public long deleteBefore(Instant cutoff) {
        long end = dao().firstSeqFrom(cutoff).orElseGet(() -> dao().lastSeq() + 1);
        Optional<String> lastDeleted = dao().lastHashBefore(end);
        if (lastDeleted.isEmpty()) {
            return 0;
        }
        int deleted = dao().deleteBefore(end);
        dao().recordCleanup(lastDeleted.get(), cutoff, deleted);
        return deleted;
    }

    @Override
    public Optional<AuditCheckpoint> checkpoint() {
        return dao().checkpoint();
    }

    /**
     * The statement of {@code query}, ordered by {@code order}; with its cursor and limit when
     * {@code paged}.
     */
    private Query select(AuditQuery query, String order, boolean paged) {
        String agentId = query.agentId();
        String userId = query.userId();
        String tenantId = query.tenantId();
        boolean identity = agentId != null || userId != null || tenantId != null;
        Where where = new Where()
                .equal("agent_id", "agentId", agentId)
                .equal(agentId == null ? "user_id" : "+user_id", "userId", userId)
                .equal(agentId == null && userId == null ? "tenant_id" : "+tenant_id", "tenantId", tenantId)
                .in("result", "result", query.results().stream().map(AuditResult::name).collect(Collectors.toSet()))
                .in("code", "code", query.codes());
        String prefix = query.resourcePrefix();
        if (prefix != null && !prefix.isEmpty()) {
            // Exact and case-sensitive, unlike LIKE, and with no wildcard characters: SQLite's
            // length and substr both count characters.
            where.condition("substr(resource, 1, length(:resourcePrefix)) = :resourcePrefix")
                    .bind("resourcePrefix", prefix);
        }
        if (query.since() != null) {
            where.condition("ts >= :since").bind("since", Columns.millis(query.since()));
        }
        if (query.until() != null) {
            where.condition("ts < :until").bind("until", Columns.millis(query.until()));
        }
        if (paged && query.before() != null) {
            // ts < T OR (ts = T AND id < I), written so that ts <= T bounds the index range.
            where.condition("ts <= :beforeTs AND (ts < :beforeTs OR id < :beforeId)")
                    .bind("beforeTs", Columns.millis(query.before().timestamp()))
                    .bind("beforeId", query.before().id());
        }
        String tail = paged ? order + " LIMIT :limit" : order;
        List<String> actions = query.actions().stream().sorted().toList();
        Query statement;
        if (!identity && actions.size() > 1 && actions.size() <= MAX_MERGED_ACTIONS) {
            List<String> arms = new ArrayList<>(actions.size());
            for (int i = 0; i < actions.size(); i++) {
                arms.add(SELECT_ENTRIES + " WHERE action = :action" + i + where.andConditions());
                where.bind("action" + i, actions.get(i));
            }
            statement = where.query(handle, String.join(" UNION ALL ", arms) + " " + tail);
        } else {
            where.in(identity ? "+action" : "action", "action", actions);
            statement = where.select(handle, AuditEntryMapper.COLUMNS + " FROM audit_log", tail);
        }
        return paged ? statement.bind("limit", query.limit()) : statement;
    }

    private static void stream(Query statement, Consumer<AuditEntry> sink) {
        statement.setFetchSize(FETCH_SIZE)
                .map(MAPPER)
                .useStream(rows -> rows.forEach(sink));
    }

    /** The first and last seq of a range, both inclusive; both null when the range is empty. */
    private record SeqRange(Long first, Long last) {
    }
}
