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
 * usage in the same transaction. The budget-policy module plugs in here; until then
 * {@link #NONE} allows everything and reserves nothing.
 */
@FunctionalInterface
public interface BudgetStage {

    BudgetStage NONE = (session, agent, request, now) -> Verdict.PASS;

    /** Evaluates the applicable policies and, when the call passes, reserves its usage. */
    Verdict checkAndReserve(StoreSession session, Agent agent, AuthorizeRequest request, Instant now);

    /**
     * The budget's answer.
     *
     * @param denial             null when the call passes, else BUDGET_THROTTLED or BUDGET_EXCEEDED
     * @param reason             for a denial, why
     * @param retryAfter         for a throttle, the window's end; else null
     * @param triggeredPolicyIds policies that triggered, denying or warning
     * @param warnings           warnings that do not deny
     */
    record Verdict(DecisionCode denial, String reason, Instant retryAfter, List<String> triggeredPolicyIds,
                   List<String> warnings) {
        public static final Verdict PASS = new Verdict(null, null, null, List.of(), List.of());
    }
}
