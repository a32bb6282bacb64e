package dev.eksaccess.contract.eligibility;

import static dev.eksaccess.contract.eligibility.JsonTree.object;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Valid eligibility documents (docs/authorization.md) as JSON trees: every optional part sometimes present, names
 * drawn from small pools so that rules share senders, clusters and namespaces and the decision properties meet
 * matching rules often.
 */
final class ValidDocuments {

    static final List<String> ACCOUNTS = List.of("111122223333", "444455556666", "777788889999");
    /** Senders, principals and approvers that documents name. */
    static final List<String> IDENTITIES = List.of(
            "arn:aws:iam::111122223333:role/teams/payments-ci",
            "arn:aws:iam::111122223333:role/teams/payments-dev",
            "arn:aws:iam::111122223333:role/platform/sre",
            "arn:aws:iam::111122223333:role/platform/break-glass",
            "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123abcd",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws-cn:iam::777788889999:role/ops",
            "arn:aws-us-gov:iam::777788889999:user/dept/bob");
    /** Identities no generated document names anywhere. */
    static final List<String> STRANGERS = List.of(
            "arn:aws:iam::111122223333:role/someone-else",
            "arn:aws:iam::999999999999:user/mallory",
            "arn:aws:iam::111122223333:role/teams/payments-ci-old");
    static final List<String> PRINCIPAL_PATTERNS = List.of(
            "arn:aws:iam::111122223333:role/teams/*", "arn:aws:iam::111122223333:role/teams/payments-*",
            "arn:aws:iam::*:role/platform/*", "arn:aws:iam::111122223333:user/*", "arn:*");
    static final List<String> CLUSTER_NAMES = List.of("payments-prod", "payments-dev", "orders-staging", "orders-prod",
            "sandbox");
    static final List<String> CLUSTER_NAME_PATTERNS = List.of("*", "payments-*", "payments-prod", "*-prod",
            "orders-staging", "o*s*g", "sandbox");
    static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-southeast-2");
    static final List<String> REGION_PATTERNS = List.of("eu-west-1", "us-*", "*", "ap-southeast-2");
    static final List<String> CLUSTER_ARN_PATTERNS = List.of("arn:aws:eks:*:111122223333:cluster/*",
            "arn:aws:eks:eu-west-1:*:cluster/payments-*", "arn:*:eks:*", "arn:aws:eks:us-east-1:444455556666:cluster/*");
    /** Tag keys; "env" is a prefix of "environment" on purpose (problems are found by their path). */
    static final List<String> TAG_KEYS = List.of("environment", "env", "team", "cost-center");
    static final List<String> TAG_VALUES = List.of("prod", "staging", "dev", "payments", "orders", "42");
    static final List<String> TAG_VALUE_PATTERNS = List.of("prod", "staging", "dev", "pay*", "*", "orders", "4*");
    static final List<String> NAMESPACE_PATTERNS = List.of("payments", "payments-*", "orders", "default", "*", "k*",
            "kube-*", "team-*-ci", "kube-system", "kube-public", "kube-node-lease");
    static final List<String> GROUPS = List.of("payments-readers", "deployers", "viewers", "ops");
    static final List<String> USERNAME_PATTERNS = List.of("{{SessionName}}", "payments-*", "ci-bot", "user-*-x");
    static final List<String> DURATIONS = List.of("PT30M", "PT1H", "PT4H", "PT12H", "P1D", "P2DT3H", "PT1.5S",
            "PT90M");
    static final List<String> TIMEOUTS = List.of("PT2H", "PT24H", "P7D", "PT1H30M", "PT168H");
    static final List<String> POLICIES = AccessPolicies.DEFAULT_ALLOWED;

    /** The fields each kind of object may have: the parser refuses any other. */
    static final List<String> DOCUMENT_FIELDS = List.of("$schema", "version", "rules");
    static final List<String> RULE_FIELDS = List.of("id", "description", "senders", "clusters", "principals",
            "policies", "scopes", "kubernetesGroups", "usernames", "maxDuration", "approval", "breakGlass");
    static final List<String> CLUSTER_FIELDS = List.of("names", "arns", "accounts", "regions", "tags");
    static final List<String> PRINCIPAL_FIELDS = List.of("self", "arns", "patterns");
    static final List<String> SCOPE_FIELDS = List.of("cluster", "namespaces");
    static final List<String> APPROVAL_FIELDS = List.of("approvers", "count", "timeout");

    private ValidDocuments() {
    }

    /** A valid document of 0 to 6 rules. */
    static JsonObject document(SplittableRandom random) {
        int size = random.nextInt(7);
        List<JsonValue> rules = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            rules.add(rule(random, "r" + i + Pick.text(random, "abcXYZ019._-", 0, 6)));
        }
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        if (Pick.chance(random, 20)) {
            fields.put("$schema", JsonTree.value("https://eksaccess.dev/schemas/eligibility-v1.schema.json"));
        }
        fields.put("version", JsonTree.value(1));
        fields.put("rules", new JsonArray(rules));
        return new JsonObject(fields);
    }

    /** A valid rule with this id. */
    static JsonObject rule(SplittableRandom random, String id) {
        List<String> policies = Pick.some(random, POLICIES, 1, 3);
        boolean admin = policies.stream().anyMatch(AccessPolicies.ADMIN_CLASS::contains);
        boolean breakGlass = admin ? Pick.chance(random, 40) : Pick.chance(random, 5);
        boolean approval = admin && !breakGlass || Pick.chance(random, 25);
        boolean maxDuration = admin && !breakGlass || Pick.chance(random, 50);

        Map<String, JsonValue> rule = new LinkedHashMap<>();
        rule.put("id", JsonTree.value(id));
        if (Pick.chance(random, 30)) {
            rule.put("description", JsonTree.value(Pick.text(random, "abc xyz,.;:\"\\/\u00e9\u4e2d\ud83d\ude00\n", 0, 80)));
        }
        rule.put("senders", JsonTree.value(Pick.some(random, IDENTITIES, 1, 3)));
        rule.put("clusters", clusters(random));
        rule.put("principals", principals(random));
        rule.put("policies", JsonTree.value(policies.stream()
                .map(policy -> Pick.chance(random, 15) ? AccessPolicies.arnOf(policy) : policy).toList()));
        rule.put("scopes", scopes(random));
        if (Pick.chance(random, 40)) {
            rule.put("kubernetesGroups", JsonTree.value(Pick.some(random, GROUPS, 0, 3)));
        }
        if (Pick.chance(random, 30)) {
            rule.put("usernames", JsonTree.value(Pick.some(random, USERNAME_PATTERNS, 0, 2)));
        }
        if (maxDuration) {
            rule.put("maxDuration", JsonTree.value(Pick.one(random, DURATIONS)));
        }
        if (approval) {
            rule.put("approval", approval(random));
        }
        if (breakGlass || Pick.chance(random, 10)) {
            rule.put("breakGlass", JsonTree.value(breakGlass));
        }
        return shuffledFields(random, rule);
    }

    private static JsonObject clusters(SplittableRandom random) {
        List<String> selectors = Pick.some(random, CLUSTER_FIELDS, 1, 3);
        Map<String, JsonValue> clusters = new LinkedHashMap<>();
        for (String selector : selectors) {
            clusters.put(selector, switch (selector) {
                case "names" -> JsonTree.value(Pick.some(random, CLUSTER_NAME_PATTERNS, 1, 2));
                case "arns" -> JsonTree.value(Pick.some(random, CLUSTER_ARN_PATTERNS, 1, 2));
                case "accounts" -> JsonTree.value(Pick.some(random, ACCOUNTS, 1, 2));
                case "regions" -> JsonTree.value(Pick.some(random, REGION_PATTERNS, 1, 2));
                default -> tags(random);
            });
        }
        return new JsonObject(clusters);
    }

    private static JsonObject tags(SplittableRandom random) {
        Map<String, JsonValue> tags = new LinkedHashMap<>();
        for (String key : Pick.some(random, TAG_KEYS, 1, 3)) {
            tags.put(key, JsonTree.value(Pick.some(random, TAG_VALUE_PATTERNS, 1, 3)));
        }
        return new JsonObject(tags);
    }

    private static JsonObject principals(SplittableRandom random) {
        Map<String, JsonValue> principals = new LinkedHashMap<>();
        for (String part : Pick.some(random, PRINCIPAL_FIELDS, 1, 3)) {
            principals.put(part, switch (part) {
                case "self" -> JsonTree.value(true);
                case "arns" -> JsonTree.value(Pick.some(random, IDENTITIES, 1, 3));
                default -> JsonTree.value(Pick.some(random, PRINCIPAL_PATTERNS, 1, 2));
            });
        }
        if (Pick.chance(random, 10) && !principals.containsKey("self")) {
            principals.put("self", JsonTree.value(false));
        }
        return new JsonObject(principals);
    }

    private static JsonObject scopes(SplittableRandom random) {
        boolean cluster = Pick.chance(random, 50);
        Map<String, JsonValue> scopes = new LinkedHashMap<>();
        if (cluster || Pick.chance(random, 10)) {
            scopes.put("cluster", JsonTree.value(cluster));
        }
        if (!cluster || Pick.chance(random, 50)) {
            scopes.put("namespaces", JsonTree.value(Pick.some(random, NAMESPACE_PATTERNS, 1, 4)));
        }
        return new JsonObject(scopes);
    }

    private static JsonObject approval(SplittableRandom random) {
        List<String> approvers = Pick.some(random, IDENTITIES, 1, 3);
        Map<String, JsonValue> approval = new LinkedHashMap<>();
        approval.put("approvers", JsonTree.value(approvers));
        if (Pick.chance(random, 60)) {
            approval.put("count", JsonTree.value(random.nextInt(1, approvers.size() + 1)));
        }
        if (Pick.chance(random, 60)) {
            approval.put("timeout", JsonTree.value(Pick.one(random, TIMEOUTS)));
        }
        return new JsonObject(approval);
    }

    private static JsonObject shuffledFields(SplittableRandom random, Map<String, JsonValue> fields) {
        if (Pick.chance(random, 70)) {
            return new JsonObject(fields);
        }
        Map<String, JsonValue> shuffled = new LinkedHashMap<>();
        for (String name : Pick.some(random, List.copyOf(fields.keySet()), fields.size(), fields.size())) {
            shuffled.put(name, fields.get(name));
        }
        return new JsonObject(shuffled);
    }

    /** The document's rules, for tests that edit them; none when it has no array of rules. */
    static List<JsonValue> rules(JsonValue document) {
        return document instanceof JsonObject object && object.get("rules") instanceof JsonArray rules ? rules.items()
                : List.of();
    }

    /** A document of these rules. */
    static JsonObject withRules(List<JsonValue> rules) {
        return object("version", 1, "rules", new JsonArray(rules));
    }
}
