package io.kavach.spi;

import io.kavach.model.AuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The append-only audit log, kept as one hash chain. The store keeps entries in the order they
 * were appended (the chain order); since writes are serialized, that order is well defined even
 * when several instances append.
 */
public interface AuditStore {

    /** Appends one entry after the last one. Entries are never changed afterwards. */
    void append(AuditEntry entry);

    /**
     * Appends {@code entries} after the last one, in list order; the same as appending them one by
     * one, which is what this default does. Stores override it with one batched statement.
     */
    default void appendAll(List<AuditEntry> entries) {
        for (AuditEntry entry : entries) {
            append(entry);
        }
    }

    /**
     * The hash the next entry must name as its previous hash: the last entry's hash; if the log is
     * empty, the checkpoint's hash; if there is neither, empty.
     */
    Optional<String> headHash();

    /** Entries matching the query, newest first; entries with the same timestamp by id, descending. */
    List<AuditEntry> query(AuditQuery query);

    /**
     * Streams every entry matching the query (its limit and cursor ignored) to {@code sink}, oldest
     * first (timestamp, then id), reading in bounded memory. Call inside a read unit.
     */
    void scan(AuditQuery query, Consumer<AuditEntry> sink);

    /**
     * Streams entries in chain order to {@code sink}: all of them, or, when a bound is set, the
     * unbroken run of the chain from the first to the last entry with a timestamp in [since, until)
     * (including any entry in between whose timestamp lies outside, so the run links up).
     */
    void scanChain(Instant since, Instant until, Consumer<AuditEntry> sink);

    /**
     * Deletes the longest run of entries at the start of the chain whose timestamps are all before
     * {@code cutoff}, and records the hash of the last one deleted as the checkpoint, so the rest of
     * the chain still verifies.
     *
     * @return how many entries were deleted
     */
    long deleteBefore(Instant cutoff);

    /** The checkpoint left by the last cleanup, if any. */
    Optional<AuditCheckpoint> checkpoint();

    /**
     * What a cleanup left behind: the hash the first remaining entry names as its previous hash.
     *
     * @param hash         the hash of the last entry deleted
     * @param deletedUntil the cutoff of that cleanup
     * @param deleted      how many entries cleanups have deleted in all
     */
    record AuditCheckpoint(String hash, Instant deletedUntil, long deleted) {
    }
}
