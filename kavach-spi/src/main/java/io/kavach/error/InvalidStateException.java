package io.kavach.error;

/** Thrown when an operation does not apply to an object in its current state. */
public class InvalidStateException extends KavachException {
    private final String id;
    private final String state;

    public InvalidStateException(String id, String state, String message) {
        super(ErrorCode.INVALID_STATE, message + " (" + id + " is " + state + ")");
        this.id = id;
        this.state = state;
    }

    public String id() {
        return id;
    }

    public String state() {
        return state;
    }
}
