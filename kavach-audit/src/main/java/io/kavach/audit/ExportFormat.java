package io.kavach.audit;

/** The formats the audit log exports to. All are UTF-8. */
public enum ExportFormat {
    /** RFC 4180 CSV with a header row; see {@link AuditCsv} for the columns and the formula guard. */
    CSV,
    /** One JSON array of entry objects. */
    JSON,
    /** JSON Lines: one entry object per line, for streaming consumers. */
    JSONL
}
