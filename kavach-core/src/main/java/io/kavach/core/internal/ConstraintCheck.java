package io.kavach.core.internal;

import io.kavach.AuthorizeRequest;
import io.kavach.model.Approval;
import io.kavach.model.Constraints;
import io.kavach.model.DecisionCode;
import io.kavach.model.Glob;
import io.kavach.spi.RateLimitStore.RateWindow;
import io.kavach.spi.StoreSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Checks a grant's constraints against one request, cheapest first: time window, client IP,
 * arguments, rate limit, approval. Checking consumes nothing; the caller consumes the rate quota
 * and the approval only once the whole decision allows the call.
 */
final class ConstraintCheck {
    static final Duration RATE_WINDOW = Duration.ofHours(1);

    private ConstraintCheck() {
    }

    /**
     * The outcome for one grant: passed (with the approval it would consume, if any) or failed
     * with a code, a reason and, where waiting helps, a retry time.
     */
    record Outcome(DecisionCode failure, String reason, Instant retryAfter, Approval approvalToConsume) {
        static Outcome passed(Approval approval) {
            return new Outcome(null, null, null, approval);
        }

        static Outcome failed(DecisionCode code, String reason, Instant retryAfter) {
            return new Outcome(code, reason, retryAfter, null);
        }

        boolean passed() {
            return failure == null;
        }
    }

    static Outcome check(StoreSession session, String agentId, Grant grant, AuthorizeRequest request, Instant now) {
        Constraints c = grant.permission().constraints();
        if (c.isEmpty()) {
            return Outcome.passed(null);
        }
        if (c.timeWindow() != null && !c.timeWindow().contains(now)) {
            return Outcome.failed(DecisionCode.TIME_RESTRICTED,
                    "calls are allowed only " + c.timeWindow() + " by " + grant.permission().resource(), null);
        }
        if (!c.ipAllowlist().isEmpty()) {
            String ip = request.client().ip();
            if (ip == null) {
                return Outcome.failed(DecisionCode.IP_NOT_ALLOWED,
                        "the permission for " + grant.permission().resource() + " has an IP allowlist and the request has no client IP", null);
            }
            if (c.ipAllowlist().stream().noneMatch(range -> range.contains(ip))) {
                return Outcome.failed(DecisionCode.IP_NOT_ALLOWED,
                        "client IP " + ip + " is not in the allowlist " + c.ipAllowlist(), null);
            }
        }
        if (!c.allowedArgPatterns().isEmpty()) {
            String rejected = firstRejectedArgument(request.arguments(), c.allowedArgPatterns(), "");
            if (rejected != null) {
                return Outcome.failed(DecisionCode.ARGUMENT_REJECTED,
                        "argument " + rejected + " matches none of the allowed patterns " + c.allowedArgPatterns(), null);
            }
        }
        if (c.maxCallsPerHour() != null) {
            RateWindow window = session.rateLimits().window(agentId, grant.rateKey(), now.minus(RATE_WINDOW));
            if (window.count() >= c.maxCallsPerHour()) {
                Instant retry = window.earliest() == null ? null : window.earliest().plus(RATE_WINDOW);
                return Outcome.failed(DecisionCode.RATE_LIMITED,
                        "rate limit of " + c.maxCallsPerHour() + " calls per hour reached for "
                                + grant.permission().resource() + " (" + window.count() + " calls in the last hour)",
                        retry);
            }
        }
        if (c.requireApproval()) {
            return session.approvals().findUsable(agentId, request.action(), request.resource(), now)
                    .map(Outcome::passed)
                    .orElseGet(() -> Outcome.failed(DecisionCode.APPROVAL_REQUIRED,
                            request.action() + " on " + request.resource() + " needs an approval", null));
        }
        return Outcome.passed(null);
    }

    /** The path and value of the first string argument no glob matches, or null if all match. */
    private static String firstRejectedArgument(Object value, List<Glob> globs, String path) {
        if (value instanceof String text) {
            return globs.stream().anyMatch(g -> g.matches(text)) ? null : path + "='" + abbreviate(text) + "'";
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String rejected = firstRejectedArgument(entry.getValue(), globs,
                        path.isEmpty() ? String.valueOf(entry.getKey()) : path + "." + entry.getKey());
                if (rejected != null) {
                    return rejected;
                }
            }
        } else if (value instanceof Iterable<?> list) {
            int i = 0;
            for (Object element : list) {
                String rejected = firstRejectedArgument(element, globs, path + "[" + i++ + "]");
                if (rejected != null) {
                    return rejected;
                }
            }
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
