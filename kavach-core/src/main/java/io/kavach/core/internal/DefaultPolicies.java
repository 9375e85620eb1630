package io.kavach.core.internal;

import io.kavach.error.InvalidInputException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Agent;
import io.kavach.model.AuditResult;
import io.kavach.model.BudgetLimits;
import io.kavach.model.BudgetPolicy;
import io.kavach.model.DecisionCode;
import io.kavach.model.Ids;
import io.kavach.model.PolicyAction;
import io.kavach.model.PolicyScope;
import io.kavach.model.PolicyStatus;
import io.kavach.model.PolicyUsage;
import io.kavach.model.UsageReservation;
import io.kavach.policy.BudgetCheck;
import io.kavach.policy.BudgetEvaluator.Evaluation;
import io.kavach.policy.BudgetPeriods;
import io.kavach.policy.BudgetPolicies;
import io.kavach.policy.BudgetViolation;
import io.kavach.policy.CreatePolicyRequest;
import io.kavach.policy.PolicyCounters;
import io.kavach.policy.PolicyFilter;
import io.kavach.policy.RecordedUsage;
import io.kavach.policy.UpdatePolicyRequest;
import io.kavach.spi.PolicyQuery;
import io.kavach.spi.StoreSession;
import io.kavach.spi.internal.Checks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The budget policy service behind {@code kavach.policy()}. */
public final class DefaultPolicies implements BudgetPolicies {
    private final Context context;
    private final PolicyEngine engine;
    private final Notifier notifier;

    public DefaultPolicies(Context context, PolicyEngine engine, Notifier notifier) {
        this.context = context;
        this.engine = engine;
        this.notifier = notifier;
    }

    @Override
    public BudgetPolicy create(CreatePolicyRequest request) {
        BeanValidation.check("request", request);
        if (request.agentId() != null) {
            Checks.id("agentId", request.agentId(), Ids.AGENT);
        }
        for (int i = 0; i < request.poolAgentIds().size(); i++) {
            Checks.id("poolAgentIds[" + i + "]", request.poolAgentIds().get(i), Ids.AGENT);
        }
        Instant now = context.now();
        PolicyScope scope = request.poolName() != null
                ? PolicyScope.pool(request.poolName(), request.poolAgentIds())
                : new PolicyScope(request.agentId(), request.userId(), request.tenantId(), null, null);
        BudgetPolicy policy = new BudgetPolicy(context.ids().next(Ids.POLICY), scope, request.limits(), request.action(),
                PolicyStatus.ACTIVE, null, now, now);
        return context.store().write(session -> {
            List<String> named = new ArrayList<>(scope.poolAgentIds());
            if (scope.agentId() != null) {
                named.add(scope.agentId());
            }
            for (String agentId : named) {
                if (session.agents().find(agentId).isEmpty()) {
                    throw new InvalidInputException(scope.isPool() ? "poolAgentIds" : "agentId", agentId, "names no agent");
                }
            }
            session.policies().insert(policy);
            audit(session, now, policy, "policy.created", "POLICY_CREATED",
                    policy.action().name().toLowerCase(Locale.ROOT) + " policy for " + scope + ": " + describe(policy.limits()));
            return policy;
        });
    }

    @Override
    public Optional<BudgetPolicy> find(String policyId) {
        Checks.id("policyId", policyId, Ids.POLICY);
        return context.store().read(session -> session.policies().find(policyId));
    }

    @Override
    public BudgetPolicy get(String policyId) {
        return find(policyId).orElseThrow(() -> new NotFoundException("policy", policyId));
    }

    @Override
    public List<BudgetPolicy> list(PolicyFilter filter) {
        Checks.notNull("filter", filter);
        if (filter.agentId() != null) {
            Checks.id("agentId", filter.agentId(), Ids.AGENT);
            return context.store().read(session -> {
                Agent agent = DefaultAgents.load(session, filter.agentId());
                return session.policies().applicableTo(agent.id(), agent.ownerId(), agent.tenantId()).stream()
                        .filter(p -> filter.status() == null || p.status() == filter.status())
                        .limit(filter.limit()).toList();
            });
        }
        boolean scoped = filter.userId() != null || filter.tenantId() != null;
        PolicyQuery query = new PolicyQuery(filter.userId(), filter.tenantId(), scoped, filter.status(), filter.limit());
        return context.store().read(session -> session.policies().list(query));
    }

    @Override
    public BudgetPolicy update(String policyId, UpdatePolicyRequest request) {
        Checks.id("policyId", policyId, Ids.POLICY);
        Checks.notNull("request", request);
        if (request.limits() != null && request.limits().isEmpty()) {
            throw new InvalidInputException("limits", "none", "at least one limit must be set");
        }
        Instant now = context.now();
        return context.store().write(session -> {
            BudgetPolicy current = load(session, policyId);
            BudgetLimits limits = request.limits() != null ? request.limits() : current.limits();
            PolicyAction action = request.action() != null ? request.action() : current.action();
            PolicyStatus status = current.status();
            Instant triggeredUntil = current.triggeredUntil();
            if (Boolean.FALSE.equals(request.enabled())) {
                status = PolicyStatus.DISABLED;
                triggeredUntil = null;
            } else if (Boolean.TRUE.equals(request.enabled()) && status == PolicyStatus.DISABLED
                    || status == PolicyStatus.TRIGGERED && (request.limits() != null || request.action() != null)) {
                // New terms are judged afresh on the next call.
                status = PolicyStatus.ACTIVE;
                triggeredUntil = null;
            }
            BudgetPolicy updated = new BudgetPolicy(current.id(), current.scope(), limits, action, status, triggeredUntil,
                    current.createdAt(), now);
            session.policies().update(updated);
            audit(session, now, updated, "policy.updated", "POLICY_UPDATED",
                    action.name().toLowerCase(Locale.ROOT) + ", " + status.name().toLowerCase(Locale.ROOT)
                            + ": " + describe(limits));
            return updated;
        });
    }

    @Override
    public void remove(String policyId) {
        Checks.id("policyId", policyId, Ids.POLICY);
        Instant now = context.now();
        context.store().write(session -> {
            BudgetPolicy policy = load(session, policyId);
            session.policies().delete(policyId);
            audit(session, now, policy, "policy.removed", "POLICY_REMOVED", "policy for " + policy.scope() + " removed");
            return null;
        });
    }

    @Override
    public PolicyCounters counters(String policyId) {
        Checks.id("policyId", policyId, Ids.POLICY);
        Instant now = context.now();
        BudgetPeriods periods = engine.periods();
        String day = periods.dayKey(now);
        String month = periods.monthKey(now);
        return context.store().read(session -> {
            load(session, policyId);
            return new PolicyCounters(policyId, day, session.policies().usage(policyId, day), month,
                    session.policies().usage(policyId, month));
        });
    }

    @Override
    public BudgetCheck checkBudget(String agentId, long tokensCost) {
        Checks.id("agentId", agentId, Ids.AGENT);
        nonNegative("tokensCost", tokensCost);
        Instant now = context.now();
        return context.store().read(session -> {
            Agent agent = DefaultAgents.load(session, agentId);
            Evaluation evaluation = engine.evaluator().evaluate(engine.states(session, agent, now), tokensCost, 1, 0, now);
            if (!evaluation.denies()) {
                return new BudgetCheck(true, null, "within every applicable budget policy", null,
                        evaluation.violations(), null);
            }
            List<BudgetViolation> deciding = evaluation.deciding();
            return new BudgetCheck(false,
                    evaluation.decisive() == PolicyAction.THROTTLE ? DecisionCode.BUDGET_THROTTLED : DecisionCode.BUDGET_EXCEEDED,
                    deciding.stream().map(BudgetViolation::describe).collect(Collectors.joining("; ")),
                    deciding.get(0).policyId(), evaluation.violations(), evaluation.retryAfter());
        });
    }

    @Override
    public RecordedUsage recordUsage(String agentId, long tokensCost) {
        Checks.id("agentId", agentId, Ids.AGENT);
        nonNegative("tokensCost", tokensCost);
        Instant now = context.now();
        return counting(session -> {
            Agent agent = DefaultAgents.load(session, agentId);
            PolicyEngine.Changes changes = new PolicyEngine.Changes();
            List<String> counted = new ArrayList<>();
            for (var state : engine.states(session, agent, now)) {
                engine.add(session, state.policy().id(), now, new PolicyUsage(tokensCost, 1, 0));
                counted.add(state.policy().id());
            }
            List<String> triggered = engine.applyCrossings(session, agent, now, changes);
            return new Counted(new RecordedUsage(agentId, tokensCost, 1, counted, triggered), changes);
        });
    }

    @Override
    public RecordedUsage settle(String usageId, long actualCost) {
        Checks.id("usageId", usageId, Ids.AUDIT);
        nonNegative("actualCost", actualCost);
        Instant now = context.now();
        return counting(session -> {
            UsageReservation reservation = session.policies().findReservation(usageId)
                    .orElseThrow(() -> new NotFoundException("usage", usageId));
            long delta = Math.subtractExact(actualCost, reservation.tokensCost());
            List<String> adjusted = new ArrayList<>();
            for (String policyId : reservation.policyIds()) {
                if (delta != 0 && session.policies().find(policyId).isPresent()) {
                    PolicyUsage correction = new PolicyUsage(delta, 0, 0);
                    session.policies().addUsage(policyId, reservation.dayPeriod(), correction);
                    session.policies().addUsage(policyId, reservation.monthPeriod(), correction);
                    adjusted.add(policyId);
                }
            }
            session.policies().updateReservation(new UsageReservation(reservation.id(), reservation.agentId(),
                    reservation.policyIds(), reservation.dayPeriod(), reservation.monthPeriod(), actualCost,
                    reservation.createdAt(), now));
            PolicyEngine.Changes changes = new PolicyEngine.Changes();
            List<String> triggered = session.agents().find(reservation.agentId())
                    .map(agent -> engine.applyCrossings(session, agent, now, changes)).orElse(List.of());
            return new Counted(new RecordedUsage(reservation.agentId(), delta, 0, adjusted, triggered), changes);
        });
    }

    /** Usage counted in one transaction, with the events to tell after it commits. */
    private record Counted(RecordedUsage usage, PolicyEngine.Changes changes) {
    }

    /** Through the group commit: usage is recorded and settled as often as decisions are made. */
    private RecordedUsage counting(Function<StoreSession, Counted> work) {
        Counted counted = context.commits().run(work);
        notifier.budget(counted.changes().events());
        return counted.usage();
    }

    @Override
    public int resetDaily() {
        return resetPeriods(BudgetPeriods.DAY_PREFIX, engine.periods()::dayKey, "policy.reset_daily", "daily");
    }

    @Override
    public int resetMonthly() {
        return resetPeriods(BudgetPeriods.MONTH_PREFIX, engine.periods()::monthKey, "policy.reset_monthly", "monthly");
    }

    private int resetPeriods(String prefix, Function<Instant, String> currentKey, String event, String which) {
        Instant now = context.now();
        return context.store().write(session -> {
            Set<String> reset = new LinkedHashSet<>(session.policies().closeEarlierPeriods(prefix, currentKey.apply(now)));
            // Triggered in a window that has ended: active again. A policy triggered in the running
            // window stays triggered, so an early or repeated run changes nothing.
            for (BudgetPolicy policy : session.policies().list(
                    new PolicyQuery(null, null, false, PolicyStatus.TRIGGERED, Integer.MAX_VALUE))) {
                if (policy.statusAt(now) == PolicyStatus.ACTIVE) {
                    session.policies().update(policy.with(PolicyStatus.ACTIVE, null, now));
                    reset.add(policy.id());
                }
            }
            context.auditor().event(session, now, null, event, "policies", AuditResult.SUCCESS, "POLICIES_RESET",
                    which + " reset of " + reset.size() + " policies" + (reset.isEmpty() ? "" : ": " + String.join(", ", reset)));
            return reset.size();
        });
    }

    @Override
    public int reset(String policyId) {
        Checks.id("policyId", policyId, Ids.POLICY);
        Instant now = context.now();
        return context.store().write(session -> {
            BudgetPolicy policy = load(session, policyId);
            if (policy.status() == PolicyStatus.DISABLED) {
                return 0;
            }
            session.policies().clearUsage(policyId, engine.periods().dayKey(now));
            session.policies().clearUsage(policyId, engine.periods().monthKey(now));
            session.policies().update(policy.with(PolicyStatus.ACTIVE, null, now));
            audit(session, now, policy, "policy.reset", "POLICY_RESET", "running day and month counters zeroed by hand");
            return 1;
        });
    }

    private void audit(StoreSession session, Instant now, BudgetPolicy policy, String event, String code, String reason) {
        Agent agent = policy.scope().agentId() == null ? null : session.agents().find(policy.scope().agentId()).orElse(null);
        context.auditor().event(session, now, agent, event, policy.id(), AuditResult.SUCCESS, code, reason);
    }

    private static BudgetPolicy load(StoreSession session, String policyId) {
        return session.policies().find(policyId).orElseThrow(() -> new NotFoundException("policy", policyId));
    }

    private static void nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidInputException(field, value, "must not be negative");
        }
    }

    static String describe(BudgetLimits l) {
        List<String> parts = new ArrayList<>();
        add(parts, "maxTokensCostPerDay", l.maxTokensCostPerDay());
        add(parts, "maxTokensCostPerMonth", l.maxTokensCostPerMonth());
        add(parts, "maxCallsPerDay", l.maxCallsPerDay());
        add(parts, "maxCallsPerMonth", l.maxCallsPerMonth());
        add(parts, "maxCostPerDay", l.maxCostPerDay());
        add(parts, "maxCostPerMonth", l.maxCostPerMonth());
        return String.join(", ", parts);
    }

    private static void add(List<String> parts, String name, Long value) {
        if (value != null) {
            parts.add(name + "=" + value);
        }
    }
}
