package io.kavach.core.internal;

import io.kavach.AuthorizeRequest;
import io.kavach.Decision;
import io.kavach.KavachListener;
import io.kavach.cost.CostAlert;
import io.kavach.model.BudgetPolicy;
import io.kavach.policy.PolicyTriggered;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Calls the listeners. {@link #beforeAuthorize} fails closed; every other call happens after the
 * commit, and a listener that throws is logged and changes nothing.
 */
public final class Notifier {
    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());

    private final List<KavachListener> listeners;

    Notifier(List<KavachListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Budget happenings collected inside a transaction, told to the listeners after it commits. */
    public record BudgetEvents(List<PolicyTriggered> triggered, List<RevokedByPolicy> revoked) {
        public static final BudgetEvents NONE = new BudgetEvents(List.of(), List.of());

        public BudgetEvents {
            triggered = List.copyOf(triggered);
            revoked = List.copyOf(revoked);
        }
    }

    /** An agent revoked by a revoke policy. */
    public record RevokedByPolicy(String agentId, BudgetPolicy policy) {
    }

    /** The first denial reason a hook gives, or null to go on. */
    String beforeAuthorize(String agentId, AuthorizeRequest request) {
        for (KavachListener listener : listeners) {
            try {
                Optional<String> denial = listener.beforeAuthorize(agentId, request);
                if (denial != null && denial.isPresent()) {
                    return "denied by " + listener.getClass().getSimpleName() + ": " + denial.get();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "beforeAuthorize listener failed; denying the call", e);
                return "beforeAuthorize listener " + listener.getClass().getSimpleName() + " failed: " + e;
            }
        }
        return null;
    }

    void afterAuthorize(String agentId, AuthorizeRequest request, Decision decision, BudgetEvents events) {
        budget(events);
        for (KavachListener listener : listeners) {
            if (decision.denied()) {
                call(listener, l -> l.onViolation(agentId, request, decision));
            }
            call(listener, l -> l.afterAuthorize(agentId, request, decision));
        }
    }

    void budget(BudgetEvents events) {
        for (KavachListener listener : listeners) {
            events.triggered().forEach(e -> call(listener, l -> l.onPolicyTriggered(e)));
            events.revoked().forEach(e -> call(listener, l -> l.onAgentRevokedByPolicy(e.agentId(), e.policy())));
        }
    }

    void costAlerts(List<CostAlert> alerts) {
        for (KavachListener listener : listeners) {
            alerts.forEach(alert -> call(listener, l -> l.onCostAlert(alert)));
        }
    }

    private static void call(KavachListener listener, Consumer<KavachListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "listener " + listener.getClass().getName() + " failed; nothing was changed", e);
        }
    }
}
