package dev.eksaccess.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.AccessChangeEventPattern;
import dev.eksaccess.contract.CreateClusterEventPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.services.events.EventPattern;

/**
 * Turns the contract's EventBridge pattern JSON ({@link CreateClusterEventPattern#json()},
 * {@link AccessChangeEventPattern#json()}) into CDK's
 * {@link EventPattern}, field by field, refusing any field it cannot carry over, so the deployed rule is exactly
 * the single definition.
 */
public final class ContractEventPattern {

    private static final Set<String> SUPPORTED = Set.of(
            "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail");

    private ContractEventPattern() {
    }

    /** The CreateCluster pattern as a CDK {@link EventPattern}. */
    public static EventPattern createCluster() {
        return fromJson(CreateClusterEventPattern.json());
    }

    /** The access-change pattern (docs/drift.md) as a CDK {@link EventPattern}. */
    public static EventPattern accessChanges() {
        return fromJson(AccessChangeEventPattern.json());
    }

    static EventPattern fromJson(String json) {
        Map<String, Object> pattern;
        try {
            pattern = new ObjectMapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the contract's event pattern is not valid JSON: " + e.getOriginalMessage(), e);
        }
        List<String> unsupported = new ArrayList<>(pattern.keySet());
        unsupported.removeAll(SUPPORTED);
        if (!unsupported.isEmpty()) {
            throw new IllegalStateException("the contract's event pattern has fields CDK cannot express: " + unsupported);
        }
        EventPattern.Builder builder = EventPattern.builder();
        pattern.forEach((field, value) -> {
            switch (field) {
                case "version" -> builder.version(list(field, value));
                case "id" -> builder.id(list(field, value));
                case "detail-type" -> builder.detailType(list(field, value));
                case "source" -> builder.source(list(field, value));
                case "account" -> builder.account(list(field, value));
                case "time" -> builder.time(list(field, value));
                case "region" -> builder.region(list(field, value));
                case "resources" -> builder.resources(list(field, value));
                case "detail" -> builder.detail(map(field, value));
                default -> throw new IllegalStateException("unreachable: " + field);
            }
        });
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(String field, Object value) {
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return (List<String>) list;
        }
        throw new IllegalStateException("the contract's event pattern field '" + field
                + "' must be a list of strings for CDK's EventPattern; it is " + value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String field, Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalStateException("the contract's event pattern field '" + field + "' must be an object");
    }
}
