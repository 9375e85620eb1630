package io.kavach.model;

/**
 * What a budget policy does once a call would exceed one of its limits. When several policies
 * are exceeded, the most severe action decides: revoke, then block, then throttle, then warn.
 */
public enum PolicyAction {
    /** Allow the call, mark the policy triggered and tell the listeners. */
    WARN(1),
    /** Deny calls that would exceed; smaller calls that still fit pass. Lifts when the window rolls over. */
    THROTTLE(2),
    /** Once a call would exceed, deny every call until the window resets. */
    BLOCK(3),
    /** As block, and revoke the agent and its delegations at once. */
    REVOKE(4);

    private final int severity;

    PolicyAction(int severity) {
        this.severity = severity;
    }

    /** Higher is more severe. */
    public int severity() {
        return severity;
    }

    /** Whether this action denies calls while the policy stays triggered. */
    public boolean blocks() {
        return this == BLOCK || this == REVOKE;
    }
}
