package io.kavach.store.postgres.internal;

import io.kavach.store.jdbi.AuditCheckpointMapper;
import io.kavach.spi.AuditStore.AuditCheckpoint;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The fixed statements on {@code audit_log} and {@code audit_checkpoint}: appending, the chain's
 * head, and retention cleanup. Chain order is {@code seq}, the identity primary key, so each of them
 * reads one end of the table or one range of its primary key.
 */
@RegisterRowMapper(AuditCheckpointMapper.class)
interface AuditDao {

    /** The hash of the last entry in chain order. */
    @SqlQuery("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    Optional<String> lastHash();

    /** The highest {@code seq} ever read from the table, 0 when it is empty. */
    @SqlQuery("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
    long lastSeq();

    /**
     * The first entry in chain order with a timestamp at or after {@code cutoff}: the end of the
     * prefix a cleanup deletes, found by walking the chain from its start.
     */
    @SqlQuery("SELECT seq FROM audit_log WHERE ts >= :cutoff ORDER BY seq LIMIT 1")
    Optional<Long> firstSeqFrom(@Bind("cutoff") Instant cutoff);

    /** The hash of the last entry before {@code end} in chain order. */
    @SqlQuery("SELECT hash FROM audit_log WHERE seq < :end ORDER BY seq DESC LIMIT 1")
    Optional<String> lastHashBefore(@Bind("end") long end);

    @SqlUpdate("DELETE FROM audit_log WHERE seq < :end")
    int deleteBefore(@Bind("end") long end);

    @SqlQuery("SELECT " + AuditCheckpointMapper.COLUMNS + " FROM audit_checkpoint WHERE id = 1")
    Optional<AuditCheckpoint> checkpoint();

    /** Records a cleanup: its last deleted hash and cutoff replace the previous ones; the counts add up. */
    @SqlUpdate("INSERT INTO audit_checkpoint (id, hash, deleted_until, deleted) VALUES (1, :hash, :until, :deleted)"
            + " ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, deleted_until = excluded.deleted_until,"
            + " deleted = audit_checkpoint.deleted + excluded.deleted")
    void recordCleanup(@Bind("hash") String hash, @Bind("until") Instant cutoff, @Bind("deleted") long deleted);
}
