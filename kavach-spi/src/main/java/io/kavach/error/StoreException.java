package io.kavach.error;

/**
 * Thrown when the store fails for reasons that are not the caller's input. Stores translate their
 * database and driver errors into this, so callers never see JDBC or Jdbi types.
 */
public class StoreException extends KavachException {
    public StoreException(String message, Throwable cause) {
        super(ErrorCode.STORE_FAILURE, message, cause);
    }
}
