package io.kavach.core.internal;

import io.kavach.AuthorizeRequest;
import io.kavach.audit.ArgumentRedactor;
import io.kavach.model.Agent;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.DecisionCode;
import io.kavach.model.Ids;
import io.kavach.spi.StoreSession;
import java.time.Instant;
import java.util.List;

/** Builds and appends audit entries, inside the caller's transaction. */
public final class Auditor {
    private final Ids ids;
    private final ArgumentRedactor redactor;

    Auditor(Ids ids, ArgumentRedactor redactor) {
        this.ids = ids;
        this.redactor = redactor;
    }

    public String newId() {
        return ids.next(Ids.AUDIT);
    }

    /** Appends the entry of one authorization decision. */
    public void decision(StoreSession session, String auditId, Instant at, String agentId, Agent agent,
                         AuthorizeRequest request, DecisionCode code, String reason, String chainId,
                         List<String> policyIds, long durationMicros) {
        session.audit().append(new AuditEntry(auditId, at,
                agent != null ? agent.id() : agentId,
                agent != null ? agent.ownerId() : null,
                agent != null ? agent.tenantId() : null,
                request != null ? request.action() : null,
                request != null ? request.resource() : null,
                code.isAllowed() ? AuditResult.ALLOWED : AuditResult.DENIED,
                code.name(), reason,
                request != null ? request.tokensCost() : null,
                durationMicros, chainId, policyIds,
                request != null ? request.client().ip() : null,
                request != null ? request.client().userAgent() : null,
                request != null ? redactor.redact(request.arguments()) : null));
    }

    /**
     * Appends the entry of an administrative event such as {@code agent.created}.
     *
     * @param subjectId the id of what changed, recorded as the entry's resource
     */
    public String event(StoreSession session, Instant at, Agent agent, String event, String subjectId,
                        AuditResult result, String code, String reason) {
        String id = newId();
        session.audit().append(new AuditEntry(id, at,
                agent != null ? agent.id() : null,
                agent != null ? agent.ownerId() : null,
                agent != null ? agent.tenantId() : null,
                event, subjectId, result, code, reason, null, 0, null, List.of(), null, null, null));
        return id;
    }
}
