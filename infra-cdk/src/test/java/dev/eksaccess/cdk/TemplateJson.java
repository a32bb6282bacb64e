package dev.eksaccess.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Reads parts of a synthesized template that {@code Match} patterns express poorly: policy statements. */
final class TemplateJson {

    private TemplateJson() {
    }

    /** Every IAM policy statement anywhere in the template (identity, resource, trust and key policies). */
    static List<Map<String, Object>> allStatements(Template template) {
        List<Map<String, Object>> statements = new ArrayList<>();
        collectStatements(template.toJSON(), statements);
        return statements;
    }

    /**
     * The statements of the identity policies attached to the role with this logical id: its inline policies and the
     * managed policies CDK moves statements to when the inline ones outgrow IAM's 10,240 characters.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statementsOfRole(Template template, String roleLogicalId) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            template.findResources(type).values().forEach(resource -> {
                Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
                if (String.valueOf(properties.get("Roles")).contains("Ref=" + roleLogicalId + "}")) {
                    collectStatements(properties.get("PolicyDocument"), statements);
                }
            });
        }
        return statements;
    }

    /** The statements of the managed policy with this logical id. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statementsOfManagedPolicy(Template template, String logicalId) {
        Map<String, Object> resource = template.findResources("AWS::IAM::ManagedPolicy").get(logicalId);
        if (resource == null) {
            throw new AssertionError("no managed policy " + logicalId);
        }
        List<Map<String, Object>> statements = new ArrayList<>();
        collectStatements(((Map<String, Object>) resource.get("Properties")).get("PolicyDocument"), statements);
        return statements;
    }

    /** The statement with this Sid among the role's, failing when there is not exactly one. */
    static Map<String, Object> statement(Template template, String roleLogicalId, String sid) {
        List<Map<String, Object>> matching = statementsOfRole(template, roleLogicalId).stream()
                .filter(statement -> sid.equals(statement.get("Sid"))).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one statement " + sid + " on " + roleLogicalId + ", found " + matching);
        }
        return matching.get(0);
    }

    /** An Action/Resource value as a list, whether the template holds one string or a list. */
    static List<Object> asList(Object value) {
        List<Object> values = new ArrayList<>();
        if (value instanceof List<?> list) {
            values.addAll(list);
        } else if (value != null) {
            values.add(value);
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static void collectStatements(Object node, List<Map<String, Object>> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("Statement".equals(key) && value instanceof List<?> list) {
                    list.forEach(statement -> into.add((Map<String, Object>) statement));
                } else if ("Statement".equals(key) && value instanceof Map<?, ?> single) {
                    into.add((Map<String, Object>) single);
                } else {
                    collectStatements(value, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectStatements(item, into));
        }
    }
}
