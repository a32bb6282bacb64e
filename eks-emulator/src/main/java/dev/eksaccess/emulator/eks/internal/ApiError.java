package dev.eksaccess.emulator.eks.internal;

import java.util.Optional;

/**
 * An EKS error answer: HTTP status, the {@code x-amzn-ErrorType} code the SDK maps to an exception class,
 * and the message. Thrown by the service and written by the HTTP front end.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final String clusterName;

    private ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    private ApiError(int status, String code, String message, String clusterName) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.clusterName = clusterName;
    }

    /** The {@code clusterName} member of the error's body, for the errors whose shape has one. */
    public Optional<String> clusterName() {
        return java.util.Optional.ofNullable(clusterName);
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

    /**
     * EKS's {@code ThrottlingException}: status 429 in EKS's service model (the SDK's {@code ThrottlingException},
     * which it retries as throttling), with {@code message} and, for a call that names one, {@code clusterName}.
     */
    public static ApiError throttling(String message) {
        return throttling(message, null);
    }

    public static ApiError throttling(String message, String clusterName) {
        return new ApiError(429, "ThrottlingException", message, clusterName);
    }

    public static ApiError unknownOperation(String message) {
        return new ApiError(404, "UnknownOperationException", message);
    }

    public static ApiError badBody(String message) {
        return new ApiError(400, "SerializationException", message);
    }
}
