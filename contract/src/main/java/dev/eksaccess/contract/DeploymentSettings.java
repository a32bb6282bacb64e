package dev.eksaccess.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The part of a deployment's configuration that grows with the organisation: admin principals, allowed policies,
 * member accounts. {@code cdk synth} writes it as one JSON file into a Lambda layer ({@link #FILE_IN_FUNCTION}), after
 * checking it with {@link #parse}, the parser the functions run once at start; environment variables keep only
 * small values (names, the stack's own ARNs), because Lambda allows 4 KB of them in all.
 *
 * <pre>{"version": 1,
 *  "adminPrincipals": [{"principalArn": "arn:aws:iam::111122223333:role/platform/EksAdmin",
 *                       "policy": "AmazonEKSClusterAdminPolicy"}],
 *  "allowedPolicies": ["AmazonEKSViewPolicy"],
 *  "memberAccounts": ["222233334444"],
 *  "memberOrganization": "o-a1b2c3d4e5",
 *  "driftRestoreClusters": ["payments-*", "arn:aws:eks:eu-west-1:111122223333:cluster/prod-*"],
 *  "driftRestoreWindow": "PT1H"}</pre>
 *
 * @param adminPrincipals    bootstrapped on every new cluster, in this order; principals as {@link IamPrincipal} says
 * @param allowedPolicies    access policies (short names) grant requests may ask for; never empty
 * @param memberAccounts     12-digit ids of the accounts whose clusters the functions may reach through their role
 * @param memberOrganization when present, every account of this AWS organization is a member account: the functions
 *                           accept any account, and the hub's IAM lets them assume the role only in accounts of this
 *                           organization ({@code aws:ResourceOrgID})
 * @param driftRestoreClusters clusters whose grants are restored when someone else changes them, unless their rule
 *                           says otherwise ({@link DriftMode#of}): patterns ({@code *} any run of characters) over the
 *                           cluster ARN when they start with {@code arn:}, else over the cluster name; empty (the
 *                           default): every cluster alerts only
 * @param driftRestoreWindow how long a restore of an entry counts for the no-loop rule: the third restore of the same
 *                           entry within it is stopped and raises the alarm (default {@link #DEFAULT_DRIFT_RESTORE_WINDOW},
 *                           at most {@link #MAX_DRIFT_RESTORE_WINDOW})
 */
public record DeploymentSettings(List<Admin> adminPrincipals, List<String> allowedPolicies,
                                 List<String> memberAccounts, Optional<String> memberOrganization,
                                 List<String> driftRestoreClusters, Duration driftRestoreWindow) {

    /** The no-loop window when the file names none. */
    public static final Duration DEFAULT_DRIFT_RESTORE_WINDOW = Duration.ofHours(1);
    /** The longest no-loop window: an entry's history stays small, and a day-old fight is a new one. */
    public static final Duration MAX_DRIFT_RESTORE_WINDOW = Duration.ofDays(1);

    /** Settings in which no cluster restores drift by default. */
    public DeploymentSettings(List<Admin> adminPrincipals, List<String> allowedPolicies, List<String> memberAccounts,
                              Optional<String> memberOrganization) {
        this(adminPrincipals, allowedPolicies, memberAccounts, memberOrganization, List.of(),
                DEFAULT_DRIFT_RESTORE_WINDOW);
    }

    /** The one format version this code reads. */
    public static final int VERSION = 1;
    /** Where the file is inside its layer's archive. */
    public static final String FILE_IN_LAYER = "eks-access/deployment.json";
    /** Where the functions find it: Lambda extracts layers into {@code /opt}. */
    public static final String FILE_IN_FUNCTION = "/opt/" + FILE_IN_LAYER;

    private static final Pattern ORGANIZATION = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Pattern CLUSTER_NAME_PATTERN = Pattern.compile("[A-Za-z0-9*][A-Za-z0-9_*-]{0,99}");
    private static final Pattern CLUSTER_ARN_PATTERN = Pattern.compile(
            "arn:[a-z*-]+:eks:[a-z0-9*-]+:[0-9*]+:cluster/[A-Za-z0-9_*-]{1,100}");

    /**
     * An admin principal and the access policy it gets.
     *
     * @param principalArn IAM role (with its path) or user ARN
     * @param policy       access policy short name
     */
    public record Admin(String principalArn, String policy) {

        public Admin {
            Objects.requireNonNull(principalArn, "principalArn");
            Objects.requireNonNull(policy, "policy");
        }
    }

    public DeploymentSettings {
        adminPrincipals = List.copyOf(adminPrincipals);
        allowedPolicies = List.copyOf(allowedPolicies);
        memberAccounts = List.copyOf(memberAccounts);
        Objects.requireNonNull(memberOrganization, "memberOrganization");
        driftRestoreClusters = List.copyOf(driftRestoreClusters);
        Objects.requireNonNull(driftRestoreWindow, "driftRestoreWindow");
    }

    /** No admins, the default policies, no member accounts: what a deployment without configuration means. */
    public static DeploymentSettings defaults() {
        return new DeploymentSettings(List.of(), AccessPolicies.DEFAULT_ALLOWED, List.of(), Optional.empty());
    }

    /** The file's text: compact JSON, fields in the documented order. */
    public String toJson() {
        return Json.object(json -> {
            json.writeNumberField("version", VERSION);
            json.writeArrayFieldStart("adminPrincipals");
            for (Admin admin : adminPrincipals) {
                json.writeStartObject();
                json.writeStringField("principalArn", admin.principalArn());
                json.writeStringField("policy", admin.policy());
                json.writeEndObject();
            }
            json.writeEndArray();
            Json.writeStrings(json, "allowedPolicies", allowedPolicies);
            Json.writeStrings(json, "memberAccounts", memberAccounts);
            if (memberOrganization.isPresent()) {
                json.writeStringField("memberOrganization", memberOrganization.get());
            }
            if (!driftRestoreClusters.isEmpty()) {
                Json.writeStrings(json, "driftRestoreClusters", driftRestoreClusters);
            }
            if (!driftRestoreWindow.equals(DEFAULT_DRIFT_RESTORE_WINDOW)) {
                json.writeStringField("driftRestoreWindow", driftRestoreWindow.toString());
            }
        });
    }

    /**
     * Reads and checks a file: every problem is collected, each starting with its JSON path.
     *
     * @throws Invalid listing every problem
     */
    public static DeploymentSettings parse(String text) {
        return new Reader().read(text);
    }

    /** A file that cannot be used: every problem found, each starting with its JSON path. */
    public static final class Invalid extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final List<String> problems;

        public Invalid(List<String> problems) {
            super("deployment settings: " + String.join("; ", problems), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private static final class Reader {

        private final List<String> problems = new ArrayList<>();

        DeploymentSettings read(String text) {
            JsonValue root;
            try {
                root = Json.readWhole(text == null ? "" : text, Json.Duplicates.REJECT).orElse(null);
            } catch (JsonProcessingException e) {
                throw new Invalid(List.of("not JSON: " + e.getOriginalMessage()));
            }
            if (!(root instanceof JsonValue.JsonObject file)) {
                throw new Invalid(List.of("$: must be a JSON object"));
            }
            Set<String> unknown = new LinkedHashSet<>(file.fields().keySet());
            unknown.removeAll(List.of("version", "adminPrincipals", "allowedPolicies", "memberAccounts",
                    "memberOrganization", "driftRestoreClusters", "driftRestoreWindow"));
            unknown.forEach(name -> problem("$." + name, "unknown field"));
            if (!(file.get("version") instanceof JsonValue.JsonNumber number) || !number.value().equals(VERSION)) {
                problem("$.version", "must be " + VERSION + ", the format this code reads (found "
                        + file.get("version") + ")");
            }
            List<Admin> admins = admins(file.get("adminPrincipals"));
            List<String> policies = new ArrayList<>();
            List<JsonValue> policyItems = array(file.get("allowedPolicies"), "$.allowedPolicies");
            for (int i = 0; i < policyItems.size(); i++) {
                String path = "$.allowedPolicies[" + i + "]";
                string(policyItems.get(i), path).ifPresent(policy -> AccessPolicies.shortNameOf(policy)
                        .ifPresentOrElse(name -> {
                            if (!policies.contains(name)) {
                                policies.add(name);
                            }
                        }, () -> problem(path, "'" + policy + "' is not an EKS access policy name or ARN")));
            }
            if (policyItems.isEmpty()) {
                problem("$.allowedPolicies", "must name at least one access policy");
            }
            List<String> accounts = new ArrayList<>();
            List<JsonValue> accountItems = array(file.get("memberAccounts"), "$.memberAccounts");
            for (int i = 0; i < accountItems.size(); i++) {
                String path = "$.memberAccounts[" + i + "]";
                string(accountItems.get(i), path).ifPresent(account -> {
                    if (!AccountId.isValid(account)) {
                        problem(path, "'" + account + "' is not a 12-digit account id");
                    } else if (accounts.contains(account)) {
                        problem(path, "'" + account + "' is listed twice");
                    } else {
                        accounts.add(account);
                    }
                });
            }
            Optional<String> organization = Optional.empty();
            if (file.has("memberOrganization")) {
                organization = string(file.get("memberOrganization"), "$.memberOrganization");
                organization.filter(id -> !ORGANIZATION.matcher(id).matches()).ifPresent(id ->
                        problem("$.memberOrganization", "'" + id + "' is not an AWS Organizations id (o-…)"));
            }
            List<String> restoreClusters = file.has("driftRestoreClusters")
                    ? clusterPatterns(file.get("driftRestoreClusters")) : List.of();
            Duration restoreWindow = file.has("driftRestoreWindow") ? restoreWindow(file.get("driftRestoreWindow"))
                    : DEFAULT_DRIFT_RESTORE_WINDOW;
            if (!problems.isEmpty()) {
                throw new Invalid(problems);
            }
            return new DeploymentSettings(admins, policies, accounts, organization, restoreClusters, restoreWindow);
        }

        private Duration restoreWindow(JsonValue value) {
            String path = "$.driftRestoreWindow";
            Optional<String> text = string(value, path);
            if (text.isEmpty()) {
                return DEFAULT_DRIFT_RESTORE_WINDOW;
            }
            try {
                Duration window = Duration.parse(text.get());
                if (!window.isNegative() && !window.isZero() && window.compareTo(MAX_DRIFT_RESTORE_WINDOW) <= 0) {
                    return window;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            problem(path, "'" + text.get() + "' is not an ISO-8601 duration of more than zero and at most "
                    + MAX_DRIFT_RESTORE_WINDOW + " (such as PT1H or PT30M)");
            return DEFAULT_DRIFT_RESTORE_WINDOW;
        }

        /** Cluster-name or cluster-ARN patterns; an ARN pattern must be an EKS cluster's, so a typo never matches all. */
        private List<String> clusterPatterns(JsonValue value) {
            List<String> patterns = new ArrayList<>();
            List<JsonValue> items = array(value, "$.driftRestoreClusters");
            for (int i = 0; i < items.size(); i++) {
                String path = "$.driftRestoreClusters[" + i + "]";
                string(items.get(i), path).ifPresent(pattern -> {
                    if (pattern.startsWith("arn:") && !CLUSTER_ARN_PATTERN.matcher(pattern).matches()) {
                        problem(path, "'" + pattern + "' is not an EKS cluster ARN pattern "
                                + "(arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME, * for any run of characters)");
                    } else if (!pattern.startsWith("arn:") && !CLUSTER_NAME_PATTERN.matcher(pattern).matches()) {
                        problem(path, "'" + pattern + "' is not a cluster name pattern (letters, digits, - and _, "
                                + "* for any run of characters, at most 100) nor a cluster ARN pattern (arn:…)");
                    } else if (patterns.contains(pattern)) {
                        problem(path, "'" + pattern + "' is listed twice");
                    } else {
                        patterns.add(pattern);
                    }
                });
            }
            return patterns;
        }

        private List<Admin> admins(JsonValue value) {
            List<Admin> admins = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            List<JsonValue> items = array(value, "$.adminPrincipals");
            for (int i = 0; i < items.size(); i++) {
                String path = "$.adminPrincipals[" + i + "]";
                if (!(items.get(i) instanceof JsonValue.JsonObject admin)) {
                    problem(path, "must be an object {\"principalArn\", \"policy\"}");
                    continue;
                }
                Set<String> unknown = new LinkedHashSet<>(admin.fields().keySet());
                unknown.removeAll(List.of("principalArn", "policy"));
                unknown.forEach(name -> problem(path + "." + name, "unknown field"));
                Optional<String> arn = string(admin.get("principalArn"), path + ".principalArn");
                Optional<String> policy = string(admin.get("policy"), path + ".policy");
                if (arn.isEmpty() || policy.isEmpty()) {
                    continue;
                }
                Optional<String> problem = IamPrincipal.problemWith(arn.get());
                Optional<String> shortName = AccessPolicies.shortNameOf(policy.get());
                if (problem.isPresent()) {
                    problem(path + ".principalArn", "'" + arn.get() + "' is not an IAM role or user ARN that EKS"
                            + " accepts: it " + problem.get());
                } else if (shortName.isEmpty()) {
                    problem(path + ".policy", "'" + policy.get() + "' is not an EKS access policy name or ARN");
                } else if (!seen.add(arn.get())) {
                    problem(path + ".principalArn", "'" + arn.get() + "' is listed twice");
                } else {
                    admins.add(new Admin(arn.get(), shortName.get()));
                }
            }
            return admins;
        }

        private List<JsonValue> array(JsonValue value, String path) {
            if (value instanceof JsonValue.JsonArray array) {
                return array.items();
            }
            problem(path, "must be an array");
            return List.of();
        }

        private Optional<String> string(JsonValue value, String path) {
            if (value instanceof JsonValue.JsonString string && !string.value().isBlank()) {
                return Optional.of(string.value());
            }
            problem(path, "must be a non-empty string");
            return Optional.empty();
        }

        private void problem(String path, String message) {
            problems.add(path + ": " + message);
        }
    }
}
