package dev.eksaccess.emulator.eks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.eksaccess.emulator.eks.internal.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One HTTP request the emulator received and how it answered, for assertions on what a client sent.
 *
 * @param operation  the EKS operation name, such as {@code CreateAccessEntry}; {@code Unknown} for other paths
 * @param pathParams decoded path parameters: {@code name} (cluster), {@code principalArn}, {@code policyArn}
 * @param body       the request body as received (empty when none)
 * @param status     the HTTP status answered
 * @param errorCode  the {@code x-amzn-ErrorType} answered, empty on success
 * @param injected   whether an injected fault produced the answer
 */
public record RecordedCall(
        Instant at,
        String operation,
        String method,
        String path,
        Map<String, String> pathParams,
        Map<String, List<String>> query,
        String body,
        int status,
        Optional<String> errorCode,
        boolean injected) {

    public RecordedCall {
        pathParams = Map.copyOf(pathParams);
        query = query.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    /** The request body as plain maps, lists and scalars; an empty map when there was none or it was not JSON. */
    public Map<String, Object> bodyJson() {
        if (body.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(body, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /** The cluster the call addressed, if its path names one. */
    public Optional<String> clusterName() {
        return Optional.ofNullable(pathParams.get("name"));
    }
}
