package io.kavach.spi;

import io.kavach.model.AuditEntry;
import java.util.List;

/** The append-only audit log. */
public interface AuditStore {

    /** Appends one entry. Entries are never changed afterwards. */
    void append(AuditEntry entry);

    /** Entries matching the query, newest first; entries with the same timestamp by id, descending. */
    List<AuditEntry> query(AuditQuery query);
}
