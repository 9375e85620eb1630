package io.kavach.core.internal;

import io.kavach.error.InvalidInputException;
import io.kavach.error.Violation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Bean Validation of administrative requests. Every violation is reported in one
 * {@link InvalidInputException}, sorted by field. The validator is built once per JVM.
 */
public final class BeanValidation {
    private BeanValidation() {
    }

    private static final class Holder {
        static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
        static final Validator VALIDATOR = FACTORY.getValidator();
    }

    /** @throws InvalidInputException listing every violation, when {@code request} has any */
    public static <T> T check(String what, T request) {
        if (request == null) {
            throw new InvalidInputException(what, null, "must not be null");
        }
        Set<ConstraintViolation<T>> violations = Holder.VALIDATOR.validate(request);
        if (!violations.isEmpty()) {
            List<Violation> list = violations.stream()
                    .map(v -> Violation.of(field(v), v.getInvalidValue(), v.getMessage()))
                    .sorted(Comparator.comparing(Violation::field).thenComparing(Violation::problem))
                    .toList();
            throw new InvalidInputException(list);
        }
        return request;
    }

    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // Class-level checks such as "isExpiry" are reported under their property name.
        return path.isEmpty() ? "request" : path.replace(".<list element>", "").replace("<map key>", "key");
    }
}
