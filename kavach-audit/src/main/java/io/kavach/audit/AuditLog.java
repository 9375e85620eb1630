package io.kavach.audit;

import io.kavach.model.AuditEntry;
import java.io.OutputStream;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The audit log: {@code kavach.audit()}. One entry per authorization decision, early denials
 * included, and one per administrative change, kept as one SHA-256 hash chain. Thread-safe.
 */
public interface AuditLog {

    /** Entries matching the filter, newest first (ties broken by id, descending), at most its limit. */
    List<AuditEntry> query(AuditFilter filter);

    /** As {@link #query}, with the cursor of the next page. */
    AuditPage page(AuditFilter filter);

    /**
     * Writes every entry matching the filter (its limit and cursor ignored: no row cap), oldest
     * first, to {@code out} as UTF-8, streaming from the store in bounded memory. Does not close
     * {@code out}.
     *
     * @return the number of entries written
     * @throws java.io.UncheckedIOException when writing fails
     */
    long export(AuditFilter filter, ExportFormat format, OutputStream out, ExportProgress progress);

    /** As {@link #export(AuditFilter, ExportFormat, OutputStream, ExportProgress)}, to a character stream. */
    long export(AuditFilter filter, ExportFormat format, Writer out, ExportProgress progress);

    /** Checks the whole hash chain, from the first entry (or the last cleanup's checkpoint). */
    AuditVerification verify();

    /** Checks the chain among the entries with timestamps in [since, until); either bound may be null. */
    AuditVerification verify(Instant since, Instant until);

    /**
     * Deletes the entries older than {@code retention} (from the start of the chain), keeping a
     * checkpoint so that the rest still verifies, and the budget reservations of the decisions made
     * before then (settling one of those afterwards reports an unknown usage). The cleanup itself
     * is audited.
     *
     * @return how many entries were deleted
     */
    long cleanup(Duration retention);
}
