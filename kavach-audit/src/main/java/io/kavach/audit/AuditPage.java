package io.kavach.audit;

import io.kavach.model.AuditEntry;
import java.util.List;

/**
 * One page of audit entries, newest first.
 *
 * @param entries    the entries
 * @param nextCursor pass to {@link AuditFilter#after} for the next page; null when this page was the last
 */
public record AuditPage(List<AuditEntry> entries, String nextCursor) {
    public AuditPage {
        entries = List.copyOf(entries);
    }
}
