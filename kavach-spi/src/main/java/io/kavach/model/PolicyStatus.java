package io.kavach.model;

/** A budget policy's state. */
public enum PolicyStatus {
    /** Enforced, not triggered in the running period. */
    ACTIVE,
    /** A limit was crossed in the period that is still running. */
    TRIGGERED,
    /** Neither enforced nor counted, and left alone by every reset. */
    DISABLED
}
