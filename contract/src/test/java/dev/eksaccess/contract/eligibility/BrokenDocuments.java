package dev.eksaccess.contract.eligibility;

import static dev.eksaccess.contract.eligibility.JsonTree.append;
import static dev.eksaccess.contract.eligibility.JsonTree.at;
import static dev.eksaccess.contract.eligibility.JsonTree.with;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonBoolean;
import dev.eksaccess.json.JsonValue.JsonNull;
import dev.eksaccess.json.JsonValue.JsonNumber;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Valid documents ({@link ValidDocuments}) with one thing made wrong, each with the places the parser must name in
 * its problems: a wrong JSON type anywhere, an unknown field, a missing required field, a selector that selects nothing,
 * an admin-class policy without approval or limit, a repeated rule id or list item, bad ARNs, patterns, durations,
 * counts, ids and versions.
 *
 * @param change  what was made wrong, for people
 * @param tree    the document after the change
 * @param places  the places the parser must name, each in one of its problems
 * @param touches the places the change depends on: another change elsewhere leaves this one's problem as it is
 */
record BrokenDocuments(String change, JsonValue tree, List<List<Object>> places, List<List<Object>> touches) {

    @Override
    public String toString() {
        return change + " (expected at " + names() + ")\n" + JsonTree.write(tree);
    }

    /** The places as the parser names them. */
    List<String> names() {
        return places.stream().map(JsonTree::name).toList();
    }

    /** The pattern of durations in eligibility-v1.schema.json ($defs.duration): what "bad" durations do not match. */
    static final Pattern SCHEMA_DURATION = Pattern.compile(schemaDurationPattern());

    /** Strings that are not IAM role or user ARNs, though some look like one. */
    static final List<String> BAD_IAM_ARNS = List.of(
            "arn:aws:sts::111122223333:assumed-role/payments-dev/alice", "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::*:role/admin", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:group/devs",
            "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS",
            "arn:aws-iso:iam::111122223333:role/x", "arn:aws:iam::1111:role/x", "arn:aws:iam::111122223333:role/",
            "arn:aws:iam::111122223333:role/p\u0430yments-dev", "arn:aws:iam::111122223333:role/x\n", " ",
            "arn:aws:iam::111122223333:role/" + "a".repeat(1000), "arn:aws:iam::111122223333:role/a b",
            "AROAEXAMPLEID:session", "");
    /** White space: ASCII, and what JSON Schema's (ECMAScript's) \s also calls white space. */
    static final List<String> WHITE_SPACE = List.of(" ", "\t", "\n", "\r", "\u000b", "\f", "\u00a0", "\u1680",
            "\u2003", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff");
    static final List<String> BAD_NAMESPACES = List.of("Payments", "-a", "a-", "a_b", "a.b", "ns!", "kube system",
            "a".repeat(64), "k\u00f8be", "");
    static final List<String> BAD_USERNAMES = List.of("*", "s*", "sy*", "system:x", "system:*", "eks:*", "aws:x",
            "amazon:*", "am*", "iam:*", "i*", "ek*", "a b", "");
    static final List<String> BAD_GROUPS = List.of("system:masters", "system:authenticated", "system:", "");
    static final List<String> BAD_PRINCIPAL_PATTERNS = List.of("role/x", "*:role/*", "ARN:aws:iam::*", "");
    static final List<String> BAD_CLUSTER_ARNS = List.of("cluster/x", "arn:aws:iam::111122223333:role/x", "*", "");
    static final List<String> BAD_ACCOUNTS = List.of("1234", "1111222233334", "abcdefghijkl", "11112222333a",
            "\u0661\u0661\u0661\u0661\u0662\u0662\u0662\u0662\u0663\u0663\u0663\u0663", " 111122223333", "");
    static final List<String> BAD_POLICIES = List.of("Admin Policy", "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws-iso:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "AmazonEKS*", "a".repeat(129),
            AccessPolicies.ARN_PREFIX, "AmazonEKSViewPolicy\n", "");
    static final List<String> BAD_RULE_IDS = List.of("has space", "-leading", ".x", "a".repeat(65), "a/b", "\u00fcn\u00ef",
            "a,b", " ", "");
    static final List<String> DURATION_CANDIDATES = List.of("pt8h", "+PT1H", "-PT1H", "PT-1H", "PT2H-1M", "PT1,5S",
            "P1W", "P1Y", "P1M", "PT", "P", "8h", "PT0S", "P0D", "PT0.5H", "P1DT", " PT1H", "PT1H ", "PT1H\n", "P-1D",
            "PT0.000S", "1", "");
    static final String DURATION_ALPHABET = "PTDHMS0123456789.,+-ptdhmsWY ";

    /** Lists that must not be empty. */
    private static final List<String> REQUIRED_LISTS = List.of("senders", "policies", "approvers");

    /** Objects whose fields the parser knows, by where they are, and their fields. */
    private static final List<Map.Entry<String, List<String>>> OBJECTS = List.of(
            Map.entry("", ValidDocuments.DOCUMENT_FIELDS),
            Map.entry("rule", ValidDocuments.RULE_FIELDS),
            Map.entry("clusters", ValidDocuments.CLUSTER_FIELDS),
            Map.entry("principals", ValidDocuments.PRINCIPAL_FIELDS),
            Map.entry("scopes", ValidDocuments.SCOPE_FIELDS),
            Map.entry("approval", ValidDocuments.APPROVAL_FIELDS));

    /** Every kind of change, by name; each answers empty when the document has nothing it applies to. */
    static final List<Map.Entry<String, BiFunction<SplittableRandom, JsonValue, Optional<BrokenDocuments>>>> KINDS =
            List.of(
                    Map.entry("wrong type", BrokenDocuments::wrongType),
                    Map.entry("unknown field", BrokenDocuments::unknownField),
                    Map.entry("missing required field", BrokenDocuments::missingRequired),
                    Map.entry("selects nothing", onARule(BrokenDocuments::selectsNothing)),
                    Map.entry("empty required list", onARule(BrokenDocuments::emptyList)),
                    Map.entry("admin-class policy unguarded", onARule(BrokenDocuments::adminUnguarded)),
                    Map.entry("repeated rule id", BrokenDocuments::repeatedRuleId),
                    Map.entry("repeated list item", BrokenDocuments::repeatedItem),
                    Map.entry("bad IAM ARN", onARule(BrokenDocuments::badIamArn)),
                    Map.entry("bad pattern or name", onARule(BrokenDocuments::badListItem)),
                    Map.entry("bad duration", onARule(BrokenDocuments::badDuration)),
                    Map.entry("bad approval count", onARule(BrokenDocuments::badCount)),
                    Map.entry("bad rule id", onARule(BrokenDocuments::badRuleId)),
                    Map.entry("bad version", BrokenDocuments::badVersion),
                    Map.entry("$schema not a string", BrokenDocuments::schemaNotString),
                    Map.entry("description too long", onARule(BrokenDocuments::longDescription)));

    /** One document with one change of a random kind. */
    static BrokenDocuments any(SplittableRandom random) {
        while (true) {
            JsonValue document = withARule(random, ValidDocuments.document(random));
            Optional<BrokenDocuments> broken = Pick.one(random, KINDS).getValue().apply(random, document);
            if (broken.isPresent()) {
                return broken.get();
            }
        }
    }

    /** A change of {@code document} of a random kind, when one applies. */
    static Optional<BrokenDocuments> change(SplittableRandom random, JsonValue document) {
        return Pick.one(random, KINDS).getValue().apply(random, document);
    }

    static JsonValue withARule(SplittableRandom random, JsonValue document) {
        if (!ValidDocuments.rules(document).isEmpty()) {
            return document;
        }
        return with(document, JsonTree.place("rules", 0), ValidDocuments.rule(random, "only"));
    }

    // ---- the kinds ----

    static Optional<BrokenDocuments> wrongType(SplittableRandom random, JsonValue document) {
        List<Object> place = Pick.one(random, JsonTree.places(document));
        JsonValue now = at(document, place);
        JsonValue replacement;
        do {
            replacement = anyValue(random);
        } while (kind(replacement) == kind(now));
        return broken("wrong type: " + kind(replacement) + " in place of " + kind(now), document, place, replacement);
    }

    /**
     * A field the object does not know; often a near miss of one it knows ("senders2"), and then half of the time that
     * namesake is made wrong too (emptied when a required list, else of a wrong type): a parser that compares places
     * as text must not take the one's problem for the other's.
     */
    static Optional<BrokenDocuments> unknownField(SplittableRandom random, JsonValue document) {
        List<List<Object>> objects = new ArrayList<>();
        List<List<String>> fields = new ArrayList<>();
        objects.add(List.of());
        fields.add(ValidDocuments.DOCUMENT_FIELDS);
        for (List<Object> place : JsonTree.places(document)) {
            String where = objectKind(place);
            if (where != null && at(document, place) instanceof JsonObject) {
                objects.add(place);
                fields.add(OBJECTS.stream().filter(e -> e.getKey().equals(where)).findFirst().orElseThrow().getValue());
            }
        }
        List<Integer> rules = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            if (fields.get(i) == ValidDocuments.RULE_FIELDS) {
                rules.add(i);
            }
        }
        int which = !rules.isEmpty() && Pick.chance(random, 50) ? Pick.one(random, rules) : random.nextInt(objects.size());
        List<Object> object = objects.get(which);
        List<String> known = fields.get(which);
        List<String> requiredLists = known.stream().filter(REQUIRED_LISTS::contains).toList();
        String namesake;
        String name;
        do {
            namesake = !Pick.chance(random, 60) ? null
                    : requiredLists.isEmpty() || Pick.chance(random, 50) ? Pick.one(random, known)
                    : Pick.one(random, requiredLists);
            name = namesake != null ? namesake + Pick.one(random, List.of("s", "_", "2", "Extra", "-old"))
                    : Pick.text(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$", 1, 12);
            if (Pick.chance(random, 20)) {
                name = name.toUpperCase();
            }
        } while (known.contains(name));
        List<Object> place = append(object, name);
        JsonValue changed = with(document, place, anyValue(random));
        List<Object> namesakePlace = namesake == null ? null : append(object, namesake);
        JsonValue current = namesakePlace == null ? null : at(document, namesakePlace);
        if (current == null || Pick.chance(random, 50)) {
            return Optional.of(new BrokenDocuments("unknown field " + name, changed, List.of(place), List.of(place)));
        }
        JsonValue wrong;
        if (REQUIRED_LISTS.contains(namesake) && current instanceof JsonArray) {
            wrong = new JsonArray(List.of());
        } else {
            do {
                wrong = anyValue(random);
            } while (kind(wrong) == kind(current));
        }
        return Optional.of(new BrokenDocuments("unknown field " + name + " beside " + namesake + " = " + wrong,
                with(changed, namesakePlace, wrong), List.of(place, namesakePlace), List.of(place, namesakePlace)));
    }

    static Optional<BrokenDocuments> missingRequired(SplittableRandom random, JsonValue document) {
        List<List<Object>> required = new ArrayList<>(List.of(JsonTree.place("version"), JsonTree.place("rules")));
        for (int i = 0; i < ValidDocuments.rules(document).size(); i++) {
            if (!(ValidDocuments.rules(document).get(i) instanceof JsonObject)) {
                continue;
            }
            for (String field : List.of("id", "senders", "clusters", "principals", "policies", "scopes")) {
                required.add(JsonTree.place("rules", i, field));
            }
            if (at(document, JsonTree.place("rules", i, "approval")) instanceof JsonObject) {
                required.add(JsonTree.place("rules", i, "approval", "approvers"));
            }
        }
        List<Object> place = Pick.one(random, required);
        return broken("missing " + JsonTree.name(place), document, place, null);
    }

    static Optional<BrokenDocuments> selectsNothing(SplittableRandom random, JsonValue document, int rule) {
        List<Object> place = JsonTree.place("rules", rule,
                Pick.one(random, List.of("clusters", "principals", "scopes")));
        JsonValue nothing = switch ((String) place.get(2)) {
            case "clusters" -> Pick.one(random, List.of(JsonTree.object(), JsonTree.object("names", List.of()),
                    JsonTree.object("accounts", List.of(), "regions", List.of())));
            case "principals" -> Pick.one(random, List.of(JsonTree.object(), JsonTree.object("self", false),
                    JsonTree.object("arns", List.of(), "patterns", List.of())));
            default -> Pick.one(random, List.of(JsonTree.object(), JsonTree.object("cluster", false),
                    JsonTree.object("namespaces", List.of())));
        };
        return broken("nothing selected in " + JsonTree.name(place), document, place, nothing);
    }

    static Optional<BrokenDocuments> emptyList(SplittableRandom random, JsonValue document, int rule) {
        List<List<Object>> lists = new ArrayList<>(List.of(JsonTree.place("rules", rule, "senders"),
                JsonTree.place("rules", rule, "policies")));
        if (at(document, JsonTree.place("rules", rule, "approval")) instanceof JsonObject) {
            lists.add(JsonTree.place("rules", rule, "approval", "approvers"));
        }
        if (at(document, JsonTree.place("rules", rule, "clusters", "tags")) instanceof JsonObject tags) {
            tags.fields().keySet().forEach(key -> lists.add(JsonTree.place("rules", rule, "clusters", "tags", key)));
        }
        List<Object> place = Pick.one(random, lists);
        return broken("empty " + JsonTree.name(place), document, place, new JsonArray(List.of()));
    }

    static Optional<BrokenDocuments> adminUnguarded(SplittableRandom random, JsonValue document, int rule) {
        List<Object> rulePlace = JsonTree.place("rules", rule);
        String admin = Pick.one(random, AccessPolicies.ADMIN_CLASS);
        List<JsonValue> policies = new ArrayList<>();
        policies.add(JsonTree.value(Pick.chance(random, 20) ? AccessPolicies.arnOf(admin) : admin));
        if (!(at(document, append(rulePlace, "policies")) instanceof JsonArray present)) {
            return Optional.empty();
        }
        for (JsonValue policy : present.items()) {
            if (!(policy instanceof JsonString name) || !AccessPolicies.shortNameOf(name.value()).orElse("").equals(admin)) {
                policies.add(policy);
            }
        }
        JsonValue changed = with(document, append(rulePlace, "policies"), new JsonArray(
                Pick.some(random, policies, policies.size(), policies.size())));
        int without = random.nextInt(3);
        if (without != 1) {
            changed = with(changed, append(rulePlace, "approval"), null);
        }
        if (without != 0) {
            changed = with(changed, append(rulePlace, "maxDuration"), null);
        }
        changed = with(changed, append(rulePlace, "breakGlass"), Pick.chance(random, 50) ? null : JsonTree.value(false));
        String missing = List.of("approval", "maxDuration", "approval and maxDuration").get(without);
        return Optional.of(new BrokenDocuments(admin + " without " + missing + " nor breakGlass", changed, List.of(rulePlace),
                List.of(rulePlace)));
    }

    static Optional<BrokenDocuments> repeatedRuleId(SplittableRandom random, JsonValue document) {
        int rules = ValidDocuments.rules(document).size();
        if (rules == 0) {
            return Optional.empty();
        }
        int first = random.nextInt(rules);
        int second = first + 1 + random.nextInt(rules - first);
        if (!(at(document, JsonTree.place("rules", first, "id")) instanceof JsonString id)
                || second < rules && !(ValidDocuments.rules(document).get(second) instanceof JsonObject)) {
            return Optional.empty();
        }
        JsonValue changed = second == rules
                ? with(document, JsonTree.place("rules", second), ValidDocuments.rule(random, id.value()))
                : with(document, JsonTree.place("rules", second, "id"), id);
        List<Object> place = JsonTree.place("rules", second, "id");
        return Optional.of(new BrokenDocuments("rule " + second + " has the id of rule " + first, changed, List.of(place),
                List.of(JsonTree.place("rules", first, "id"), place)));
    }

    static Optional<BrokenDocuments> repeatedItem(SplittableRandom random, JsonValue document) {
        List<List<Object>> lists = JsonTree.places(document).stream()
                .filter(place -> at(document, place) instanceof JsonArray array && !array.items().isEmpty()
                        && array.items().stream().allMatch(item -> item instanceof JsonString string
                                && (!place.getLast().equals("policies")
                                        || AccessPolicies.shortNameOf(string.value()).isPresent())))
                .toList();
        if (lists.isEmpty()) {
            return Optional.empty();
        }
        List<Object> list = Pick.one(random, lists);
        List<JsonValue> items = ((JsonArray) at(document, list)).items();
        String item = ((JsonString) Pick.one(random, items)).value();
        if (list.getLast().equals("policies") && Pick.chance(random, 50)) {
            String name = AccessPolicies.shortNameOf(item).orElseThrow();
            item = item.equals(name) ? AccessPolicies.arnOf(name) : name;
        }
        List<Object> place = append(list, items.size());
        return broken("repeated '" + item + "'", document, place, JsonTree.value(item), list);
    }

    static Optional<BrokenDocuments> badIamArn(SplittableRandom random, JsonValue document, int rule) {
        List<List<Object>> lists = new ArrayList<>(List.of(JsonTree.place("rules", rule, "senders")));
        for (List<Object> optional : List.of(JsonTree.place("rules", rule, "principals", "arns"),
                JsonTree.place("rules", rule, "approval", "approvers"))) {
            if (at(document, optional) != null) {
                lists.add(optional);
            }
        }
        return badItem(random, document, Pick.one(random, lists), Pick.one(random, BAD_IAM_ARNS));
    }

    static Optional<BrokenDocuments> badListItem(SplittableRandom random, JsonValue document, int rule) {
        List<Object> base = JsonTree.place("rules", rule);
        String field = Pick.one(random, List.of("names", "regions", "tags", "arns", "accounts", "patterns",
                "namespaces", "usernames", "kubernetesGroups", "policies"));
        String tagKey = Pick.one(random, ValidDocuments.TAG_KEYS);
        List<Object> list = switch (field) {
            case "names", "regions", "arns", "accounts" -> JsonTree.place("rules", rule, "clusters", field);
            case "tags" -> JsonTree.place("rules", rule, "clusters", "tags", tagKey);
            case "patterns" -> JsonTree.place("rules", rule, "principals", "patterns");
            case "namespaces" -> JsonTree.place("rules", rule, "scopes", "namespaces");
            default -> append(base, field);
        };
        String bad = switch (field) {
            case "names", "regions", "tags" -> Pick.chance(random, 20) ? "" : badPlainPattern(random);
            case "arns" -> Pick.chance(random, 30) ? "arn:aws:eks:" + badPlainPattern(random)
                    : Pick.one(random, BAD_CLUSTER_ARNS);
            case "accounts" -> Pick.one(random, BAD_ACCOUNTS);
            case "patterns" -> Pick.chance(random, 30) ? "arn:" + badPlainPattern(random)
                    : Pick.one(random, BAD_PRINCIPAL_PATTERNS);
            case "namespaces" -> Pick.one(random, BAD_NAMESPACES);
            case "usernames" -> Pick.chance(random, 30) ? "team-" + badPlainPattern(random)
                    : Pick.one(random, BAD_USERNAMES);
            case "kubernetesGroups" -> Pick.one(random, BAD_GROUPS);
            default -> Pick.one(random, BAD_POLICIES);
        };
        if (field.equals("tags") && !(at(document, JsonTree.place("rules", rule, "clusters", "tags")) instanceof JsonObject)) {
            if (!(at(document, JsonTree.place("rules", rule, "clusters")) instanceof JsonObject)) {
                return Optional.empty();
            }
            JsonValue changed = with(document, JsonTree.place("rules", rule, "clusters", "tags"),
                    JsonTree.object(tagKey, List.of(bad)));
            List<Object> place = append(list, 0);
            return Optional.of(new BrokenDocuments("bad tag value '" + bad + "'", changed, List.of(place), List.of(list)));
        }
        return badItem(random, document, list, bad);
    }

    static Optional<BrokenDocuments> badDuration(SplittableRandom random, JsonValue document, int rule) {
        boolean timeout = at(document, JsonTree.place("rules", rule, "approval")) instanceof JsonObject
                && Pick.chance(random, 50);
        List<Object> place = timeout ? JsonTree.place("rules", rule, "approval", "timeout")
                : JsonTree.place("rules", rule, "maxDuration");
        String bad;
        if (timeout && Pick.chance(random, 30)) {
            bad = Pick.one(random, List.of("P8D", "PT169H", "P7DT1S", "PT10081M", "P99999D"));
        } else {
            do {
                bad = Pick.chance(random, 50) ? Pick.one(random, DURATION_CANDIDATES)
                        : Pick.text(random, DURATION_ALPHABET, 0, 8);
            } while (SCHEMA_DURATION.matcher(bad).matches() && !bad.matches("[^1-9]*"));
        }
        return broken("duration '" + bad + "'", document, place, JsonTree.value(bad));
    }

    static Optional<BrokenDocuments> badCount(SplittableRandom random, JsonValue document, int rule) {
        if (!(at(document, JsonTree.place("rules", rule, "approval")) instanceof JsonObject approval)) {
            return Optional.empty();
        }
        int approvers = approval.get("approvers") instanceof JsonArray list ? list.items().size() : 0;
        JsonValue count = Pick.one(random, List.of(new JsonNumber(0), new JsonNumber(-1),
                new JsonNumber(approvers + 1 + random.nextInt(3)), new JsonNumber(2_147_483_648L),
                new JsonNumber(1.0), new JsonNumber(1.5), new JsonNumber(new BigInteger("1" + "0".repeat(30)))));
        List<Object> place = JsonTree.place("rules", rule, "approval", "count");
        return broken("count " + count, document, place, count, JsonTree.place("rules", rule, "approval"));
    }

    static Optional<BrokenDocuments> badRuleId(SplittableRandom random, JsonValue document, int rule) {
        List<Object> place = JsonTree.place("rules", rule, "id");
        return broken("rule id", document, place, JsonTree.value(Pick.one(random, BAD_RULE_IDS)));
    }

    static Optional<BrokenDocuments> badVersion(SplittableRandom random, JsonValue document) {
        JsonValue version = Pick.one(random, List.of(new JsonNumber(0), new JsonNumber(2), new JsonNumber(-1),
                new JsonNumber(1.0), new JsonNumber(1L << 32), new JsonNumber(1e300)));
        return broken("version " + version, document, JsonTree.place("version"), version);
    }

    static Optional<BrokenDocuments> schemaNotString(SplittableRandom random, JsonValue document) {
        JsonValue schema;
        do {
            schema = anyValue(random);
        } while (schema instanceof JsonString);
        return broken("$schema " + kind(schema), document, JsonTree.place("$schema"), schema);
    }

    static Optional<BrokenDocuments> longDescription(SplittableRandom random, JsonValue document, int rule) {
        List<Object> place = JsonTree.place("rules", rule, "description");
        return broken("long description", document, place, JsonTree.value("d".repeat(random.nextInt(1025, 5000))));
    }

    // ---- helpers ----

    private static String schemaDurationPattern() {
        try (InputStream schema = BrokenDocuments.class.getResourceAsStream(
                "/dev/eksaccess/contract/eligibility-v1.schema.json")) {
            JsonValue tree = Json.read(new String(schema.readAllBytes(), StandardCharsets.UTF_8),
                    Json.Duplicates.REJECT).orElseThrow();
            return ((JsonString) at(tree, List.of("$defs", "duration", "pattern"))).value();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<BrokenDocuments> broken(String change, JsonValue document, List<Object> place,
                                                    JsonValue value) {
        return broken(change, document, place, value, place);
    }

    private static Optional<BrokenDocuments> broken(String change, JsonValue document, List<Object> place,
                                                    JsonValue value, List<Object> touches) {
        return Optional.of(new BrokenDocuments(change, with(document, place, value), List.of(place), List.of(touches)));
    }

    /** The list at {@code list} with one item replaced by {@code bad}, or {@code bad} added (a new list if none). */
    private static Optional<BrokenDocuments> badItem(SplittableRandom random, JsonValue document, List<Object> list,
                                                     String bad) {
        JsonValue current = at(document, list);
        if (current == null && !(at(document, list.subList(0, list.size() - 1)) instanceof JsonObject)) {
            return Optional.empty();
        }
        if (!(current instanceof JsonArray array)) {
            return Optional.of(new BrokenDocuments("'" + bad + "' as the only item", with(document, list,
                    JsonTree.value(List.of(bad))), List.of(append(list, 0)), List.of(list)));
        }
        int index = random.nextInt(array.items().size() + 1);
        return broken("'" + bad + "' at item " + index, document, append(list, index), JsonTree.value(bad), list);
    }

    /** Not a pattern: over 1,024 characters, or with white space in it. */
    private static String badPlainPattern(SplittableRandom random) {
        return Pick.chance(random, 30) ? "x".repeat(random.nextInt(1025, 3000))
                : Pick.text(random, "ab*-", 0, 5) + Pick.one(random, WHITE_SPACE) + Pick.text(random, "ab*-", 0, 5);
    }

    /** A change of one rule, made to a random rule that is an object; none when there is no such rule. */
    @FunctionalInterface
    interface RuleChange {
        Optional<BrokenDocuments> change(SplittableRandom random, JsonValue document, int rule);
    }

    private static BiFunction<SplittableRandom, JsonValue, Optional<BrokenDocuments>> onARule(RuleChange change) {
        return (random, document) -> {
            List<JsonValue> rules = ValidDocuments.rules(document);
            List<Integer> objects = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i) instanceof JsonObject) {
                    objects.add(i);
                }
            }
            return objects.isEmpty() ? Optional.empty() : change.change(random, document, Pick.one(random, objects));
        };
    }

    /** Where {@code place} is, if it is an object whose fields the parser knows: "rule", "clusters", ... */
    private static String objectKind(List<Object> place) {
        if (place.size() == 2 && place.get(0).equals("rules")) {
            return "rule";
        }
        if (place.size() == 3 && place.get(0).equals("rules") && List.of("clusters", "principals", "scopes", "approval")
                .contains(place.get(2))) {
            return (String) place.get(2);
        }
        return null;
    }

    /** A JSON value of any kind: what a careless or hostile author puts where something else belongs. */
    static JsonValue anyValue(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> JsonTree.value(Pick.one(random, List.of("", "x", "1", "true", "null", "AmazonEKSViewPolicy",
                    "arn:aws:iam::111122223333:role/x", "d".repeat(2_000))));
            case 1 -> Pick.one(random, List.of(new JsonNumber(0), new JsonNumber(1), new JsonNumber(-1),
                    new JsonNumber(1.5), new JsonNumber(12_345_678_901_234L), new JsonNumber(1e300)));
            case 2 -> new JsonBoolean(random.nextBoolean());
            case 3 -> JsonNull.NULL;
            case 4 -> Pick.chance(random, 30) ? nested(random.nextInt(2, 300))
                    : JsonTree.value(Pick.some(random, List.of("x", "arn:aws:iam::111122223333:role/x", "*"), 0, 2));
            default -> Pick.one(random, List.of(JsonTree.object(), JsonTree.object("a", 1),
                    JsonTree.object("names", List.of("*")), JsonTree.object("self", true)));
        };
    }

    private static JsonValue nested(int depth) {
        JsonValue value = new JsonArray(List.of());
        for (int i = 1; i < depth; i++) {
            value = new JsonArray(List.of(value));
        }
        return value;
    }

    private static String kind(JsonValue value) {
        return value.getClass().getSimpleName();
    }
}
