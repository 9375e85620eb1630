package io.kavach.store.sqlite.internal;

import io.kavach.model.AuditEntry;
import io.kavach.spi.AuditQuery;
import io.kavach.spi.AuditStore;
import io.kavach.spi.codec.JsonCodec;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** {@link AuditStore} on the {@code audit_log} table of one transaction. */
final class SqliteAuditStore implements AuditStore {
    private static final AuditEntryMapper MAPPER = new AuditEntryMapper();

    private final Handle handle;
    private final AuditDao dao;

    SqliteAuditStore(Handle handle) {
        this.handle = handle;
        this.dao = handle.attach(AuditDao.class);
    }

    @Override
    public void append(AuditEntry entry) {
        dao.append(entry, JsonCodec.stringsToJson(entry.policyIds()), JsonCodec.mapToJson(entry.arguments()));
    }

    /** Newest first: by timestamp, then id, both descending; since inclusive, until exclusive. */
    @Override
    public List<AuditEntry> query(AuditQuery query) {
        Where where = new Where().equal("agent_id", "agentId", query.agentId());
        if (query.since() != null) {
            where.condition("ts >= :since").bind("since", Columns.millis(query.since()));
        }
        if (query.until() != null) {
            where.condition("ts < :until").bind("until", Columns.millis(query.until()));
        }
        return where.select(handle, AuditEntryMapper.COLUMNS + " FROM audit_log",
                "ORDER BY ts DESC, id DESC LIMIT :limit")
                .bind("limit", query.limit())
                .map(MAPPER)
                .list();
    }
}
