package io.kavach.model;

/** What kind of principal an agent is. */
public enum AgentType {
    /** Acts on its own, on behalf of its owner. */
    AUTONOMOUS,
    /** Created to work on permissions delegated by another agent. */
    DELEGATED,
    /** A backend service identity. */
    SERVICE
}
