package io.kavach.model;

/**
 * The stable code of an authorization decision. Codes are never renamed, only added; every denial
 * has exactly one. The order of the denials below is the order in which {@code authorize} checks.
 */
public enum DecisionCode {
    ALLOWED,
    /** The agent id or request was missing or malformed. */
    INVALID_REQUEST,
    /** A {@code beforeAuthorize} listener refused the call. */
    HOOK_DENIED,
    AGENT_NOT_FOUND,
    AGENT_REVOKED,
    AGENT_EXPIRED,
    /** No permission of the agent, own or delegated, grants the action on the resource. */
    PERMISSION_DENIED,
    /** The permission's time window does not include now. */
    TIME_RESTRICTED,
    /** The request's client IP is missing or outside the permission's allowlist. */
    IP_NOT_ALLOWED,
    /** A string argument matches none of the permission's argument patterns. */
    ARGUMENT_REJECTED,
    /** The permission's {@code maxCallsPerHour} is used up for the trailing hour. */
    RATE_LIMITED,
    /** The permission needs an approval; the decision carries the approval request's id. */
    APPROVAL_REQUIRED,
    /** A budget policy with action throttle would be exceeded by this call. */
    BUDGET_THROTTLED,
    /** A budget policy with action block or revoke is exceeded. */
    BUDGET_EXCEEDED;

    public boolean isAllowed() {
        return this == ALLOWED;
    }
}
