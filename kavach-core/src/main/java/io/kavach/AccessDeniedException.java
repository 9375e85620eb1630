package io.kavach;

import io.kavach.error.ErrorCode;
import io.kavach.error.KavachException;

/** Thrown by {@link Decision#requireAllowed()} for callers who prefer an exception to a denial. */
public class AccessDeniedException extends KavachException {
    private final transient Decision decision;

    public AccessDeniedException(Decision decision) {
        super(ErrorCode.ACCESS_DENIED, decision.code() + " for agent " + decision.agentId() + ": " + decision.reason());
        this.decision = decision;
    }

    /** The denial. */
    public Decision decision() {
        return decision;
    }
}
