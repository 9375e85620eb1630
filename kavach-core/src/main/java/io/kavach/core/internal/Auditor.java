package io.kavach.core.internal;

import io.kavach.AuthorizeRequest;
import io.kavach.audit.ArgumentRedactor;
import io.kavach.audit.AuditHasher;
import io.kavach.model.Agent;
import io.kavach.model.AuditEntry;
import io.kavach.model.AuditResult;
import io.kavach.model.DecisionCode;
import io.kavach.model.Ids;
import io.kavach.spi.StoreSession;
import java.time.Instant;
import java.util.List;

/** Builds audit entries, links them into the hash chain and appends them, inside the caller's transaction. */
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
        append(session, new AuditEntry(auditId, at,
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
                request != null ? AuditHasher.normalize(redactor.redact(request.arguments())) : null, null, null));
    }

    /**
     * Appends the entry of an administrative event such as {@code agent.created}.
     *
     * @param subjectId the id of what changed, recorded as the entry's resource
     */
    public String event(StoreSession session, Instant at, Agent agent, String event, String subjectId,
                        AuditResult result, String code, String reason) {
        String id = newId();
        append(session, new AuditEntry(id, at,
                agent != null ? agent.id() : null,
                agent != null ? agent.ownerId() : null,
                agent != null ? agent.tenantId() : null,
                event, subjectId, result, code, reason, null, 0, null, List.of(), null, null, null, null, null));
        return id;
    }

    /**
     * Links the entry to the head of the chain and appends it. Writes are serialized by the store,
     * so the head read here is the one the entry follows, across threads and instances.
     */
    private static void append(StoreSession session, AuditEntry entry) {
        String previous = session.audit().headHash().orElse(AuditEntry.GENESIS);
        AuditEntry linked = entry.chained(previous, null);
        session.audit().append(linked.chained(previous, AuditHasher.hash(linked)));
    }
}
