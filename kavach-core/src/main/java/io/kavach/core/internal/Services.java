package io.kavach.core.internal;

import io.kavach.audit.AuditLog;
import io.kavach.policy.BudgetPeriods;
import io.kavach.spi.KavachStore;
import java.time.Clock;

/** The services of one Kavach instance, wired together. Immutable and thread-safe. */
public record Services(Context context, AuthorizePipeline pipeline, DefaultAgents agents,
                       DefaultDelegations delegations, DefaultPolicies policies, DefaultApprovals approvals,
                       AuditLog audit, DefaultCosts costs) {

    public static Services create(KavachStore store, Clock clock, Settings settings) {
        Context context = Context.create(store, clock, settings);
        DefaultDelegations delegations = new DefaultDelegations(context);
        DefaultAgents agents = new DefaultAgents(context, delegations);
        PolicyEngine engine = new PolicyEngine(context, new BudgetPeriods(settings.budgetZone()), agents::revokeInSession);
        return new Services(context,
                new AuthorizePipeline(context, engine, context.notifier()),
                agents, delegations,
                new DefaultPolicies(context, engine, context.notifier()),
                new DefaultApprovals(context),
                new DefaultAuditLog(context),
                new DefaultCosts(context, engine, context.notifier()));
    }
}
