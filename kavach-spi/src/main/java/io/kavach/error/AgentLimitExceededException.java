package io.kavach.error;

/** Thrown when creating an agent would give its owner more active agents than the configured cap. */
public class AgentLimitExceededException extends KavachException {
    private final String ownerId;
    private final int limit;

    public AgentLimitExceededException(String ownerId, int limit) {
        super(ErrorCode.AGENT_LIMIT_EXCEEDED,
                "owner " + ownerId + " already has " + limit + " active agents, the configured maximum");
        this.ownerId = ownerId;
        this.limit = limit;
    }

    public String ownerId() {
        return ownerId;
    }

    public int limit() {
        return limit;
    }
}
