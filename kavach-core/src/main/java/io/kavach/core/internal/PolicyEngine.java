package io.kavach.core.internal;

import io.kavach.AuthorizeRequest;
import io.kavach.model.Agent;
import io.kavach.model.AuditResult;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.DecisionCode;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.model.UsageReservation;
import io.kavach.policy.BudgetEvaluator;
import io.kavach.policy.BudgetEvaluator.Evaluation;
import io.kavach.policy.BudgetEvaluator.PolicyState;
import io.kavach.policy.BudgetPeriods;
import io.kavach.policy.BudgetViolation;
import io.kavach.policy.PolicyTriggered;
import io.kavach.spi.StoreSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Budget enforcement inside the store's transactions: the budget stage of authorize, and the
 * counting and triggering shared with {@code kavach.policy()}. Stateless apart from its
 * configuration; thread-safe.
 */
public final class PolicyEngine implements BudgetStage {

    /** Revokes an agent (and its delegations) inside the caller's transaction. */
    @FunctionalInterface
    public interface Revoker {
        void revoke(StoreSession session, Agent agent, Instant now, String reason);
    }

    private final Context context;
    private final BudgetPeriods periods;
    private final BudgetEvaluator evaluator;
    private final Revoker revoker;

    public PolicyEngine(Context context, BudgetPeriods periods, Revoker revoker) {
        this.context = context;
        this.periods = periods;
        this.evaluator = new BudgetEvaluator(periods);
        this.revoker = revoker;
    }

    BudgetPeriods periods() {
        return periods;
    }

    BudgetEvaluator evaluator() {
        return evaluator;
    }

    /** The policies that apply to the agent and are not disabled, with their running counters. */
    List<PolicyState> states(StoreSession session, Agent agent, Instant now) {
        String day = periods.dayKey(now);
        String month = periods.monthKey(now);
        List<PolicyState> states = new ArrayList<>();
        for (BudgetPolicy policy : session.policies().applicableTo(agent.id(), agent.ownerId(), agent.tenantId())) {
            if (policy.statusAt(now) != PolicyStatus.DISABLED) {
                states.add(new PolicyState(policy, session.policies().usage(policy.id(), day),
                        session.policies().usage(policy.id(), month)));
            }
        }
        return states;
    }

    @Override
    public Verdict checkAndReserve(StoreSession session, Agent agent, AuthorizeRequest request, Instant now, String usageId) {
        List<PolicyState> states = states(session, agent, now);
        if (states.isEmpty()) {
            return Verdict.PASS;
        }
        boolean counted = request.tokensCost() != null;
        long tokens = counted ? request.tokensCost() : 0;
        Evaluation evaluation = evaluator.evaluate(states, tokens, counted ? 1 : 0, 0, now);
        Changes changes = new Changes();
        List<String> warnings = evaluation.warnings().stream().map(BudgetViolation::describe).toList();
        if (evaluation.denies()) {
            for (BudgetViolation v : evaluation.violations()) {
                if (v.action().blocks() && !v.alreadyTriggered()) {
                    trigger(session, find(states, v), agent, v, now, changes);
                }
            }
            // Only the agent whose call crosses a revoke limit is revoked; later callers in the same
            // scope meet a triggered policy and are blocked, as under a block policy.
            evaluation.deciding().stream()
                    .filter(v -> v.action() == PolicyAction.REVOKE && !v.alreadyTriggered()).findFirst()
                    .ifPresent(v -> revokeAgent(session, agent, v, states, now, changes));
            List<BudgetViolation> deciding = evaluation.deciding();
            DecisionCode code = evaluation.decisive() == PolicyAction.THROTTLE
                    ? DecisionCode.BUDGET_THROTTLED : DecisionCode.BUDGET_EXCEEDED;
            String reason = deciding.stream().map(BudgetViolation::describe).collect(Collectors.joining("; "));
            return new Verdict(code, reason, evaluation.retryAfter(), ids(evaluation.violations()), warnings, null,
                    changes.events());
        }

        String reserved = null;
        if (counted) {
            PolicyUsage delta = new PolicyUsage(tokens, 1, 0);
            for (PolicyState state : states) {
                add(session, state.policy().id(), now, delta);
            }
            session.policies().insertReservation(new UsageReservation(usageId, agent.id(),
                    states.stream().map(s -> s.policy().id()).toList(), periods.dayKey(now), periods.monthKey(now),
                    tokens, now, null));
            reserved = usageId;
        }
        for (BudgetViolation v : evaluation.warnings()) {
            if (!v.alreadyTriggered()) {
                trigger(session, find(states, v), agent, v, now, changes);
            }
        }
        return new Verdict(null, null, null, ids(evaluation.warnings()), warnings, reserved, changes.events());
    }

    /** Adds usage to the policy's day and month counters. */
    void add(StoreSession session, String policyId, Instant now, PolicyUsage delta) {
        session.policies().addUsage(policyId, periods.dayKey(now), delta);
        session.policies().addUsage(policyId, periods.monthKey(now), delta);
    }

    /**
     * After usage was recorded: triggers every active policy whose counters now exceed a limit,
     * revoking the agent when one of them is a revoke policy. Returns the triggered policies' ids.
     */
    List<String> applyCrossings(StoreSession session, Agent agent, Instant now, Changes changes) {
        List<PolicyState> states = states(session, agent, now);
        List<BudgetViolation> crossed = evaluator.crossed(states, now);
        BudgetViolation revoking = null;
        for (BudgetViolation v : crossed) {
            trigger(session, find(states, v), agent, v, now, changes);
            if (v.action() == PolicyAction.REVOKE && revoking == null) {
                revoking = v;
            }
        }
        if (revoking != null) {
            revokeAgent(session, agent, revoking, states, now, changes);
        }
        return ids(crossed);
    }

    private void trigger(StoreSession session, BudgetPolicy policy, Agent agent, BudgetViolation v, Instant now,
                         Changes changes) {
        BudgetPolicy triggered = policy.with(PolicyStatus.TRIGGERED, v.windowEnd(), now);
        session.policies().update(triggered);
        context.auditor().event(session, now, agent, "policy.triggered", policy.id(), AuditResult.SUCCESS,
                "POLICY_TRIGGERED", v.describe());
        changes.triggered.add(new PolicyTriggered(triggered, agent.id(), v, now));
    }

    private void revokeAgent(StoreSession session, Agent agent, BudgetViolation v, List<PolicyState> states,
                             Instant now, Changes changes) {
        if (!agent.isActiveAt(now)) {
            return;
        }
        revoker.revoke(session, agent, now, "revoked by budget policy " + v.policyId() + ": " + v.describe());
        changes.revoked.add(new Notifier.RevokedByPolicy(agent.id(), find(states, v)));
    }

    private static BudgetPolicy find(List<PolicyState> states, BudgetViolation v) {
        return states.stream().map(PolicyState::policy).filter(p -> p.id().equals(v.policyId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("violation of an unknown policy " + v.policyId()));
    }

    private static List<String> ids(List<BudgetViolation> violations) {
        return violations.stream().map(BudgetViolation::policyId).distinct().toList();
    }

    /** Budget events gathered in one transaction. Not thread-safe; one per unit of work. */
    static final class Changes {
        final List<PolicyTriggered> triggered = new ArrayList<>();
        final List<Notifier.RevokedByPolicy> revoked = new ArrayList<>();

        Notifier.BudgetEvents events() {
            return new Notifier.BudgetEvents(triggered, revoked);
        }
    }
}
