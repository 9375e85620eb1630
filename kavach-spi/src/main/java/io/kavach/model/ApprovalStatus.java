package io.kavach.model;

/** An approval request's state. */
public enum ApprovalStatus {
    /** Waiting for a person or system to decide. */
    PENDING,
    /** Granted: one matching call may pass until the approval expires. */
    APPROVED,
    /** Refused. */
    DENIED,
    /** Granted and used by a call. */
    CONSUMED
}
