package io.kavach.audit;

import io.kavach.model.AuditEntry;
import java.util.List;

/**
 * The audit log: {@code kavach.audit()}. One entry per authorization decision, early denials
 * included, and one per administrative change. Thread-safe.
 */
public interface AuditLog {

    /** Entries matching the filter, newest first (ties broken by id, descending). */
    List<AuditEntry> query(AuditFilter filter);
}
