package dev.eksaccess.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.testing.EventFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Near-valid CloudTrail {@code CreateCluster} events: the samples of {@code events/cloudtrail/create-cluster/} with
 * changes that must not matter (CloudTrail adds fields over time), changes that must be rejected naming the field,
 * and stacks of random changes.
 */
final class CloudTrailMutations {

    static final String FOLDER = "cloudtrail/create-cluster";

    /** One mutated sample; {@code expectedPath} is the field a rejection must name, null for neutral or stacked. */
    record Mutant(String sample, Kind kind, String change, String body, String expectedPath) {
        @Override
        public String toString() {
            return kind + " change '" + change + "' of " + sample
                    + (expectedPath == null ? "" : ", expecting a rejection naming " + expectedPath) + ":\n" + body;
        }
    }

    enum Kind { NEUTRAL, REJECTED, STACKED }

    record Sample(String name, ObjectNode json) {
        boolean failedCall() {
            return json.path("detail").has("errorCode");
        }

        String identityType() {
            return json.path("detail").path("userIdentity").path("type").asText();
        }
    }

    static final List<Sample> SAMPLES = EventFiles.list(FOLDER).stream()
            .map(file -> new Sample(file, EventFiles.json(file))).toList();
    private static final List<Sample> CREATED = SAMPLES.stream().filter(s -> !s.failedCall()).toList();

    static final Gen<Mutant> NEUTRAL = random -> neutral(Gen.elements(SAMPLES).next(random), random);
    static final Gen<Mutant> REJECTED = random -> rejected(Gen.elements(CREATED).next(random), random);
    static final Gen<Mutant> STACKED = random -> stacked(Gen.elements(SAMPLES).next(random), random);
    static final Gen<Mutant> ANY = Gen.oneOf(NEUTRAL, REJECTED, REJECTED, STACKED);

    /** Values that are text but wrong for the field. */
    private static final java.util.Map<String, List<String>> MALFORMED = java.util.Map.of(
            "detail.eventTime", List.of("yesterday", "2026-11-28", "1764324000", "2026-11-28 08:12:00"),
            "detail.requestParameters.name", List.of("bad name", "-x", "a".repeat(101), "ｐａｙ", "pay/ments"),
            "detail.eventSource", List.of("eks.amazonaws.com.evil", "EKS.amazonaws.com", "ec2.amazonaws.com"),
            "source", List.of("aws.eks2", "aws.ec2", "custom.eks"),
            "detail-type", List.of("AWS API Call via CloudTrail2", "AWS Console Sign In via CloudTrail"),
            "detail.eventName", List.of("CreateCluster2", "DeleteCluster", "createcluster"));
    /** {@link #MALFORMED}'s paths in a fixed order: a {@code Map.of}'s order changes with every JVM start. */
    private static final List<String> MALFORMED_PATHS = MALFORMED.keySet().stream().sorted().toList();

    /** Fields the parser does not read: CloudTrail may change them freely. */
    private static final List<String> UNREAD = List.of("time", "id", "version", "resources", "detail.sourceIPAddress",
            "detail.requestID", "detail.readOnly", "detail.managementEvent", "detail.eventCategory", "detail.eventType",
            "detail.eventVersion", "detail.requestParameters.version", "detail.requestParameters.roleArn",
            "detail.requestParameters.resourcesVpcConfig", "detail.responseElements.cluster.status",
            "detail.responseElements.cluster.endpoint", "detail.tlsDetails");
    /** Objects the parser reads from, where new fields may appear. */
    private static final List<String> OBJECTS = List.of("", "detail", "detail.requestParameters",
            "detail.responseElements", "detail.responseElements.cluster", "detail.userIdentity",
            "detail.userIdentity.sessionContext", "detail.requestParameters.accessConfig");

    private static Mutant neutral(Sample sample, SplittableRandom random) {
        ObjectNode json = sample.json().deepCopy();
        String change;
        switch (random.nextInt(4)) {
            case 0 -> {
                String path = Gen.elements(UNREAD).next(random);
                if (parentOf(json, path) == null) {
                    return neutral(sample, random);
                }
                set(json, path, Hostile.ANY_VALUE.next(random));
                change = "unread field " + path + " changed";
            }
            case 1 -> {
                String path = Gen.elements(OBJECTS).next(random);
                JsonNode object = path.isEmpty() ? json : at(json, path);
                if (object == null || !object.isObject()) {
                    return neutral(sample, random);
                }
                ((ObjectNode) object).set("unknownField" + Gen.strings("ABCxyz_", 1, 12).next(random),
                        Hostile.ANY_VALUE.next(random));
                change = "new field in " + (path.isEmpty() ? "the envelope" : path);
            }
            case 2 -> {
                boolean account = random.nextBoolean();
                ((ObjectNode) json.get("detail")).remove(account ? "recipientAccountId" : "awsRegion");
                change = "detail." + (account ? "recipientAccountId" : "awsRegion") + " dropped (the envelope has it)";
            }
            default -> {
                return new Mutant(sample.name(), Kind.NEUTRAL, "keys reordered",
                        JsonText.write(JsonText.shuffled(json, random), false), null);
            }
        }
        return new Mutant(sample.name(), Kind.NEUTRAL, change, JsonText.write(json), null);
    }

    private static Mutant rejected(Sample sample, SplittableRandom random) {
        ObjectNode json = sample.json().deepCopy();
        switch (random.nextInt(9)) {
            case 0 -> {
                String path = Gen.elements("source", "detail-type", "detail.eventSource", "detail.eventName",
                        "detail.eventID", "detail.eventTime", "detail.errorCode", "detail.userIdentity.type", "account",
                        "region", "detail.requestParameters.name").next(random);
                set(json, path, Hostile.NOT_A_STRING.next(random));
                return mutant(sample, path + " of the wrong JSON type", json, path);
            }
            case 1 -> {
                String path = Gen.elements("source", "detail-type", "detail", "detail.eventSource", "detail.eventName",
                        "detail.eventID", "detail.eventTime", "detail.userIdentity", "detail.userIdentity.type")
                        .next(random);
                remove(json, path);
                return mutant(sample, path + " dropped", json, path);
            }
            case 2 -> {
                String path = Gen.elements("account", "region").next(random);
                set(json, path, Hostile.NODES.textNode(path.equals("account")
                        ? Gen.elements("11112222333", "1111222233334", "*", "111122223333x", "１１１１２２２２３３３３")
                                .next(random)
                        : Gen.elements("EU-WEST-1", "eu-west", "*", "eu-west-1x", "eu west 1").next(random)));
                return mutant(sample, path + " malformed", json, path);
            }
            case 3 -> {
                String path = Gen.elements(MALFORMED_PATHS).next(random);
                set(json, path, Hostile.NODES.textNode(Gen.elements(MALFORMED.get(path)).next(random)));
                return mutant(sample, path + " malformed", json, path);
            }
            case 4 -> {
                String type = sample.identityType();
                String path = type.equals("AssumedRole") ? "detail.userIdentity.sessionContext.sessionIssuer.arn"
                        : type.equals("IAMUser") ? "detail.userIdentity.arn" : null;
                if (path == null) {
                    return rejected(sample, random);
                }
                set(json, path, Hostile.NODES.textNode(Gen.elements(
                        "arn:aws:sts::111122223333:assumed-role/Admin/alice", "arn:aws:iam::111122223333:role/*",
                        "arn:aws:iam::*:user/x", "arn:aws:iam::111122223333:group/admins", "arn:aws:iam::111122223333:root",
                        "arn:aws:iam::111122223333:role/" + "a".repeat(600), "arn:aws:iam::111122223333:role/p\u0430y")
                        .next(random)));
                return mutant(sample, "creator ARN not an IAM " + (type.equals("IAMUser") ? "user" : "role"), json, path);
            }
            case 5 -> {
                String path = "detail.responseElements.cluster.arn";
                set(json, path, Hostile.NODES.textNode(Gen.elements("arn:aws:eks:eu-west-1:999999999999:cluster/other",
                        "arn:aws:eks:eu-west-1:111122223333:cluster/not-this-one", "arn:aws:eks:*", "cluster/x",
                        "arn:aws:eks:ap-south-1:111122223333:cluster/payments-prod").next(random)));
                return mutant(sample, "response ARN of another cluster, or not an ARN", json, path);
            }
            case 6 -> {
                String access = at(json, "detail.responseElements.cluster.accessConfig") != null
                        ? "detail.responseElements.cluster.accessConfig" : "detail.requestParameters.accessConfig";
                if (at(json, access) == null) {
                    ((ObjectNode) at(json, "detail.requestParameters")).putObject("accessConfig");
                }
                if (random.nextBoolean()) {
                    set(json, access + ".authenticationMode", Hostile.NODES.textNode(
                            Gen.elements("ROOT", "api", "CONFIG_MAP ", "API_AND", "*").next(random).trim() + "?"));
                    return mutant(sample, "unknown authentication mode", json, access + ".authenticationMode");
                }
                set(json, access + ".bootstrapClusterCreatorAdminPermissions", Gen.<JsonNode>elements(
                        Hostile.NODES.textNode("true"), Hostile.NODES.numberNode(1), Hostile.NODES.arrayNode()).next(random));
                return mutant(sample, "bootstrap flag not a boolean", json,
                        access + ".bootstrapClusterCreatorAdminPermissions");
            }
            case 7 -> {
                set(json, "detail.userIdentity.type", Hostile.NODES.textNode(" "));
                return mutant(sample, "blank identity type", json, "detail.userIdentity.type");
            }
            default -> {
                int depth = random.nextInt(Hostile.MAX_JSON_DEPTH + 1, 5_000);
                set(json, "detail.userIdentity", Hostile.NODES.textNode("depth-bomb"));
                String body = JsonText.write(json)
                        .replace("\"depth-bomb\"", "[".repeat(depth) + "]".repeat(depth));
                return new Mutant(sample.name(), Kind.REJECTED, "nesting deeper than the JSON limit", body, "the event");
            }
        }
    }

    private static Mutant stacked(Sample sample, SplittableRandom random) {
        ObjectNode json = sample.json().deepCopy();
        List<String> changes = new ArrayList<>();
        for (int i = random.nextInt(1, 5); i > 0; i--) {
            List<String> paths = objectPaths(json, "");
            String path = paths.get(random.nextInt(paths.size()));
            if (random.nextBoolean()) {
                remove(json, path);
                changes.add("dropped " + path);
            } else {
                set(json, path, Hostile.ANY_VALUE.next(random));
                changes.add("replaced " + path);
            }
            if (!json.isObject() || json.isEmpty()) {
                break;
            }
        }
        return new Mutant(sample.name(), Kind.STACKED, changes.toString(), JsonText.write(json), null);
    }

    private static Mutant mutant(Sample sample, String change, ObjectNode json, String path) {
        return new Mutant(sample.name(), Kind.REJECTED, change, JsonText.write(json), path);
    }

    // ---------------------------------------------------------------- dotted paths

    /** Every field path inside objects (not arrays), e.g. {@code detail.userIdentity.arn}. */
    private static List<String> objectPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            paths.add(path);
            if (node.get(name).isObject() && !name.contains(".")) {
                paths.addAll(objectPaths(node.get(name), path));
            }
        });
        return paths;
    }

    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node == null || !node.isObject() ? null : node.get(part);
        }
        return node;
    }

    private static ObjectNode parentOf(JsonNode root, String path) {
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? root : at(root, path.substring(0, dot));
        return parent != null && parent.isObject() ? (ObjectNode) parent : null;
    }

    private static void set(JsonNode root, String path, JsonNode value) {
        ObjectNode parent = parentOf(root, path);
        if (parent != null) {
            parent.set(path.substring(path.lastIndexOf('.') + 1), value);
        }
    }

    private static void remove(JsonNode root, String path) {
        ObjectNode parent = parentOf(root, path);
        if (parent != null) {
            parent.remove(path.substring(path.lastIndexOf('.') + 1));
        }
    }
}
