package io.kavach.audit.internal;

import io.kavach.audit.AuditFilter;
import io.kavach.audit.AuditLog;
import io.kavach.model.AuditEntry;
import io.kavach.spi.AuditQuery;
import io.kavach.spi.KavachStore;
import java.util.List;
import java.util.Objects;

/** The audit log read straight from the store. */
public final class StoreAuditLog implements AuditLog {
    private final KavachStore store;

    public StoreAuditLog(KavachStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public List<AuditEntry> query(AuditFilter filter) {
        Objects.requireNonNull(filter, "filter");
        AuditQuery query = new AuditQuery(filter.agentId(), filter.since(), filter.until(), filter.limit());
        return store.read(session -> session.audit().query(query));
    }
}
