package dev.eksaccess.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every AWS limit a large configuration can reach, measured on a synthesized template: {@code cdk synth} (the app's
 * {@code main}) fails when one is passed, naming the limit, the measured number and the context keys that make it
 * grow; the organisation-scale test asserts room to spare under each. The limits and where AWS documents them:
 * {@link Limit}.
 *
 * <p>Sizes are measured as the deployed documents will be: every CloudFormation reference resolved to a value as long
 * as it can be (pseudo parameters at their longest, a resource's name or ARN at {@value #REFERENCE_LENGTH}
 * characters), and, for IAM, without white space, as IAM counts.
 */
public final class DeploymentLimits {

    /** What a reference to a resource (its name, URL or ARN) is counted as: more than any this stack generates. */
    static final int REFERENCE_LENGTH = 128;

    private static final String IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
    private static final String SQS_QUOTAS =
            "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html";
    private static final String LAMBDA_QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
    private static final String EVENTBRIDGE_QUOTAS = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html";
    private static final String CLOUDFORMATION_QUOTAS =
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";

    /** The keys whose values make the roles' policies grow. */
    private static final String ROLE_KEYS = "eligibility (senders and approvers), clusterArns, clusterNamePatterns,"
            + " memberAccounts";

    /** An AWS limit, where it is documented, and which context keys make a deployment approach it. */
    public enum Limit {
        LAMBDA_ENVIRONMENT("Lambda environment variables of one function, bytes (keys and values)", 4_096,
                LAMBDA_QUOTAS, "crossAccountExternalId, crossAccountRoleName, outcomeBus (lists live in the"
                + " deployment settings file)"),
        LAMBDA_LAYERS("Lambda layers per function", 5, LAMBDA_QUOTAS, "eligibility"),
        ROLE_INLINE_POLICIES("IAM inline policies of one role together, characters without white space", 10_240,
                IAM_QUOTAS, ROLE_KEYS),
        MANAGED_POLICY("IAM managed policy, characters without white space", 6_144, IAM_QUOTAS, ROLE_KEYS),
        ROLE_POLICIES_TOTAL("IAM policies of one role together: inline 10,240 and 10 managed policies of 6,144,"
                + " characters without white space", 10_240 + 10 * 6_144, IAM_QUOTAS, ROLE_KEYS),
        MANAGED_POLICIES_PER_ROLE("IAM managed policies attached to one role (default quota)", 10, IAM_QUOTAS,
                ROLE_KEYS),
        TRUST_POLICY("IAM role trust policy, characters without white space (default quota)", 2_048, IAM_QUOTAS,
                "hubRoleArn, hubClusterCreationRoleArn, hubAccessChangesRoleArn, organizationId, crossAccountExternalId"),
        QUEUE_POLICY_BYTES("SQS queue policy, bytes", 8_192, SQS_QUOTAS, "senderPrincipals"),
        QUEUE_POLICY_PRINCIPALS("SQS queue policy, principals", 50, SQS_QUOTAS, "senderPrincipals"),
        QUEUE_POLICY_STATEMENTS("SQS queue policy, statements", 20, SQS_QUOTAS, "senderPrincipals, kmsKey"),
        QUEUE_POLICY_CONDITIONS("SQS queue policy, conditions", 10, SQS_QUOTAS, "organizationMembers"),
        QUEUE_STATEMENT_ACTIONS("SQS queue policy, actions in one statement", 7, SQS_QUOTAS, "(fixed by the stack)"),
        BUS_POLICY("EventBridge default bus resource policy, characters (this stack's statements; others count too)",
                10_240, EVENTBRIDGE_QUOTAS, "memberAccounts (one statement each; organizationMembers: one in all)"),
        TEMPLATE_RESOURCES("CloudFormation resources in one template", 500, CLOUDFORMATION_QUOTAS,
                "memberAccounts (one bus policy each)"),
        TEMPLATE_OUTPUTS("CloudFormation outputs in one template", 200, CLOUDFORMATION_QUOTAS, "(fixed by the stack)"),
        TEMPLATE_BYTES("CloudFormation template body uploaded through the bootstrap bucket, bytes", 1_048_576,
                CLOUDFORMATION_QUOTAS, "memberAccounts, eligibility, clusterArns");

        private final String description;
        private final long value;
        private final String documentedAt;
        private final String contextKeys;

        Limit(String description, long value, String documentedAt, String contextKeys) {
            this.description = description;
            this.value = value;
            this.documentedAt = documentedAt;
            this.contextKeys = contextKeys;
        }

        public String description() {
            return description;
        }

        public long value() {
            return value;
        }

        public String documentedAt() {
            return documentedAt;
        }

        public String contextKeys() {
            return contextKeys;
        }
    }

    /**
     * One measured size.
     *
     * @param stack    the stack's name
     * @param subject  what was measured (a logical id, or the template)
     * @param limit    the limit it is measured against
     * @param measured the number
     */
    public record Measurement(String stack, String subject, Limit limit, long measured) {

        public boolean exceeded() {
            return measured > limit.value();
        }

        /** The share of the limit used, 0 to 1 (and beyond when exceeded). */
        public double used() {
            return (double) measured / limit.value();
        }

        /** What synth prints when the limit is passed. */
        public String problem() {
            return String.format(Locale.ROOT, "limit exceeded in stack %s: %s, %s: %,d of %,d (%s); it grows with"
                    + " context %s", stack, limit.description(), subject, measured, limit.value(),
                    limit.documentedAt(), limit.contextKeys());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeploymentLimits() {
    }

    /** Every measurement of one synthesized template. */
    @SuppressWarnings("unchecked")
    public static List<Measurement> measure(String stack, Map<String, Object> template) {
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) template
                .getOrDefault("Resources", Map.of());
        List<Measurement> measurements = new ArrayList<>();
        Map<String, Integer> busPolicy = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Lambda::Function" -> {
                    Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) properties
                            .getOrDefault("Environment", Map.of())).getOrDefault("Variables", Map.of());
                    long bytes = variables.entrySet().stream()
                            .mapToLong(variable -> variable.getKey().length() + resolved(variable.getValue()).length())
                            .sum();
                    measurements.add(new Measurement(stack, id, Limit.LAMBDA_ENVIRONMENT, bytes));
                    measurements.add(new Measurement(stack, id, Limit.LAMBDA_LAYERS,
                            ((List<?>) properties.getOrDefault("Layers", List.of())).size()));
                }
                case "AWS::IAM::Role" -> {
                    measurements.add(new Measurement(stack, id, Limit.TRUST_POLICY,
                            iamSize(properties.get("AssumeRolePolicyDocument"))));
                    long inline = inlinePolicies(resources, id, properties);
                    measurements.add(new Measurement(stack, id, Limit.ROLE_INLINE_POLICIES, inline));
                    measurements.add(new Measurement(stack, id, Limit.ROLE_POLICIES_TOTAL,
                            inline + managedPolicies(resources, id)));
                    measurements.add(new Measurement(stack, id, Limit.MANAGED_POLICIES_PER_ROLE,
                            attachedManagedPolicies(resources, id, properties)));
                }
                case "AWS::IAM::ManagedPolicy" -> measurements.add(new Measurement(stack, id, Limit.MANAGED_POLICY,
                        iamSize(properties.get("PolicyDocument"))));
                case "AWS::SQS::QueuePolicy" -> measurements.addAll(queuePolicy(stack, id, properties));
                case "AWS::Events::EventBusPolicy" -> busPolicy.merge(String.valueOf(properties.getOrDefault(
                        "EventBusName", "default")), resolved(properties.get("Statement")).length(), Integer::sum);
                default -> {
                }
            }
        });
        busPolicy.forEach((bus, characters) -> measurements.add(new Measurement(stack, "event bus " + bus + ", "
                + "statements of this stack, with the policy's envelope", Limit.BUS_POLICY,
                characters + "{\"Version\":\"2012-10-17\",\"Statement\":[]}".length() + busPolicyCount(resources))));
        measurements.add(new Measurement(stack, "template", Limit.TEMPLATE_RESOURCES, resources.size()));
        measurements.add(new Measurement(stack, "template", Limit.TEMPLATE_OUTPUTS,
                ((Map<?, ?>) template.getOrDefault("Outputs", Map.of())).size()));
        measurements.add(new Measurement(stack, "template", Limit.TEMPLATE_BYTES, compact(template).length()));
        return measurements;
    }

    /** The problems of these measurements: one line for each limit passed. */
    public static List<String> problems(Collection<Measurement> measurements) {
        return measurements.stream().filter(Measurement::exceeded).map(Measurement::problem).toList();
    }

    @SuppressWarnings("unchecked")
    private static long inlinePolicies(Map<String, Map<String, Object>> resources, String role,
                                       Map<String, Object> properties) {
        long size = 0;
        for (Object policy : (List<Object>) properties.getOrDefault("Policies", List.of())) {
            size += iamSize(((Map<String, Object>) policy).get("PolicyDocument"));
        }
        for (Map<String, Object> resource : resources.values()) {
            if ("AWS::IAM::Policy".equals(resource.get("Type")) && attachedTo(resource, role)) {
                size += iamSize(((Map<String, Object>) resource.get("Properties")).get("PolicyDocument"));
            }
        }
        return size;
    }

    @SuppressWarnings("unchecked")
    private static long managedPolicies(Map<String, Map<String, Object>> resources, String role) {
        return resources.values().stream().filter(resource -> "AWS::IAM::ManagedPolicy".equals(resource.get("Type"))
                        && attachedTo(resource, role))
                .mapToLong(resource -> iamSize(((Map<String, Object>) resource.get("Properties")).get("PolicyDocument")))
                .sum();
    }

    @SuppressWarnings("unchecked")
    private static long attachedManagedPolicies(Map<String, Map<String, Object>> resources, String role,
                                                Map<String, Object> properties) {
        long attached = ((List<Object>) properties.getOrDefault("ManagedPolicyArns", List.of())).size();
        return attached + resources.values().stream().filter(resource ->
                "AWS::IAM::ManagedPolicy".equals(resource.get("Type")) && attachedTo(resource, role)).count();
    }

    @SuppressWarnings("unchecked")
    private static boolean attachedTo(Map<String, Object> policy, String role) {
        Map<String, Object> properties = (Map<String, Object>) policy.getOrDefault("Properties", Map.of());
        return ((List<Object>) properties.getOrDefault("Roles", List.of())).contains(Map.of("Ref", role));
    }

    @SuppressWarnings("unchecked")
    private static List<Measurement> queuePolicy(String stack, String id, Map<String, Object> properties) {
        Object document = properties.get("PolicyDocument");
        List<Map<String, Object>> statements = new ArrayList<>();
        Object statement = ((Map<String, Object>) document).get("Statement");
        if (statement instanceof List<?> list) {
            list.forEach(item -> statements.add((Map<String, Object>) item));
        } else if (statement instanceof Map<?, ?> single) {
            statements.add((Map<String, Object>) single);
        }
        long principals = 0;
        long conditions = 0;
        long actions = 0;
        for (Map<String, Object> item : statements) {
            principals += count(item.get("Principal"));
            if (item.get("Condition") instanceof Map<?, ?> condition) {
                for (Object keys : condition.values()) {
                    conditions += keys instanceof Map<?, ?> map ? map.size() : 1;
                }
            }
            actions = Math.max(actions, count(item.get("Action")));
        }
        String subject = id + " (" + resolved(((List<Object>) properties.getOrDefault("Queues", List.of())))
                .replaceAll("x{8,}", "…") + ")";
        return List.of(new Measurement(stack, subject, Limit.QUEUE_POLICY_BYTES, resolved(document).length()),
                new Measurement(stack, subject, Limit.QUEUE_POLICY_PRINCIPALS, principals),
                new Measurement(stack, subject, Limit.QUEUE_POLICY_STATEMENTS, statements.size()),
                new Measurement(stack, subject, Limit.QUEUE_POLICY_CONDITIONS, conditions),
                new Measurement(stack, subject, Limit.QUEUE_STATEMENT_ACTIONS, actions));
    }

    /** Principals of a statement: {@code "*"} is one, {@code {"AWS": [a, b]}} two. */
    private static long count(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().mapToLong(DeploymentLimits::count).sum();
        }
        if (value instanceof List<?> list) {
            return list.size();
        }
        return value == null ? 0 : 1;
    }

    /** Commas between this stack's statements on the bus (the envelope's other characters are counted once). */
    private static int busPolicyCount(Map<String, Map<String, Object>> resources) {
        long statements = resources.values().stream()
                .filter(resource -> "AWS::Events::EventBusPolicy".equals(resource.get("Type"))).count();
        return (int) Math.max(0, statements - 1);
    }

    /** As IAM counts: the resolved document, compact, without white space. */
    static long iamSize(Object document) {
        return document == null ? 0 : resolved(document).replaceAll("\\s", "").length();
    }

    /** The value as deployed, compact JSON (a string value: its text), references at their longest. */
    static String resolved(Object value) {
        Object deployed = deployed(value);
        return deployed instanceof String text ? text : compact(deployed);
    }

    @SuppressWarnings("unchecked")
    private static Object deployed(Object node) {
        if (node instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<String, Object> only = ((Map<String, Object>) map).entrySet().iterator().next();
            switch (only.getKey()) {
                case "Ref" -> {
                    return switch (String.valueOf(only.getValue())) {
                        case "AWS::Partition" -> "aws-us-gov";
                        case "AWS::Region" -> "ap-southeast-4";
                        case "AWS::AccountId" -> "123456789012";
                        case "AWS::URLSuffix" -> "amazonaws.com.cn";
                        default -> "x".repeat(REFERENCE_LENGTH);
                    };
                }
                case "Fn::Join" -> {
                    List<Object> join = (List<Object>) only.getValue();
                    StringBuilder text = new StringBuilder();
                    List<Object> parts = (List<Object>) join.get(1);
                    for (int i = 0; i < parts.size(); i++) {
                        text.append(i == 0 ? "" : join.get(0)).append(resolved(parts.get(i)));
                    }
                    return text.toString();
                }
                case "Fn::GetAtt", "Fn::Select", "Fn::ImportValue", "Fn::Sub", "Fn::GetAZs" -> {
                    return "x".repeat(REFERENCE_LENGTH);
                }
                default -> {
                }
            }
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, value) -> copy.put(key, deployed(value)));
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(DeploymentLimits::deployed).toList();
        }
        return node;
    }

    private static String compact(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a synthesized template is not JSON", e);
        }
    }
}
