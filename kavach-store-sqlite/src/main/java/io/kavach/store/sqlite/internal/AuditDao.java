package io.kavach.store.sqlite.internal;

import io.kavach.model.AuditEntry;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The fixed statement on {@code audit_log}: appending. */
interface AuditDao {

    @SqlUpdate("INSERT INTO audit_log (id, ts, agent_id, user_id, tenant_id, action, resource, result, code, reason,"
            + " tokens_cost, duration_micros, delegation_chain_id, policy_ids, ip, user_agent, arguments)"
            + " VALUES (:e.id, :e.timestamp, :e.agentId, :e.userId, :e.tenantId, :e.action, :e.resource, :e.result,"
            + " :e.code, :e.reason, :e.tokensCost, :e.durationMicros, :e.delegationChainId, :policyIds, :e.ip,"
            + " :e.userAgent, :arguments)")
    void append(@BindMethods("e") AuditEntry entry, @Bind("policyIds") String policyIdsJson,
            @Bind("arguments") String argumentsJson);
}
