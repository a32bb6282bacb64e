package dev.eksaccess.cdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/**
 * Resolves the CloudFormation expressions of a synthesized template to the strings a deployment would produce, with
 * placeholders shaped like the real thing: table names and queue URLs as CloudFormation generates them, in account
 * {@link #ACCOUNT} and region {@link #REGION}. An expression it does not know fails the test instead of becoming a
 * plausible-looking guess.
 */
final class TemplateValues {

    static final String PARTITION = "aws";
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "111122223333";

    private final Map<String, Map<String, Object>> resources;
    private final String stackName;

    @SuppressWarnings("unchecked")
    TemplateValues(Template template, String stackName) {
        this.resources = (Map<String, Map<String, Object>>) template.toJSON().get("Resources");
        this.stackName = stackName;
    }

    /** The environment variables of the Lambda function with this logical id, resolved. */
    @SuppressWarnings("unchecked")
    Map<String, String> environmentOf(String functionLogicalId) {
        Map<String, Object> properties = properties(functionLogicalId);
        Map<String, Object> environment = (Map<String, Object>) properties.getOrDefault("Environment", Map.of());
        Map<String, Object> variables = (Map<String, Object>) environment.getOrDefault("Variables", Map.of());
        Map<String, String> resolved = new LinkedHashMap<>();
        variables.forEach((name, value) -> resolved.put(name, resolve(value)));
        return resolved;
    }

    /** A property of a resource, as the template holds it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resource(logicalId).get("Properties");
    }

    /** What CloudFormation would put in place of {@code value}. */
    @SuppressWarnings("unchecked")
    String resolve(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<String, Object> intrinsic = ((Map<String, Object>) map).entrySet().iterator().next();
            if (intrinsic.getKey().equals("Ref")) {
                return ref((String) intrinsic.getValue());
            }
            if (intrinsic.getKey().equals("Fn::GetAtt")) {
                List<Object> target = (List<Object>) intrinsic.getValue();
                return attribute((String) target.get(0), (String) target.get(1));
            }
            if (intrinsic.getKey().equals("Fn::Join")) {
                List<Object> join = (List<Object>) intrinsic.getValue();
                return String.join((String) join.get(0), ((List<Object>) join.get(1)).stream().map(this::resolve)
                        .toList());
            }
        }
        throw new AssertionError("no placeholder for the template expression " + value);
    }

    private String ref(String name) {
        return switch (name) {
            case "AWS::Partition" -> PARTITION;
            case "AWS::Region" -> REGION;
            case "AWS::AccountId" -> ACCOUNT;
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> stackName;
            default -> switch (type(name)) {
                case "AWS::DynamoDB::Table" -> physicalName(name, 255);
                case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/"
                        + physicalName(name, 80);
                case "AWS::Events::EventBus" -> eventBusName(name);
                default -> throw new AssertionError("no placeholder for a Ref to " + name + " (" + type(name) + ")");
            };
        };
    }

    private String attribute(String logicalId, String attribute) {
        String type = type(logicalId);
        return switch (type + "." + attribute) {
            case "AWS::DynamoDB::Table.Arn" -> "arn:" + PARTITION + ":dynamodb:" + REGION + ":" + ACCOUNT + ":table/"
                    + physicalName(logicalId, 255);
            case "AWS::SQS::Queue.Arn" -> "arn:" + PARTITION + ":sqs:" + REGION + ":" + ACCOUNT + ":"
                    + physicalName(logicalId, 80);
            case "AWS::SQS::Queue.QueueName" -> physicalName(logicalId, 80);
            case "AWS::IAM::Role.Arn" -> "arn:" + PARTITION + ":iam::" + ACCOUNT + ":role/" + physicalName(logicalId, 64);
            case "AWS::Events::EventBus.Arn" -> "arn:" + PARTITION + ":events:" + REGION + ":" + ACCOUNT + ":event-bus/"
                    + eventBusName(logicalId);
            case "AWS::Events::EventBus.Name" -> eventBusName(logicalId);
            case "AWS::Logs::LogGroup.Arn" -> "arn:" + PARTITION + ":logs:" + REGION + ":" + ACCOUNT + ":log-group:"
                    + physicalName(logicalId, 512) + ":*";
            default -> throw new AssertionError(
                    "no placeholder for " + logicalId + "." + attribute + " (" + type + ")");
        };
    }

    /** A bus's name is required: the template holds it. */
    private String eventBusName(String logicalId) {
        return resolve(properties(logicalId).get("Name"));
    }

    /** STACK-LOGICALID-SUFFIX, as CloudFormation names resources without a name (shortened to fit the limit). */
    private String physicalName(String logicalId, int maxLength) {
        String suffix = suffix(logicalId);
        String prefix = stackName + "-" + logicalId;
        int room = maxLength - suffix.length() - 1;
        return (prefix.length() > room ? prefix.substring(0, room) : prefix) + "-" + suffix;
    }

    private static String suffix(String logicalId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(logicalId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6).toUpperCase(java.util.Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    private Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = resources.get(logicalId);
        if (resource == null) {
            throw new AssertionError("the template has no resource " + logicalId);
        }
        return resource;
    }
}
