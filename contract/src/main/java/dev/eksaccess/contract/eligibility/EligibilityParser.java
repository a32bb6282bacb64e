package dev.eksaccess.contract.eligibility;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.AccountId;
import dev.eksaccess.contract.DriftMode;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Reads an {@link EligibilityDocument}, collecting every problem with its JSON path instead of stopping at the first. */
final class EligibilityParser {

    static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(24);
    static final Duration LONGEST_APPROVAL_TIMEOUT = Duration.ofDays(7);

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** A namespace (DNS-1123 label) in which {@code *} may stand for any run of characters. */
    private static final Pattern NAMESPACE_PATTERN = Pattern.compile("[a-z0-9*]([-a-z0-9*]{0,61}[a-z0-9*])?");
    /**
     * What {@link Duration#parse} reads, less its leniencies (lower case, signs, commas): the pattern of durations in
     * eligibility-v1.schema.json, so that what the schema refuses, the parser refuses.
     */
    private static final Pattern DURATION = Pattern.compile(
            "P(?!$)([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?)?");
    /**
     * Without white space as JSON Schema (ECMAScript) sees it, which includes no-break and other Unicode spaces that
     * Java's {@code \s} does not, and also U+0085 that Java's Unicode white space adds: invisible in a review.
     */
    private static final Pattern PLAIN_PATTERN = Pattern.compile(
            "[^\\s\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]{1,1024}");
    private static final List<String> RESERVED_USERNAME_PREFIXES = List.of("system:", "eks:", "aws:", "amazon:", "iam:");

    private final List<String> problems = new ArrayList<>();
    /** The ids of the rules read so far. */
    private final Set<String> ids = new HashSet<>();

    EligibilityDocument parse(String text) {
        JsonValue root;
        try {
            root = Json.readWhole(text == null ? "" : text, Json.Duplicates.REJECT).orElse(null);
        } catch (JsonProcessingException e) {
            throw new EligibilityDocumentException(List.of("not JSON: " + e.getOriginalMessage()));
        }
        if (!(root instanceof JsonValue.JsonObject document)) {
            throw new EligibilityDocumentException(List.of("$: must be a JSON object"));
        }
        onlyFields(document, "$", "$schema", "version", "rules");
        if (document.has("$schema") && !(document.get("$schema") instanceof JsonValue.JsonString)) {
            // The schema says so too: what the schema refuses, the parser refuses.
            problem("$.$schema", "must be a string, the URI of the document's JSON Schema");
        }
        JsonValue version = document.get("version");
        if (!(version instanceof JsonValue.JsonNumber number) || !number.value().equals(EligibilityDocument.VERSION)) {
            problem("$.version", "must be " + EligibilityDocument.VERSION + ", the format this deployment reads (found "
                    + version + ")");
        }
        List<EligibilityRule> rules = new ArrayList<>();
        JsonValue rulesValue = document.get("rules");
        if (rulesValue instanceof JsonValue.JsonArray array) {
            for (int i = 0; i < array.items().size(); i++) {
                rules.add(rule(array.items().get(i), "$.rules[" + i + "]"));
            }
        } else {
            problem("$.rules", "must be an array of rules");
        }
        if (!problems.isEmpty()) {
            throw new EligibilityDocumentException(problems);
        }
        return new EligibilityDocument(EligibilityDocument.VERSION, rules);
    }

    private EligibilityRule rule(JsonValue value, String path) {
        if (!(value instanceof JsonValue.JsonObject rule)) {
            problem(path, "must be an object");
            return null;
        }
        int before = problems.size();
        onlyFields(rule, path, "id", "description", "senders", "clusters", "principals", "policies", "scopes",
                "kubernetesGroups", "usernames", "maxDuration", "approval", "breakGlass", "drift", "migration", "recovery");
        String id = requiredString(rule, path, "id");
        // Also when this rule or the earlier one has other problems: each is reported, not only the first.
        if (id != null && !ids.add(id)) {
            problem(path + ".id", "'" + id + "' is the id of an earlier rule too");
        }
        if (id != null && !RULE_ID.matcher(id).matches()) {
            problem(path + ".id", "'" + id + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                    + "letter or digit");
        }
        String description = optionalString(rule, path, "description");
        List<String> senders = principalArns(rule, path, "senders");
        EligibilityRule.Clusters clusters = clusters(rule.get("clusters"), path + ".clusters");
        EligibilityRule.Principals principals = principals(rule.get("principals"), path + ".principals");
        boolean migration = optionalBoolean(rule, path, "migration");
        List<String> policies = strings(rule, path, "policies", !migration, this::policy,
                policy -> AccessPolicies.shortNameOf(policy).orElseThrow());
        EligibilityRule.Scopes scopes;
        if (migration) {
            scopes = migrationRule(rule, path, principals, policies);
        } else {
            nonEmpty(policies, path + ".policies");
            scopes = scopes(rule.get("scopes"), path + ".scopes");
        }
        List<String> groups = strings(rule, path, "kubernetesGroups", false,
                group -> group.startsWith("system:") ? "'" + group + "' starts with system:, which EKS refuses" : null);
        List<String> usernames = strings(rule, path, "usernames", false, this::usernamePattern);
        Optional<Duration> maxDuration = optionalDuration(rule, path + ".maxDuration", "maxDuration");
        Optional<EligibilityRule.Approval> approval = rule.has("approval")
                ? Optional.ofNullable(approval(rule.get("approval"), path + ".approval")) : Optional.empty();
        boolean breakGlass = optionalBoolean(rule, path, "breakGlass");
        Optional<DriftMode> drift = drift(rule, path);
        boolean recovery = optionalBoolean(rule, path, "recovery");
        if (recovery) {
            recoveryRule(rule, path, migration, policies, scopes, maxDuration, approval, breakGlass);
        }
        List<String> adminClass = policies.stream().filter(AccessPolicies.ADMIN_CLASS::contains).toList();
        if (!migration && !adminClass.isEmpty() && !breakGlass && (approval.isEmpty() || maxDuration.isEmpty())) {
            problem(path, "grants " + String.join(" and ", adminClass) + " without "
                    + (approval.isEmpty() && maxDuration.isEmpty() ? "approval and without maxDuration"
                    : approval.isEmpty() ? "approval" : "maxDuration")
                    + ": admin-class access needs both, or \"breakGlass\": true to allow it on purpose (every use "
                    + "then raises the alarm)");
        }
        if (problems.size() > before) {
            return null;
        }
        return new EligibilityRule(id, description == null ? "" : description, senders, clusters, principals,
                policies, scopes, groups, usernames, maxDuration, approval, breakGlass, drift, migration, recovery);
    }

    /**
     * What a recovery rule must say: exactly {@link EligibilityRule#RECOVERY_POLICIES} at cluster scope (what
     * recovering a cluster takes, and nothing it could be stretched to), a {@code maxDuration} (a recovery always
     * ends), approval or break-glass (someone decides, or the alarm rings), no groups or usernames; and it is not
     * also a migration rule.
     */
    private void recoveryRule(JsonValue.JsonObject rule, String path, boolean migration, List<String> policies,
                              EligibilityRule.Scopes scopes, Optional<Duration> maxDuration,
                              Optional<EligibilityRule.Approval> approval, boolean breakGlass) {
        if (migration) {
            problem(path + ".recovery", "a rule is a recovery rule or a migration rule, not both");
        }
        if (!policies.equals(EligibilityRule.RECOVERY_POLICIES)) {
            problem(path + ".policies", "a recovery rule names exactly "
                    + String.join(", ", EligibilityRule.RECOVERY_POLICIES) + ", not " + policies);
        }
        if (scopes != null && (!scopes.cluster() || !scopes.namespaces().isEmpty())) {
            problem(path + ".scopes", "a recovery rule is at cluster scope only: {\"cluster\": true}");
        }
        if (maxDuration.isEmpty() && !rule.has("maxDuration")) {
            problem(path + ".maxDuration", "is required for a recovery rule: recovered access always ends");
        }
        if (approval.isEmpty() && !breakGlass && !rule.has("approval")) {
            problem(path, "a recovery rule needs approval or \"breakGlass\": true (every use then raises the "
                    + "alarm)");
        }
        for (String field : List.of("kubernetesGroups", "usernames")) {
            if (rule.has(field)) {
                problem(path + "." + field, "a recovery rule sets no " + field + ": it gives cluster admin only");
            }
        }
    }

    /** {@code "drift": "alert" | "restore"}, exactly; absent: the deployment decides ({@link DriftMode#of}). */
    private Optional<DriftMode> drift(JsonValue.JsonObject rule, String path) {
        if (!rule.has("drift")) {
            return Optional.empty();
        }
        Optional<DriftMode> mode = rule.get("drift") instanceof JsonValue.JsonString text
                ? DriftMode.fromWire(text.value()) : Optional.empty();
        if (mode.isEmpty()) {
            problem(path + ".drift", "must be " + DriftMode.wireNames() + " (found " + rule.get("drift")
                    + "); leave it out to let the deployment's driftRestoreClusters decide");
        }
        return mode;
    }

    /**
     * What a migration rule may say, beyond a grant rule's senders, clusters, principals, groups and usernames: only
     * the policies a migration produces ({@link EligibilityRule#MIGRATABLE_POLICIES}, at cluster scope: no
     * {@code scopes}), never approval, a duration or break-glass (a migrated entry is as permanent as the mapping it
     * copies, and requests are never held), and cluster admin only for principals named by exact ARN.
     *
     * @return the scopes of a migration rule: the cluster
     */
    private EligibilityRule.Scopes migrationRule(JsonValue.JsonObject rule, String path,
                                                 EligibilityRule.Principals principals, List<String> policies) {
        for (String field : List.of("scopes", "maxDuration", "approval", "breakGlass")) {
            if (rule.has(field)) {
                problem(path + "." + field, "a migration rule has no " + field + ": a migrated entry is at cluster "
                        + "scope and as permanent as the aws-auth mapping it copies, and migrate requests are never "
                        + "held for approval");
            }
        }
        for (String policy : policies) {
            if (!EligibilityRule.MIGRATABLE_POLICIES.contains(policy)) {
                problem(path + ".policies", "'" + policy + "' is not a policy a migration produces (only "
                        + String.join(", ", EligibilityRule.MIGRATABLE_POLICIES) + ", for system:masters)");
            }
        }
        boolean admin = policies.stream().anyMatch(AccessPolicies.ADMIN_CLASS::contains);
        if (admin && principals != null && (principals.self() || !principals.patterns().isEmpty())) {
            problem(path + ".principals", "a migration rule that allows AmazonEKSClusterAdminPolicy names its "
                    + "principals by exact ARN (\"arns\"), never by pattern or self: each one is a decision to "
                    + "keep someone cluster admin");
        }
        return new EligibilityRule.Scopes(true, List.of());
    }

    private EligibilityRule.Clusters clusters(JsonValue value, String path) {
        if (!(value instanceof JsonValue.JsonObject clusters)) {
            problem(path, "must be an object with at least one of names, arns, accounts, regions, tags "
                    + "(use \"names\": [\"*\"] for every cluster)");
            return null;
        }
        onlyFields(clusters, path, "names", "arns", "accounts", "regions", "tags");
        List<String> names = strings(clusters, path, "names", false, this::plainPattern);
        List<String> arns = strings(clusters, path, "arns", false,
                arn -> arn.startsWith("arn:") && arn.contains(":eks:") ? plainPattern(arn)
                        : "'" + arn + "' is not an EKS cluster ARN (pattern)");
        List<String> accounts = strings(clusters, path, "accounts", false,
                account -> AccountId.isValid(account) ? null : "'" + account + "' is not a 12-digit account id");
        List<String> regions = strings(clusters, path, "regions", false, this::plainPattern);
        Map<String, List<String>> tags = new LinkedHashMap<>();
        if (clusters.has("tags")) {
            if (clusters.get("tags") instanceof JsonValue.JsonObject tagObject && !tagObject.fields().isEmpty()) {
                for (String key : tagObject.fields().keySet()) {
                    tags.put(key, nonEmpty(strings(tagObject, path + ".tags", key, true, this::plainPattern),
                            path + ".tags." + key));
                }
            } else {
                problem(path + ".tags", "must be an object of tag key to a list of allowed values");
            }
        }
        if (names.isEmpty() && arns.isEmpty() && accounts.isEmpty() && regions.isEmpty() && tags.isEmpty()) {
            problem(path, "names no cluster: give at least one of names, arns, accounts, regions, tags "
                    + "(\"names\": [\"*\"] for every cluster)");
        }
        return new EligibilityRule.Clusters(names, arns, accounts, regions, tags);
    }

    private EligibilityRule.Principals principals(JsonValue value, String path) {
        if (!(value instanceof JsonValue.JsonObject principals)) {
            problem(path, "must be an object with self, arns and/or patterns");
            return null;
        }
        onlyFields(principals, path, "self", "arns", "patterns");
        boolean self = optionalBoolean(principals, path, "self");
        List<String> arns = strings(principals, path, "arns", false,
                arn -> IamPrincipal.problemWith(arn).map(p -> "'" + arn + "' " + p).orElse(null));
        List<String> patterns = strings(principals, path, "patterns", false,
                pattern -> pattern.startsWith("arn:") ? plainPattern(pattern)
                        : "'" + pattern + "' must be a pattern over IAM ARNs, starting with arn:");
        if (!self && arns.isEmpty() && patterns.isEmpty()) {
            problem(path, "names no principal: set \"self\": true, or give arns or patterns");
        }
        return new EligibilityRule.Principals(self, arns, patterns);
    }

    private EligibilityRule.Scopes scopes(JsonValue value, String path) {
        if (!(value instanceof JsonValue.JsonObject scopes)) {
            problem(path, "must be an object with \"cluster\": true and/or namespaces");
            return null;
        }
        onlyFields(scopes, path, "cluster", "namespaces");
        boolean cluster = optionalBoolean(scopes, path, "cluster");
        List<String> namespaces = strings(scopes, path, "namespaces", false,
                ns -> NAMESPACE_PATTERN.matcher(ns).matches() ? null
                        : "'" + ns + "' is not a namespace name or pattern (lower-case letters, digits, '-', '*'; "
                        + "at most 63)");
        if (!cluster && namespaces.isEmpty()) {
            problem(path, "allows no scope: set \"cluster\": true, or give namespaces");
        }
        return new EligibilityRule.Scopes(cluster, namespaces);
    }

    private EligibilityRule.Approval approval(JsonValue value, String path) {
        if (!(value instanceof JsonValue.JsonObject approval)) {
            problem(path, "must be an object with approvers (and optionally count and timeout)");
            return null;
        }
        onlyFields(approval, path, "approvers", "count", "timeout");
        List<String> approvers = principalArns(approval, path, "approvers");
        int count = 1;
        if (approval.has("count")) {
            if (approval.get("count") instanceof JsonValue.JsonNumber number && number.value() instanceof Integer n
                    && n >= 1) {
                count = n;
            } else {
                problem(path + ".count", "must be a whole number of at least 1");
            }
        }
        if (count > approvers.size() && !approvers.isEmpty()) {
            problem(path + ".count", count + " approvals can never be given by " + approvers.size() + " approver"
                    + (approvers.size() == 1 ? "" : "s"));
        }
        Duration timeout = optionalDuration(approval, path + ".timeout", "timeout").orElse(DEFAULT_APPROVAL_TIMEOUT);
        if (timeout.compareTo(LONGEST_APPROVAL_TIMEOUT) > 0) {
            problem(path + ".timeout", "must be at most " + LONGEST_APPROVAL_TIMEOUT);
        }
        return new EligibilityRule.Approval(approvers, count, timeout);
    }

    // ---- field readers ----

    private void onlyFields(JsonValue.JsonObject object, String path, String... known) {
        Set<String> allowed = Set.of(known);
        for (String name : object.fields().keySet()) {
            if (!allowed.contains(name)) {
                problem(path + "." + name, "unknown field (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private String requiredString(JsonValue.JsonObject object, String path, String field) {
        if (object.get(field) instanceof JsonValue.JsonString string && !string.value().isBlank()) {
            return string.value();
        }
        problem(path + "." + field, "is required: a non-empty string");
        return null;
    }

    private String optionalString(JsonValue.JsonObject object, String path, String field) {
        if (!object.has(field)) {
            return null;
        }
        if (object.get(field) instanceof JsonValue.JsonString string && string.value().length() <= 1024) {
            return string.value();
        }
        problem(path + "." + field, "must be a string of at most 1024 characters");
        return null;
    }

    private boolean optionalBoolean(JsonValue.JsonObject object, String path, String field) {
        if (!object.has(field)) {
            return false;
        }
        if (object.get(field) instanceof JsonValue.JsonBoolean bool) {
            return bool.value();
        }
        problem(path + "." + field, "must be true or false");
        return false;
    }

    private Optional<Duration> optionalDuration(JsonValue.JsonObject object, String path, String field) {
        if (!object.has(field)) {
            return Optional.empty();
        }
        if (object.get(field) instanceof JsonValue.JsonString string && DURATION.matcher(string.value()).matches()) {
            try {
                Duration duration = Duration.parse(string.value());
                if (!duration.isNegative() && !duration.isZero()) {
                    return Optional.of(duration);
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        problem(path, "must be a positive ISO-8601 duration such as \"PT8H\" (found " + object.get(field) + ")");
        return Optional.empty();
    }

    /**
     * An array of strings, each checked by {@code check} (which returns a problem or null); absent means empty unless
     * {@code required}.
     */
    private List<String> strings(JsonValue.JsonObject object, String path, String field, boolean required,
                                 Function<String, String> check) {
        return strings(object, path, field, required, check, UnaryOperator.identity());
    }

    /**
     * As {@link #strings(JsonValue.JsonObject, String, String, boolean, Function)}, each value that passes the check
     * then written as {@code canonical} gives it (a policy ARN as its short name), so that two spellings of one value
     * count as listed twice.
     */
    private List<String> strings(JsonValue.JsonObject object, String path, String field, boolean required,
                                 Function<String, String> check, UnaryOperator<String> canonical) {
        String at = path + "." + field;
        if (!object.has(field)) {
            if (required) {
                problem(at, "is required: an array of strings");
            }
            return List.of();
        }
        if (!(object.get(field) instanceof JsonValue.JsonArray array)) {
            problem(at, "must be an array of strings");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.items().size(); i++) {
            if (!(array.items().get(i) instanceof JsonValue.JsonString string) || string.value().isEmpty()) {
                problem(at + "[" + i + "]", "must be a non-empty string");
                continue;
            }
            String problem = check.apply(string.value());
            if (problem != null) {
                problem(at + "[" + i + "]", problem);
                continue;
            }
            String value = canonical.apply(string.value());
            if (!seen.add(value)) {
                problem(at + "[" + i + "]", "'" + value + "' is listed twice");
                continue;
            }
            values.add(value);
        }
        return values;
    }

    private List<String> principalArns(JsonValue.JsonObject object, String path, String field) {
        return nonEmpty(strings(object, path, field, true,
                arn -> IamPrincipal.problemWith(arn).map(p -> "'" + arn + "' is not an IAM role or user ARN: it " + p)
                        .orElse(null)), path + "." + field);
    }

    private List<String> nonEmpty(List<String> values, String path) {
        // Unless the field or an item of it was refused already; not a field whose name only starts the same.
        if (values.isEmpty() && problems.stream().noneMatch(p -> p.startsWith(path + ": ") || p.startsWith(path + "["))) {
            problem(path, "must list at least one value");
        }
        return values;
    }

    private String policy(String nameOrArn) {
        return AccessPolicies.shortNameOf(nameOrArn).isPresent() ? null
                : "'" + nameOrArn + "' is not an EKS access policy name or ARN";
    }

    /** A username pattern that could match a name with a reserved prefix is refused: EKS refuses those names. */
    private String usernamePattern(String pattern) {
        int star = pattern.indexOf('*');
        String literal = star < 0 ? pattern : pattern.substring(0, star);
        for (String reserved : RESERVED_USERNAME_PREFIXES) {
            if (literal.startsWith(reserved) || (star >= 0 && reserved.startsWith(literal))) {
                return "'" + pattern + "' may match a username starting with " + reserved + ", which EKS refuses";
            }
        }
        return plainPattern(pattern);
    }

    private String plainPattern(String pattern) {
        return PLAIN_PATTERN.matcher(pattern).matches() ? null
                : "'" + pattern + "' must be 1 to 1024 characters without white space";
    }

    private void problem(String path, String text) {
        problems.add(path + ": " + text);
    }
}
