package io.kavach.error;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when input is rejected. Carries every violation found, so one call reports all of them;
 * nothing has been stored when it is thrown.
 */
public class InvalidInputException extends KavachException {
    private final List<Violation> violations;

    public InvalidInputException(List<Violation> violations) {
        super(ErrorCode.INVALID_INPUT, describe(violations));
        this.violations = List.copyOf(violations);
    }

    /** A single violation: {@code field} was {@code value}, which is wrong because of {@code problem}. */
    public InvalidInputException(String field, Object value, String problem) {
        this(List.of(Violation.of(field, value, problem)));
    }

    /** All violations found, in a stable order. Never empty. */
    public List<Violation> violations() {
        return violations;
    }

    /** The field of the first violation. */
    public String field() {
        return violations.get(0).field();
    }

    private static String describe(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an InvalidInputException needs at least one violation");
        }
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
