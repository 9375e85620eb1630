package io.kavach.core.internal;

import io.kavach.AuthorizeRequest;
import io.kavach.model.Agent;
import io.kavach.model.DecisionCode;
import io.kavach.spi.StoreSession;
import java.time.Instant;
import java.util.List;

/**
 * The budget step of authorize (DESIGN section 5): it runs inside the decision's transaction after
 * the permission checks, and either denies or, for a call that will be allowed, reserves the
 * usage in the same transaction. {@link #NONE} allows everything and reserves nothing.
 */
@FunctionalInterface
public interface BudgetStage {

    BudgetStage NONE = (session, agent, request, now, usageId) -> Verdict.PASS;

    /**
     * Evaluates the applicable policies and, when the call passes, reserves its usage under
     * {@code usageId}.
     */
    Verdict checkAndReserve(StoreSession session, Agent agent, AuthorizeRequest request, Instant now, String usageId);

    /**
     * The budget's answer.
     *
     * @param denial             null when the call passes, else BUDGET_THROTTLED or BUDGET_EXCEEDED
     * @param reason             for a denial, why
     * @param retryAfter         for a throttle, the window's end; else null
     * @param triggeredPolicyIds policies that triggered, denying or warning
     * @param warnings           warnings that do not deny
     * @param usageId            the reservation's id when usage was reserved, else null
     * @param events             what to tell the listeners after the commit
     */
    record Verdict(DecisionCode denial, String reason, Instant retryAfter, List<String> triggeredPolicyIds,
                   List<String> warnings, String usageId, Notifier.BudgetEvents events) {
        public static final Verdict PASS = new Verdict(null, null, null, List.of(), List.of(), null, Notifier.BudgetEvents.NONE);
    }
}
