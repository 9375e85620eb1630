package io.kavach.error;

/**
 * Thrown when a delegation is refused: self-delegation, a cycle, an unknown or inactive agent, a
 * permission the parent does not hold, a constraint that would widen, an expiry in the past, or a
 * depth beyond the chain's limit. The rejection is audited before this is thrown.
 */
public class DelegationRejectedException extends KavachException {
    private final String reason;

    public DelegationRejectedException(String reason) {
        super(ErrorCode.DELEGATION_REJECTED, reason);
        this.reason = reason;
    }

    /** Why the delegation was refused, with the values involved. */
    public String reason() {
        return reason;
    }
}
