package io.kavach.model;

/** A delegation chain's state. {@code EXPIRED} is derived from the expiry time, never stored. */
public enum DelegationStatus {
    ACTIVE,
    REVOKED,
    EXPIRED
}
