package io.kavach.store.jdbi;

import io.kavach.model.AuditEntry;
import io.kavach.spi.codec.JsonCodec;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Appends audit entries to {@code audit_log} in one JDBC batch, binding each column directly: the
 * authorize path appends one entry per decision, and binding through Jdbi cost more than SQLite's
 * insert. Same columns and encodings as the stores' single {@code append}; the same SQL in both
 * dialects, where the database assigns {@code seq}.
 */
public final class AuditRows {
    private static final String INSERT = "INSERT INTO audit_log (id, ts, agent_id, user_id, tenant_id, action,"
            + " resource, result, code, reason, tokens_cost, duration_micros, delegation_chain_id, policy_ids, ip,"
            + " user_agent, arguments, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private AuditRows() {
    }

    /** Appends {@code entries} in list order, inside the handle's transaction. */
    public static void appendAll(Handle handle, List<AuditEntry> entries) {
        try {
            PreparedStatement insert = StatementCache.prepare(handle, INSERT);
            try {
                for (AuditEntry e : entries) {
                    insert.setString(1, e.id());
                    insert.setLong(2, e.timestamp().toEpochMilli());
                    insert.setString(3, e.agentId());
                    insert.setString(4, e.userId());
                    insert.setString(5, e.tenantId());
                    insert.setString(6, e.action());
                    insert.setString(7, e.resource());
                    insert.setString(8, e.result().name());
                    insert.setString(9, e.code());
                    insert.setString(10, e.reason());
                    if (e.tokensCost() == null) {
                        insert.setNull(11, Types.BIGINT);
                    } else {
                        insert.setLong(11, e.tokensCost());
                    }
                    insert.setLong(12, e.durationMicros());
                    insert.setString(13, e.delegationChainId());
                    insert.setString(14, JsonCodec.stringsToJson(e.policyIds()));
                    insert.setString(15, e.ip());
                    insert.setString(16, e.userAgent());
                    insert.setString(17, JsonCodec.mapToJson(e.arguments()));
                    insert.setString(18, e.previousHash());
                    insert.setString(19, e.hash());
                    insert.addBatch();
                }
                insert.executeBatch();
            } finally {
                StatementCache.release(handle, INSERT, insert);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("appending " + entries.size() + " audit entries: "
                    + e.getMessage(), e, null);
        }
    }
}
