package io.kavach.core.internal;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.error.InvalidInputException;
import io.kavach.model.Agent;
import io.kavach.model.Approval;
import io.kavach.model.ApprovalStatus;
import io.kavach.model.DecisionCode;
import io.kavach.model.Ids;
import io.kavach.spi.StoreSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one authorization pipeline behind {@code authorize} and {@code authorizeByToken}, in the
 * order of DESIGN section 4: request, hooks, agent, grants and constraints, budget; then, in the
 * same transaction, the quota and budget reservations and exactly one audit entry; listeners after
 * the commit. Concurrent decisions share transactions through {@link GroupCommit}; each caller
 * returns once its own decision has committed.
 */
public final class AuthorizePipeline {
    private final Context context;
    private final BudgetStage budget;
    private final Notifier notifier;
    private final GroupCommit commits;

    public AuthorizePipeline(Context context, BudgetStage budget, Notifier notifier) {
        this.context = context;
        this.budget = budget;
        this.notifier = notifier;
        this.commits = context.commits();
    }

    /** How the caller named the agent: by id, or by a token whose hash the store looks up. */
    public record AgentRef(String agentId, String tokenHash) {
        Optional<Agent> lookup(StoreSession session) {
            return tokenHash != null ? session.agents().findByTokenHash(tokenHash) : session.agents().find(agentId);
        }
    }

    public Decision byId(String agentId, AuthorizeRequest request) {
        if (!Ids.isValid(Ids.AGENT, agentId)) {
            // The malformed id is kept, shortened, in the audit entry of the INVALID_REQUEST decision.
            return run(new AgentRef(quote(agentId), null), request,
                    "agentId " + quote(agentId) + " is not an agent id (agt_ followed by 26 characters)");
        }
        return run(new AgentRef(agentId, null), request, null);
    }

    public Decision byToken(String token, AuthorizeRequest request) {
        if (!Tokens.isWellFormed(token)) {
            return run(new AgentRef(null, null), request, "the token is not a Kavach token (kv_ followed by 43 characters)");
        }
        return run(new AgentRef(null, Tokens.hash(token)), request, null);
    }

    /** Builds the request itself, so that malformed input becomes an INVALID_REQUEST decision. */
    public Decision byId(String agentId, String action, String resource) {
        AuthorizeRequest request;
        try {
            request = AuthorizeRequest.of(action, resource);
        } catch (InvalidInputException e) {
            return run(new AgentRef(Ids.isValid(Ids.AGENT, agentId) ? agentId : quote(agentId), null), null, e.getMessage());
        }
        return byId(agentId, request);
    }

    private Decision run(AgentRef ref, AuthorizeRequest request, String invalid) {
        long started = System.nanoTime();
        if (invalid == null && request == null) {
            invalid = "the request is null";
        }
        String hookDenial = invalid == null ? notifier.beforeAuthorize(ref.agentId(), request) : null;
        String problem = invalid;
        Attempt done = commits.run(session -> {
            Attempt attempt = new Attempt(session, ref, request, context.now(), started);
            attempt.decision = problem != null
                    ? attempt.deny(null, DecisionCode.INVALID_REQUEST, problem)
                    : decide(attempt, hookDenial);
            return attempt;
        });
        Decision decision = done.decision;
        notifier.afterAuthorize(decision.agentId() != null ? decision.agentId() : ref.agentId(), request, decision,
                done.events);
        return decision;
    }

    private Decision decide(Attempt attempt, String hookDenial) {
        Optional<Agent> found = attempt.ref.lookup(attempt.session);
        Agent agent = found.orElse(null);
        if (hookDenial != null) {
            return attempt.deny(agent, DecisionCode.HOOK_DENIED, hookDenial);
        }
        if (agent == null) {
            return attempt.deny(null, DecisionCode.AGENT_NOT_FOUND, attempt.ref.tokenHash() != null
                    ? "no agent holds this token" : "agent " + attempt.ref.agentId() + " does not exist");
        }
        switch (agent.statusAt(attempt.now)) {
            case REVOKED:
                return attempt.deny(agent, DecisionCode.AGENT_REVOKED, "agent " + agent.id() + " is revoked");
            case EXPIRED:
                return attempt.deny(agent, DecisionCode.AGENT_EXPIRED,
                        "agent " + agent.id() + " expired at " + agent.expiresAt());
            default:
                break;
        }

        AuthorizeRequest request = attempt.request;
        List<Grant> matching = new ArrayList<>();
        for (Grant grant : Grants.effective(attempt.session, agent, attempt.now)) {
            if (grant.permission().grants(request.action(), request.resource())) {
                matching.add(grant);
            }
        }
        if (matching.isEmpty()) {
            return attempt.deny(agent, DecisionCode.PERMISSION_DENIED, "agent " + agent.id()
                    + " has no permission for " + request.action() + " on " + request.resource());
        }

        Grant chosen = null;
        ConstraintCheck.Outcome outcome = null;
        ConstraintCheck.Outcome firstFailure = null;
        Grant firstFailingGrant = null;
        for (Grant grant : matching) {
            outcome = ConstraintCheck.check(attempt.session, agent.id(), grant, request, attempt.now);
            if (outcome.passed()) {
                chosen = grant;
                break;
            }
            if (firstFailure == null) {
                firstFailure = outcome;
                firstFailingGrant = grant;
            }
        }
        if (chosen == null) {
            attempt.chainId = firstFailingGrant.chainId();
            attempt.retryAfter = firstFailure.retryAfter();
            if (firstFailure.failure() == DecisionCode.APPROVAL_REQUIRED) {
                attempt.approvalId = pendingApproval(attempt, agent).id();
                return attempt.deny(agent, DecisionCode.APPROVAL_REQUIRED,
                        firstFailure.reason() + "; approval request " + attempt.approvalId + " is pending");
            }
            return attempt.deny(agent, firstFailure.failure(), firstFailure.reason());
        }

        attempt.chainId = chosen.chainId();
        BudgetStage.Verdict verdict = budget.checkAndReserve(attempt.session, agent, request, attempt.now, attempt.auditId);
        attempt.policyIds = verdict.triggeredPolicyIds();
        attempt.warnings = verdict.warnings();
        attempt.events = verdict.events();
        attempt.usageId = verdict.usageId();
        if (verdict.denial() != null) {
            attempt.retryAfter = verdict.retryAfter();
            return attempt.deny(agent, verdict.denial(), verdict.reason());
        }

        // Allowed: consume what the decision used, in this same transaction.
        Integer maxCalls = chosen.permission().constraints().maxCallsPerHour();
        if (maxCalls != null) {
            attempt.session.rateLimits().record(agent.id(), chosen.rateKey(), attempt.now,
                    attempt.now.minus(ConstraintCheck.RATE_WINDOW));
        }
        Approval approval = outcome.approvalToConsume();
        if (approval != null) {
            attempt.session.approvals().update(new Approval(approval.id(), approval.agentId(), approval.action(),
                    approval.resource(), ApprovalStatus.CONSUMED, approval.requestedAt(), approval.decidedAt(),
                    approval.decidedBy(), approval.expiresAt(), attempt.now));
        }
        attempt.session.agents().touch(agent.id(), attempt.now);
        attempt.grant = chosen;
        String via = chosen.chain() == null ? "own permission " : "permission delegated by " + chosen.chain().fromAgentId()
                + " through " + chosen.chainId() + ": ";
        return attempt.finish(agent, DecisionCode.ALLOWED,
                request.action() + " on " + request.resource() + " allowed by " + via + chosen.permission().resource());
    }

    /** The pending request for this call, reusing one that already waits so retries do not pile up. */
    private Approval pendingApproval(Attempt attempt, Agent agent) {
        AuthorizeRequest request = attempt.request;
        return attempt.session.approvals().findPending(agent.id(), request.action(), request.resource())
                .orElseGet(() -> {
                    Approval created = new Approval(context.ids().next(Ids.APPROVAL), agent.id(), request.action(),
                            request.resource(), ApprovalStatus.PENDING, attempt.now, null, null, null, null);
                    attempt.session.approvals().insert(created);
                    return created;
                });
    }

    /** The state of one decision being made inside its transaction. */
    private final class Attempt {
        final StoreSession session;
        final AgentRef ref;
        final AuthorizeRequest request;
        final Instant now;
        final long started;
        /** Made up front: it is also the id of the usage the budget stage reserves. */
        final String auditId = context.auditor().newId();
        Decision decision;
        Notifier.BudgetEvents events = Notifier.BudgetEvents.NONE;
        String usageId;
        Grant grant;
        String chainId;
        Instant retryAfter;
        String approvalId;
        List<String> policyIds = List.of();
        List<String> warnings = List.of();

        Attempt(StoreSession session, AgentRef ref, AuthorizeRequest request, Instant now, long started) {
            this.session = session;
            this.ref = ref;
            this.request = request;
            this.now = now;
            this.started = started;
        }

        Decision deny(Agent agent, DecisionCode code, String reason) {
            grant = null;
            return finish(agent, code, reason);
        }

        /** Writes the one audit entry of this decision and returns the decision. */
        Decision finish(Agent agent, DecisionCode code, String reason) {
            long micros = (System.nanoTime() - started) / 1_000;
            context.auditor().decision(session, auditId, now, ref.agentId(), agent, request, code, reason,
                    chainId, policyIds, micros);
            String agentId = agent != null ? agent.id() : ref.agentId();
            return new Decision(code.isAllowed(), code, reason, auditId, agentId,
                    grant == null ? null : grant.permission(), chainId, policyIds, warnings,
                    code.isAllowed() ? null : retryAfter, approvalId, code.isAllowed() ? usageId : null, now);
        }
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return "'" + (value.length() > 60 ? value.substring(0, 60) + "…" : value) + "'";
    }
}
