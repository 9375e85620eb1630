package io.kavach.error;

import java.util.Objects;

/**
 * The root of every exception Kavach throws. Unchecked; {@link #code()} is stable and meant for
 * programs, the message for people. Denials of {@code authorize} are never exceptions: they are
 * returned as decisions.
 */
public class KavachException extends RuntimeException {
    private final ErrorCode code;

    public KavachException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public KavachException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(code, "code") + ": " + message, cause);
        this.code = code;
    }

    /** The stable code of this failure. */
    public ErrorCode code() {
        return code;
    }
}
