package dev.eksaccess.emulator.eks.internal;

/**
 * An EKS error answer: HTTP status, the {@code x-amzn-ErrorType} code the SDK maps to an exception class,
 * and the message. Thrown by the service and written by the HTTP front end.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    private ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError invalidParameter(String message) {
        return new ApiError(400, "InvalidParameterException", message);
    }

    public static ApiError invalidRequest(String message) {
        return new ApiError(400, "InvalidRequestException", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "ResourceNotFoundException", message);
    }

    public static ApiError inUse(String message) {
        return new ApiError(409, "ResourceInUseException", message);
    }

    public static ApiError limitExceeded(String message) {
        return new ApiError(400, "ResourceLimitExceededException", message);
    }

    public static ApiError server(String message) {
        return new ApiError(500, "ServerException", message);
    }

    public static ApiError accessDenied(String message) {
        return new ApiError(403, "AccessDeniedException", message);
    }

    public static ApiError throttling(String message) {
        return new ApiError(429, "ThrottlingException", message);
    }

    public static ApiError unknownOperation(String message) {
        return new ApiError(404, "UnknownOperationException", message);
    }

    public static ApiError badBody(String message) {
        return new ApiError(400, "SerializationException", message);
    }
}
