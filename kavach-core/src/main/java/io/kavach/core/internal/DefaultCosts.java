package io.kavach.core.internal;

import io.kavach.cost.AgentCost;
import io.kavach.cost.CostAlert;
import io.kavach.cost.CostAttribution;
import io.kavach.cost.CostBudgetCheck;
import io.kavach.cost.CostPeriod;
import io.kavach.cost.CostReport;
import io.kavach.cost.RecordCostRequest;
import io.kavach.error.InvalidInputException;
import io.kavach.error.NotFoundException;
import io.kavach.model.Agent;
import io.kavach.model.CostEvent;
import io.kavach.model.Ids;
import io.kavach.model.Microdollars;
import io.kavach.model.PolicyUsage;
import io.kavach.policy.BudgetEvaluator.PolicyState;
import io.kavach.policy.BudgetViolation;
import io.kavach.policy.PolicyTriggered;
import io.kavach.spi.CostStore.CostSlice;
import io.kavach.spi.CostStore.CostSummary;
import io.kavach.spi.StoreSession;
import io.kavach.spi.codec.JsonCodec;
import io.kavach.spi.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Cost attribution behind {@code kavach.costs()}. */
public final class DefaultCosts implements CostAttribution {
    /** The currency that budget policies' dollar limits count. */
    static final String POLICY_CURRENCY = RecordCostRequest.USD;
    private static final Duration ROLLING = Duration.ofHours(24);
    public static final int MAX_TOP = 1000;

    private final Context context;
    private final PolicyEngine engine;
    private final Notifier notifier;
    private final CostSettings settings;
    private final ZoneId zone;

    public DefaultCosts(Context context, PolicyEngine engine, Notifier notifier) {
        this.context = context;
        this.engine = engine;
        this.notifier = notifier;
        this.settings = context.settings().costs();
        this.zone = context.settings().budgetZone();
    }

    /** A recorded event with what to tell the listeners after the commit. */
    private record Recorded(CostEvent event, List<CostAlert> alerts, PolicyEngine.Changes changes) {
    }

    @Override
    public CostEvent recordCost(RecordCostRequest request) {
        BeanValidation.check("request", request);
        Checks.id("agentId", request.agentId(), Ids.AGENT);
        if (request.delegationChainId() != null) {
            Checks.id("delegationChainId", request.delegationChainId(), Ids.DELEGATION);
        }
        if (request.cost().isNegative()) {
            throw new InvalidInputException("cost", request.cost(), "must not be negative");
        }
        JsonCodec.mapToJson(request.metadata());
        Instant now = context.now();
        Recorded recorded = context.commits().run(session -> {
            Agent agent = session.agents().find(request.agentId())
                    .orElseThrow(() -> new InvalidInputException("agentId", request.agentId(), "names no agent"));
            if (request.delegationChainId() != null && session.delegations().find(request.delegationChainId()).isEmpty()) {
                throw new InvalidInputException("delegationChainId", request.delegationChainId(), "names no delegation chain");
            }
            long before = session.costs().spendSince(agent.id(), now.minus(ROLLING), request.currency());
            CostEvent event = new CostEvent(context.ids().next(Ids.COST_EVENT), now, LocalDate.ofInstant(now, zone).toString(),
                    agent.id(), agent.ownerId(), agent.tenantId(), request.tool(), request.inputTokens(),
                    request.outputTokens(), request.cost().micros(), request.currency(), request.metadata(),
                    request.delegationChainId());
            session.costs().insert(event);

            List<CostAlert> alerts = new ArrayList<>();
            PolicyEngine.Changes changes = new PolicyEngine.Changes();
            if (POLICY_CURRENCY.equals(request.currency()) && event.costMicros() > 0) {
                PolicyUsage spend = new PolicyUsage(0, 0, event.costMicros());
                for (PolicyState state : engine.states(session, agent, now)) {
                    engine.add(session, state.policy().id(), now, spend);
                }
                engine.applyCrossings(session, agent, now, changes);
                for (PolicyTriggered triggered : changes.triggered) {
                    BudgetViolation v = triggered.violation();
                    if (v.limit() != null && v.limit().startsWith("maxCost")) {
                        alerts.add(new CostAlert(CostAlert.Type.BUDGET_EXCEEDED, agent.id(), Microdollars.of(v.usage()),
                                Microdollars.of(v.max()), v.limit(), v.policyId(), now));
                    }
                }
            }
            long after = Math.addExact(before, event.costMicros());
            threshold(session, agent, CostAlert.Type.WARN, settings.warn(), before, after, now, alerts);
            threshold(session, agent, CostAlert.Type.CRITICAL, settings.critical(), before, after, now, alerts);
            return new Recorded(event, alerts, changes);
        });
        notifier.budget(recorded.changes().events());
        notifier.costAlerts(recorded.alerts());
        return recorded.event();
    }

    /** Raises the alert when this cost takes the rolling spend from below the threshold to it or above, outside the cooldown. */
    private void threshold(StoreSession session, Agent agent, CostAlert.Type type, Microdollars threshold, long before,
                           long after, Instant now, List<CostAlert> alerts) {
        if (threshold == null || before >= threshold.micros() || after < threshold.micros()) {
            return;
        }
        boolean cooling = session.costs().lastAlert(agent.id(), type.name())
                .map(last -> now.isBefore(last.plus(settings.cooldown()))).orElse(false);
        if (!cooling) {
            session.costs().saveAlert(agent.id(), type.name(), now);
            alerts.add(new CostAlert(type, agent.id(), Microdollars.of(after), threshold, "rolling 24h", null, now));
        }
    }

    @Override
    public CostEvent recordUsage(String agentId, String model, long inputTokens, long outputTokens) {
        Microdollars cost = settings.pricing().cost(model, inputTokens, outputTokens);
        return recordCost(RecordCostRequest.builder(agentId, model).tokens(inputTokens, outputTokens).cost(cost).build());
    }

    @Override
    public CostReport getAgentCost(String agentId) {
        return getAgentCost(agentId, currentMonth());
    }

    @Override
    public CostReport getAgentCost(String agentId, CostPeriod period) {
        Checks.id("agentId", agentId, Ids.AGENT);
        Checks.notNull("period", period);
        return context.store().read(session -> {
            DefaultAgents.load(session, agentId);
            return report(session, agentId, CostSlice.agent(agentId, POLICY_CURRENCY), period);
        });
    }

    @Override
    public CostReport getOwnerCost(String userId) {
        return getOwnerCost(userId, currentMonth());
    }

    @Override
    public CostReport getOwnerCost(String userId, CostPeriod period) {
        Checks.text("userId", userId, Checks.MAX_IDENTIFIER);
        Checks.notNull("period", period);
        return context.store().read(session -> report(session, userId, CostSlice.owner(userId, POLICY_CURRENCY), period));
    }

    @Override
    public List<AgentCost> getTopAgentsByCost(int n) {
        return getTopAgentsByCost(n, currentMonth());
    }

    @Override
    public List<AgentCost> getTopAgentsByCost(int n, CostPeriod period) {
        if (n < 1 || n > MAX_TOP) {
            throw new InvalidInputException("n", n, "must be between 1 and " + MAX_TOP);
        }
        Checks.notNull("period", period);
        return context.store().read(session -> session.costs().topAgents(n, period.start(), period.end(), POLICY_CURRENCY))
                .stream().map(t -> new AgentCost(t.agentId(), t.ownerId(), Microdollars.of(t.totals().costMicros()),
                        t.totals().calls())).toList();
    }

    @Override
    public CostReport getDelegationChainCost(String chainId) {
        Checks.id("chainId", chainId, Ids.DELEGATION);
        return context.store().read(session -> {
            if (session.delegations().find(chainId).isEmpty()) {
                throw new NotFoundException("delegation", chainId);
            }
            Set<String> chains = new LinkedHashSet<>();
            Deque<String> queue = new ArrayDeque<>(List.of(chainId));
            while (!queue.isEmpty()) {
                String id = queue.poll();
                if (chains.add(id)) {
                    queue.addAll(session.delegations().findChildIds(id));
                }
            }
            CostSummary summary = session.costs().summarize(CostSlice.chains(chains, POLICY_CURRENCY), null, null);
            return toReport(chainId, null, summary, false);
        });
    }

    @Override
    public CostBudgetCheck checkBudget(String agentId) {
        Checks.id("agentId", agentId, Ids.AGENT);
        Instant now = context.now();
        return context.store().read(session -> {
            Agent agent = DefaultAgents.load(session, agentId);
            CostBudgetCheck tightest = new CostBudgetCheck(true, Microdollars.ZERO, null, null, null, null);
            boolean within = true;
            for (PolicyState state : engine.states(session, agent, now)) {
                Long day = state.policy().limits().maxCostPerDay();
                Long month = state.policy().limits().maxCostPerMonth();
                for (int i = 0; i < 2; i++) {
                    Long limit = i == 0 ? day : month;
                    if (limit == null) {
                        continue;
                    }
                    long spent = (i == 0 ? state.day() : state.month()).costMicros();
                    long remaining = limit - spent;
                    within &= spent <= limit;
                    if (tightest.remaining() == null || remaining < tightest.remaining().micros()) {
                        tightest = new CostBudgetCheck(true, Microdollars.of(spent), Microdollars.of(limit),
                                Microdollars.of(remaining), state.policy().id(), i == 0 ? "maxCostPerDay" : "maxCostPerMonth");
                    }
                }
            }
            return new CostBudgetCheck(within, tightest.spent(), tightest.limit(), tightest.remaining(),
                    tightest.policyId(), tightest.window());
        });
    }

    @Override
    public long cleanup() {
        return cleanup(settings.retention());
    }

    @Override
    public long cleanup(Duration retention) {
        Checks.notNull("retention", retention);
        if (retention.isNegative()) {
            throw new InvalidInputException("retention", retention, "must not be negative");
        }
        Instant cutoff = context.now().minus(retention);
        return context.store().write(session -> session.costs().deleteBefore(cutoff));
    }

    /** Whole days in the zone are read from the rollups; any other period from the events. */
    private CostReport report(StoreSession session, String subject, CostSlice slice, CostPeriod period) {
        LocalDate from = LocalDate.ofInstant(period.start(), zone);
        LocalDate to = LocalDate.ofInstant(period.end(), zone);
        boolean wholeDays = from.atStartOfDay(zone).toInstant().equals(period.start())
                && to.atStartOfDay(zone).toInstant().equals(period.end());
        CostSummary summary = wholeDays
                ? session.costs().summarizeDays(slice, from.toString(), to.toString())
                : session.costs().summarize(slice, period.start(), period.end());
        return toReport(subject, period, summary, wholeDays);
    }

    private static CostReport toReport(String subject, CostPeriod period, CostSummary s, boolean fromRollups) {
        return new CostReport(subject, period, POLICY_CURRENCY, Microdollars.of(s.total().costMicros()), s.total().calls(),
                s.total().inputTokens(), s.total().outputTokens(),
                s.byTool().stream().map(t -> new CostReport.ToolCost(t.tool(), Microdollars.of(t.totals().costMicros()),
                        t.totals().calls(), t.totals().inputTokens(), t.totals().outputTokens())).toList(),
                s.byDay().stream().map(d -> new CostReport.DayCost(LocalDate.parse(d.day()),
                        Microdollars.of(d.totals().costMicros()), d.totals().calls())).toList(),
                fromRollups);
    }

    /** The running calendar month in the zone. */
    private CostPeriod currentMonth() {
        LocalDate today = LocalDate.ofInstant(context.now(), zone);
        LocalDate first = today.withDayOfMonth(1);
        return new CostPeriod(first.atStartOfDay(zone).toInstant(), first.plusMonths(1).atStartOfDay(zone).toInstant());
    }
}
