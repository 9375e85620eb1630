package io.kavach.error;

/**
 * Stable, machine-readable codes carried by every {@link KavachException}. Codes are part of the
 * public contract: they are never renamed, only added.
 */
public enum ErrorCode {
    /** An argument was null, blank, malformed, out of range or too long. */
    INVALID_INPUT,
    /** The agent, delegation chain or approval named by an id does not exist. */
    NOT_FOUND,
    /** The operation does not apply to the object in its current state (a revoked agent, say). */
    INVALID_STATE,
    /** Creating one more active agent would exceed the owner's configured cap. */
    AGENT_LIMIT_EXCEEDED,
    /** A delegation was refused; the exception's reason says which rule refused it. */
    DELEGATION_REJECTED,
    /** {@code Decision.requireAllowed()} was called on a denial. */
    ACCESS_DENIED,
    /** The store failed (I/O, corruption, an unexpected database error). */
    STORE_FAILURE
}
