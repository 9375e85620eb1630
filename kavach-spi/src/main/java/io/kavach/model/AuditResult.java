package io.kavach.model;

/** The outcome recorded in an audit entry. */
public enum AuditResult {
    /** An authorization that was allowed. */
    ALLOWED,
    /** An authorization, or an administrative request such as a delegation, that was refused. */
    DENIED,
    /** An administrative change that took effect (an agent created, a chain revoked, …). */
    SUCCESS
}
