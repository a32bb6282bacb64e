package dev.eksaccess.fuzz;

import static dev.eksaccess.request.AccessRequest.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.testing.EventFiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Near-valid grant-queue messages: the valid samples of {@code events/requests/} with one change each, and what the
 * validator must make of it. A neutral change keeps the message valid with a known effect on the parsed request; a
 * hostile change must be rejected with an error that names one of the expected fields.
 */
final class RequestMutations {

    static final String HOME_REGION = "eu-west-1";
    static final String HOME_ACCOUNT = "111122223333";

    /** One mutated sample. */
    sealed interface Mutant {
        String sample();

        String change();

        String body();
    }

    /** Still valid: parsing gives the sample's result with {@code effect} applied. */
    record Neutral(String sample, String change, String body, UnaryOperator<ParsedMessage> effect) implements Mutant {
        @Override
        public String toString() {
            return "neutral change '" + change + "' of " + sample + ":\n" + body;
        }
    }

    /** Must be rejected with an error on one of {@code fields} (or a sub-field such as accessScope.type). */
    record Rejected(String sample, String change, String body, Set<String> fields) implements Mutant {
        @Override
        public String toString() {
            return "hostile change '" + change + "' of " + sample + ", expecting an error on " + fields + ":\n" + body;
        }
    }

    /** Several changes at once: valid or rejected, but never a crash and never an unnamed reason. */
    record Stacked(String sample, String change, String body) implements Mutant {
        @Override
        public String toString() {
            return "changes " + change + " of " + sample + ":\n" + body;
        }
    }

    /** The valid samples (file name → JSON). */
    static final List<Sample> SAMPLES = EventFiles.list("requests").stream()
            .filter(file -> !file.substring(file.lastIndexOf('/') + 1).startsWith("invalid-"))
            .map(file -> new Sample(file, EventFiles.json(file)))
            .toList();

    /** The invalid samples' bodies. */
    static final List<String> INVALID_SAMPLES = EventFiles.list("requests").stream()
            .filter(file -> file.substring(file.lastIndexOf('/') + 1).startsWith("invalid-"))
            .map(file -> new String(EventFiles.bytes(file), java.nio.charset.StandardCharsets.UTF_8))
            .toList();

    record Sample(String name, ObjectNode json) {
        String action() {
            return json.path(ACTION).asText();
        }

        boolean isBootstrap() {
            return BootstrapRequest.ACTION.equals(action());
        }

        boolean isGrant() {
            return "grant".equals(action());
        }

        ObjectNode copy() {
            return json.deepCopy();
        }
    }

    /**
     * The contract's fields in a fixed order: {@code AccessRequest.FIELDS} is a {@code Set.of}, whose iteration order
     * changes with every JVM start, so drawing from it would make a printed seed useless in another JVM.
     */
    static final List<String> FIELD_ORDER = FIELDS.stream().sorted().toList();

    static final Gen<Sample> SAMPLE = Gen.elements(SAMPLES);

    static final Gen<Mutant> NEUTRAL = random -> neutral(SAMPLE.next(random), random);
    static final Gen<Mutant> HOSTILE = random -> hostile(SAMPLE.next(random), random);
    static final Gen<Mutant> STACKED = random -> stacked(SAMPLE.next(random), random);
    static final Gen<Mutant> ANY = Gen.oneOf(NEUTRAL, HOSTILE, HOSTILE, STACKED);

    // ---------------------------------------------------------------- neutral changes

    private static Mutant neutral(Sample sample, SplittableRandom random) {
        ObjectNode json = sample.copy();
        switch (random.nextInt(7)) {
            case 0: {
                String body = JsonText.write(JsonText.shuffled(json, random), true);
                return new Neutral(sample.name(), "keys reordered, pretty-printed", body, same());
            }
            case 1: {
                String text = auditText(random);
                String field = sample.isBootstrap() || random.nextBoolean() ? REQUESTED_BY : REASON;
                json.put(field, text);
                return new Neutral(sample.name(), field + " replaced by other text", JsonText.write(json),
                        parsed -> withAudit(parsed, field, text));
            }
            case 2: {
                String id = Gen.strings("abcXYZ019_:.@/+=-", 1, 128).next(random);
                json.put(REQUEST_ID, id);
                return new Neutral(sample.name(), "requestId replaced by another valid id", JsonText.write(json),
                        parsed -> withRequestId(parsed, id));
            }
            case 3: {
                if (sample.isBootstrap()) {
                    break;
                }
                if (json.has(CLUSTER_NAME)) {
                    json.put(CLUSTER_ARN, "arn:aws:eks:" + HOME_REGION + ":" + HOME_ACCOUNT + ":cluster/"
                            + json.remove(CLUSTER_NAME).asText());
                } else {
                    json.put(CLUSTER_NAME, json.remove(CLUSTER_ARN).asText().replaceFirst(".*:cluster/", ""));
                }
                return new Neutral(sample.name(), "cluster given by the other of name and ARN", JsonText.write(json), same());
            }
            case 4: {
                if (!json.has(ACCESS_POLICY)) {
                    break;
                }
                String policy = json.get(ACCESS_POLICY).asText();
                json.put(ACCESS_POLICY, policy.startsWith("arn:") ? AccessPolicies.shortNameOf(policy).orElseThrow()
                        : AccessPolicies.arnOf(policy));
                return new Neutral(sample.name(), "policy given by the other of short name and ARN",
                        JsonText.write(json), same());
            }
            case 5: {
                JsonNode namespaces = json.path(ACCESS_SCOPE).path(SCOPE_NAMESPACES);
                JsonNode groups = json.path(KUBERNETES_GROUPS);
                ArrayNode list = namespaces.isArray() && !namespaces.isEmpty() ? (ArrayNode) namespaces
                        : groups.isArray() && !groups.isEmpty() ? (ArrayNode) groups : null;
                if (list == null) {
                    break;
                }
                list.add(list.get(random.nextInt(list.size())));
                return new Neutral(sample.name(), "a namespace or group repeated", JsonText.write(json), same());
            }
            default: {
                List<String> absent = new ArrayList<>();
                for (String field : sample.isBootstrap() ? List.<String>of() : FIELD_ORDER) {
                    if (!json.has(field) && (sample.isGrant() || !GRANT_ONLY_FIELDS.contains(field))) {
                        absent.add(field);
                    }
                }
                if (absent.isEmpty()) {
                    break;
                }
                String field = absent.get(random.nextInt(absent.size()));
                json.putNull(field);
                return new Neutral(sample.name(), "absent optional field " + field + " given as null", JsonText.write(json),
                        same());
            }
        }
        return new Neutral(sample.name(), "unicode escapes in every string", escaped(json), same());
    }

    private static UnaryOperator<ParsedMessage> same() {
        return parsed -> parsed;
    }

    private static ParsedMessage withAudit(ParsedMessage parsed, String field, String text) {
        if (parsed instanceof ParsedMessage.Bootstrap b) {
            BootstrapRequest r = b.request();
            return new ParsedMessage.Bootstrap(new BootstrapRequest(r.clusterArn(), r.requestId(), r.requestedAt(), text));
        }
        AccessRequest r = ((ParsedMessage.Access) parsed).request();
        return new ParsedMessage.Access(new AccessRequest(r.action(), r.cluster(), r.principalArn(), r.policyName(),
                r.scope(), r.kubernetesGroups(), r.username(), r.expiresAt(), r.requestId(), r.requestedAt(),
                field.equals(REQUESTED_BY) ? text : r.requestedBy(), field.equals(REASON) ? text : r.reason()));
    }

    private static ParsedMessage withRequestId(ParsedMessage parsed, String id) {
        if (parsed instanceof ParsedMessage.Bootstrap b) {
            BootstrapRequest r = b.request();
            return new ParsedMessage.Bootstrap(new BootstrapRequest(r.clusterArn(), id, r.requestedAt(), r.requestedBy()));
        }
        AccessRequest r = ((ParsedMessage.Access) parsed).request();
        return new ParsedMessage.Access(new AccessRequest(r.action(), r.cluster(), r.principalArn(), r.policyName(),
                r.scope(), r.kubernetesGroups(), r.username(), r.expiresAt(), id, r.requestedAt(), r.requestedBy(),
                r.reason()));
    }

    /** Audit text: any characters, never blank, at most a few hundred (escapes must not reach the message limit). */
    static String auditText(SplittableRandom random) {
        String text = Gen.oneOf(Gen.anyChars(1, 300), Hostile.ODD_TEXT, Gen.strings("ab é中😀", 1, 1024)).next(random);
        return text.isBlank() ? "x" + text : text;
    }

    // ---------------------------------------------------------------- hostile changes

    /**
     * The field each kind of hostile change sets ({@link #hostile}'s cases 2 to 12), or null: a change is made to a
     * sample whose action reads that field, so that the value reaches its validator rather than being refused as an
     * unknown or grant-only field. (Case 12 sets either cluster field; a bootstrap has only the ARN.)
     */
    private static final List<String> HOSTILE_TARGETS = java.util.Arrays.asList(null, null, PRINCIPAL_ARN,
            KUBERNETES_GROUPS, USERNAME, ACCESS_POLICY, ACCESS_SCOPE, EXPIRES_AT, DURATION, REQUESTED_AT, REQUEST_ID,
            ACTION, CLUSTER_ARN, null, null, null);

    /** Whether a message of {@code sample}'s action reads {@code field} (not refused as unknown or grant-only). */
    static boolean reads(Sample sample, String field) {
        if (sample.isBootstrap()) {
            return BOOTSTRAP_FIELDS.contains(field);
        }
        return FIELDS.contains(field) && (sample.isGrant() || !GRANT_ONLY_FIELDS.contains(field));
    }

    /** The fields a message of {@code sample}'s action reads, in a fixed order. */
    private static List<String> readFields(Sample sample) {
        return FIELD_ORDER.stream().filter(field -> reads(sample, field)).toList();
    }

    private static Mutant hostile(Sample drawn, SplittableRandom random) {
        int kind = random.nextInt(16);
        String target = HOSTILE_TARGETS.get(kind);
        Sample sample = target == null || reads(drawn, target) ? drawn
                : Gen.elements(SAMPLES.stream().filter(s -> reads(s, target)).toList()).next(random);
        ObjectNode json = sample.copy();
        String name = sample.name();
        switch (kind) {
            case 0: {
                String field = Gen.elements(readFields(sample)).next(random);
                withoutTheOtherExpiry(json, field);
                JsonNode value = wrongType(field, random);
                json.set(field, value);
                return new Rejected(name, field + " of the wrong JSON type", JsonText.write(json), fieldsFor(field));
            }
            case 1: {
                String field = Gen.elements(readFields(sample)).next(random);
                withoutTheOtherExpiry(json, field);
                json.put(field, Hostile.LONG_TEXT.next(random));
                return new Rejected(name, field + " longer than any limit", JsonText.write(json), fieldsFor(field));
            }
            case 2: {
                json.put(PRINCIPAL_ARN, Gen.elements(
                        "arn:aws:sts::111122223333:assumed-role/payments-dev/alice",
                        "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/bob@example.com",
                        "arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:role/team/*",
                        "arn:aws:iam::*:role/payments-dev", "arn:aws:iam::111122223333:user/?arol",
                        "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS",
                        "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:group/admins",
                        "arn:aws:iam::11112222333:role/payments-dev", "arn:aws-cn:iam::111122223333:role/payments-dev",
                        "arn:aws:iam::111122223333:role/p\u0430yments-dev", "arn:aws:iam::111122223333:role/payments-dev ",
                        "ARN:aws:iam::111122223333:role/payments-dev", "payments-dev", "arn:aws:iam::111122223333:role/",
                        "arn:aws:iam::111122223333:role/" + "a".repeat(65)).next(random));
                return new Rejected(name, "principalArn not an acceptable IAM principal", JsonText.write(json),
                        Set.of(PRINCIPAL_ARN));
            }
            case 3: {
                json.set(KUBERNETES_GROUPS, Gen.<JsonNode>elements(
                        arrayOf("system:masters"), arrayOf("payments", "system:nodes"), arrayOf(""), arrayOf(" "),
                        arrayOf("a".repeat(256)), Hostile.NODES.arrayNode().add(1), Hostile.NODES.arrayNode().addNull(),
                        Hostile.NODES.arrayNode().addObject(), manyGroups()).next(random));
                return new Rejected(name, "kubernetesGroups with a reserved or malformed group", JsonText.write(json),
                        Set.of(KUBERNETES_GROUPS));
            }
            case 4: {
                json.put(USERNAME, Gen.elements("system:admin", "system:node:x", "eks:x", "aws:x", "amazon:x", "iam:x",
                        "{{SessionName}}", "admin{{SessionName}}", " ", "a".repeat(1025)).next(random));
                return new Rejected(name, "username reserved or malformed", JsonText.write(json), Set.of(USERNAME));
            }
            case 5: {
                json.put(ACCESS_POLICY, Gen.elements("*", "AmazonEKSClusterAdminPolicy*", "Amazon EKS View",
                        "arn:aws:eks::aws:cluster-access-policy/*", "arn:aws:iam::aws:policy/AdministratorAccess",
                        "arn:aws-iso:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                        "arn:aws:eks::111122223333:cluster-access-policy/AmazonEKSViewPolicy",
                        "AmazonEKSViewPolicy/../AmazonEKSClusterAdminPolicy", "arn:", "a".repeat(129)).next(random));
                return new Rejected(name, "accessPolicy not an EKS access policy", JsonText.write(json), Set.of(ACCESS_POLICY));
            }
            case 6: {
                json.set(ACCESS_SCOPE, Gen.<JsonNode>elements(
                        scope("cluster", "payments"), scope("namespace"), scope("namespace", (String[]) null),
                        scope("namespace", "*"), scope("namespace", "Payments"), scope("namespace", "kube_system"),
                        scope("namespace", "a".repeat(64)), scope("namespace", "pay*ments"), scope("namespace", "-x"),
                        scope("namespace", "x-"), scope("namespace", "payments**"), scope("Cluster"), scope(null),
                        scope("cluster").put("extra", 1), Hostile.NODES.objectNode().put(SCOPE_TYPE, "namespace")
                                .put(SCOPE_NAMESPACES, "payments"),
                        scope("namespace", "payments").put("type2", "cluster")).next(random));
                return new Rejected(name, "accessScope malformed", JsonText.write(json), Set.of(ACCESS_SCOPE));
            }
            case 7: {
                withoutTheOtherExpiry(json, EXPIRES_AT);
                json.put(EXPIRES_AT, Gen.elements("2020-01-01T00:00:00Z", "2026-11-28T09:59:59Z", "2027-01-01T00:00:00Z",
                        "tomorrow", "2026-12-01", "2026-12-01T18:00:00", "+1000000000-12-31T23:59:59.999999999Z",
                        "-1000000000-01-01T00:00:00Z", "1764583200").next(random));
                return new Rejected(name, "expiresAt in the past, too far, or malformed", JsonText.write(json),
                        Set.of(EXPIRES_AT, DURATION));
            }
            case 8: {
                withoutTheOtherExpiry(json, DURATION);
                json.put(DURATION, Gen.elements("P30D", "P7DT1S", "-PT1H", "PT0S", "P1Y", "8h", "PT8H30X",
                        "PT9000000000000000S", "PT2562047788015215H", "P106751991167300D", "-PT9000000000000000S")
                        .next(random));
                return new Rejected(name, "duration not positive, too long, overflowing or malformed", JsonText.write(json),
                        Set.of(DURATION, EXPIRES_AT));
            }
            case 9: {
                json.put(REQUESTED_AT, Gen.elements("2027-01-01T00:00:00Z", "2026-11-28T10:05:01Z",
                        "+1000000000-12-31T23:59:59.999999999Z", "now", "1764324000", "2026-11-28 10:00:00").next(random));
                return new Rejected(name, "requestedAt in the future or malformed", JsonText.write(json), Set.of(REQUESTED_AT));
            }
            case 10: {
                json.put(REQUEST_ID, Gen.elements("has space", "a".repeat(129), "ü", "x\ny", "id;drop", "a,b",
                        "<script>", "#1").next(random));
                return new Rejected(name, "requestId malformed", JsonText.write(json), Set.of(REQUEST_ID));
            }
            case 11: {
                json.put(ACTION, Gen.elements("Grant", "GRANT", "delete", "grant ", " revoke", "bootstrap2", "").next(random));
                return new Rejected(name, "unknown action", JsonText.write(json), Set.of(ACTION));
            }
            case 12: {
                boolean byArn = sample.isBootstrap() || random.nextBoolean();
                json.remove(CLUSTER_NAME);
                json.remove(CLUSTER_ARN);
                if (byArn) {
                    json.put(CLUSTER_ARN, Gen.elements("arn:aws:eks:eu-west-1:111122223333:cluster/*",
                            "arn:aws:eks:eu-west-1:1111:cluster/x", "arn:aws:eks:eu-west-1:111122223333:nodegroup/x",
                            "arn:aws-iso:eks:eu-west-1:111122223333:cluster/x", "arn:aws:eks:EU:111122223333:cluster/x",
                            "arn:aws:eks:eu-west-1:111122223333:cluster/-x").next(random));
                } else {
                    json.put(CLUSTER_NAME, Gen.elements("bad name", "-leading", "a".repeat(101), "payments\u0000",
                            "ｐａｙｍｅｎｔｓ", "payments/prod", "*").next(random));
                }
                return new Rejected(name, "cluster malformed", JsonText.write(json), Set.of(CLUSTER_NAME, CLUSTER_ARN));
            }
            case 13: {
                String field = unknownFieldName(random);
                json.set(field, Hostile.ANY_VALUE.next(random));
                return new Rejected(name, "unknown field", JsonText.write(json), labels(field));
            }
            case 14: {
                List<String> keys = new ArrayList<>();
                json.fieldNames().forEachRemaining(keys::add);
                String key = keys.get(random.nextInt(keys.size()));
                String body = JsonText.write(json);
                String duplicated = "{" + JsonText.quote(key) + ":" + JsonText.write(Hostile.ANY_VALUE.next(random))
                        + "," + body.substring(1);
                return new Rejected(name, "duplicate key " + key, duplicated, Set.of("message"));
            }
            default: {
                if (random.nextBoolean()) {
                    // Written as text: Jackson refuses to write what it refuses to read.
                    int depth = random.nextInt(Hostile.MAX_JSON_DEPTH + 1, 5_000);
                    json.put(Gen.elements(FIELD_ORDER).next(random), DEPTH_BOMB);
                    String body = JsonText.write(json)
                            .replace(JsonText.quote(DEPTH_BOMB), "[".repeat(depth) + "]".repeat(depth));
                    return new Rejected(name, "nesting deeper than the JSON limit", body, Set.of("message"));
                }
                json.put(REQUESTED_BY, "x".repeat(AccessRequest.MAX_MESSAGE_BYTES + random.nextInt(10_000)));
                return new Rejected(name, "message over the size limit", JsonText.write(json), Set.of("message"));
            }
        }
    }

    /** An expiresAt or duration is judged only alone: with both, the parser refuses the pair before reading them. */
    private static void withoutTheOtherExpiry(ObjectNode json, String field) {
        if (field.equals(EXPIRES_AT)) {
            json.remove(DURATION);
        } else if (field.equals(DURATION)) {
            json.remove(EXPIRES_AT);
        }
    }

    private static final String DEPTH_BOMB = "depth-bomb-placeholder";

    /**
     * The ways a rejection may name message field {@code key}: as it is, cut after 64 characters, or either of those
     * as a JSON string (for names that are blank or hold characters that would blur the reason).
     */
    static Set<String> labels(String key) {
        String cut = key.length() > 64 ? key.substring(0, 64) + "..." : key;
        return Set.copyOf(List.of(key, cut, JsonText.quote(key), JsonText.quote(cut)));
    }

    /** The fields an error about {@code field} may name: changing one cluster field may be reported on the other. */
    private static Set<String> fieldsFor(String field) {
        return switch (field) {
            case CLUSTER_NAME, CLUSTER_ARN -> Set.of(CLUSTER_NAME, CLUSTER_ARN);
            case EXPIRES_AT, DURATION -> Set.of(EXPIRES_AT, DURATION);
            default -> Set.of(field);
        };
    }

    /** A value of the wrong JSON type for {@code field}. */
    private static JsonNode wrongType(String field, SplittableRandom random) {
        JsonNode value = Hostile.NOT_A_STRING.next(random);
        if (field.equals(KUBERNETES_GROUPS) && value.isArray()) {
            return Hostile.NODES.numberNode(7);
        }
        if (field.equals(ACCESS_SCOPE) && value.isObject()) {
            return Hostile.NODES.textNode("cluster");
        }
        return value;
    }

    private static String unknownFieldName(SplittableRandom random) {
        String field = Gen.oneOf(Gen.elements("principalARN", "accessEntryType", "type", "namespaces", "Action",
                        "cluster_name", "policyArn", "__proto__", "", " "), Hostile.ODD_TEXT,
                Gen.strings("abcdefghij", 65, 200)).next(random);
        return FIELDS.contains(field) ? field + "_" : field;
    }

    private static ArrayNode arrayOf(String... values) {
        ArrayNode array = Hostile.NODES.arrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    private static ArrayNode manyGroups() {
        ArrayNode array = Hostile.NODES.arrayNode();
        for (int i = 0; i < 101; i++) {
            array.add("g" + i);
        }
        return array;
    }

    private static ObjectNode scope(String type, String... namespaces) {
        ObjectNode scope = Hostile.NODES.objectNode();
        if (type != null) {
            scope.put(SCOPE_TYPE, type);
        }
        if (namespaces != null && namespaces.length > 0) {
            scope.set(SCOPE_NAMESPACES, arrayOf(namespaces));
        } else if (namespaces == null) {
            scope.putArray(SCOPE_NAMESPACES);
        }
        return scope;
    }

    // ---------------------------------------------------------------- stacked changes

    private static Mutant stacked(Sample sample, SplittableRandom random) {
        ObjectNode json = sample.copy();
        List<String> changes = new ArrayList<>();
        for (int i = random.nextInt(1, 5); i > 0; i--) {
            List<String> keys = new ArrayList<>();
            json.fieldNames().forEachRemaining(keys::add);
            int kind = random.nextInt(4);
            if (kind == 0 && !keys.isEmpty()) {
                String key = keys.get(random.nextInt(keys.size()));
                json.remove(key);
                changes.add("dropped " + key);
            } else if (kind == 1 && !keys.isEmpty()) {
                String key = keys.get(random.nextInt(keys.size()));
                json.set(key, Hostile.ANY_VALUE.next(random));
                changes.add("replaced " + key);
            } else if (kind == 2) {
                String key = Gen.elements(FIELD_ORDER).next(random);
                json.set(key, Hostile.ANY_VALUE.next(random));
                changes.add("set " + key);
            } else {
                String key = unknownFieldName(random);
                json.set(key, Hostile.ANY_VALUE.next(random));
                changes.add("added unknown field");
            }
        }
        return new Stacked(sample.name(), changes.toString(), JsonText.write(json));
    }

    // ---------------------------------------------------------------- JSON text

    /** The JSON text with every character of every string value written as a unicode escape. */
    private static String escaped(JsonNode json) {
        if (json.isTextual()) {
            StringBuilder text = new StringBuilder("\"");
            json.asText().chars().forEach(c -> text.append(String.format("\\u%04x", c)));
            return text.append('"').toString();
        }
        if (json.isArray()) {
            List<String> items = new ArrayList<>();
            json.forEach(item -> items.add(escaped(item)));
            return "[" + String.join(",", items) + "]";
        }
        if (json.isObject()) {
            List<String> members = new ArrayList<>();
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                members.add(JsonText.quote(key) + ":" + escaped(json.get(key)));
            }
            return "{" + String.join(",", members) + "}";
        }
        return json.toString();
    }
}
