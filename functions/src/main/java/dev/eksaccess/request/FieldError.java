package dev.eksaccess.request;

import java.util.List;
import java.util.stream.Collectors;

/** One problem with one field of a message; {@code field} is "message" for problems with the whole body. */
public record FieldError(String field, String problem) {

    public static final String MESSAGE = "message";

    @Override
    public String toString() {
        return field + ": " + problem;
    }

    /** All errors as one rejection reason. */
    public static String join(List<FieldError> errors) {
        return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }
}
