package dev.eksaccess.cdk;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.AccountId;
import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.contract.eligibility.EligibilityDocumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates {@link DeploymentConfig} from CDK context. Values come typed from JSON context files
 * (lists, objects, booleans) or as strings from {@code -c key=value} (lists comma-separated), and both are accepted.
 * Every problem is collected and reported together, each naming its context key and item index.
 */
public final class ContextParser {

    private static final Pattern ACCOUNT_ROOT_ARN = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:root");
    private static final Pattern CLUSTER_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):eks:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:cluster/[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    /** EventBridge's rule for event bus names (partner buses contain '/'). */
    private static final Pattern EVENT_BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");
    private static final Pattern EVENT_BUS_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):events:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:event-bus/" + EVENT_BUS_NAME.pattern());
    /** EKS's rule for cluster names, with '*' for any run of characters. */
    private static final Pattern CLUSTER_NAME_PATTERN = Pattern.compile("[A-Za-z0-9*][A-Za-z0-9_*-]{0,99}");
    /** What a tag key or value may hold (AWS's tag rules; keys starting aws: are AWS's own). */
    private static final Pattern TAG_PART = Pattern.compile("(?!aws:)[\\p{L}\\p{N} _.:/=+@-]{1,128}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern KMS_KEY_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:key/[A-Za-z0-9-]{1,128}");
    private static final Pattern ORGANIZATION_ID = Pattern.compile("o-[a-z0-9]{10,32}");
    /** STS's rule for ExternalId. */
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    /** The retentions CloudWatch Logs accepts. */
    static final List<Integer> LOG_RETENTIONS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private final Function<String, Object> context;
    private final Path defaultFunctionsJar;
    private final List<String> problems = new ArrayList<>();

    private ContextParser(Map<String, Object> context, Path defaultFunctionsJar) {
        this.context = context::get;
        this.defaultFunctionsJar = defaultFunctionsJar;
    }

    /**
     * Parses the hub's configuration.
     *
     * @param context             all context ({@code node.getAllContext()})
     * @param defaultFunctionsJar used when {@code functionsJar} is not set
     * @throws ConfigException listing every problem
     */
    public static DeploymentConfig parse(Map<String, Object> context, Path defaultFunctionsJar) {
        ContextParser parser = new ContextParser(context, defaultFunctionsJar);
        parser.checkKeys(context.keySet());
        DeploymentConfig config = parser.read();
        parser.checkDeploymentSettings(config);
        parser.failOnProblems();
        return config;
    }

    /**
     * Parses the spoke's settings when a spoke is asked for ({@code hubAccount} or {@code hubRoleArn} set); the
     * spoke also uses the hub's {@link DeploymentConfig} (role name, policies, clusters).
     *
     * @throws ConfigException when a spoke setting is missing or malformed
     */
    public static Optional<SpokeConfig> parseSpoke(Map<String, Object> context, DeploymentConfig hub) {
        ContextParser parser = new ContextParser(context, hub.functionsJar());
        Optional<String> hubAccount = parser.string(ContextKey.HUB_ACCOUNT);
        Optional<String> hubRoleArn = parser.string(ContextKey.HUB_ROLE_ARN);
        if (hubAccount.isEmpty() && hubRoleArn.isEmpty()) {
            return Optional.empty();
        }
        if (!AccountId.isValid(hubAccount.orElse(""))) {
            parser.problem(ContextKey.HUB_ACCOUNT.key(), "'" + hubAccount.orElse("") + "' is not "
                    + ContextKey.HUB_ACCOUNT.expected());
        }
        hubRoleArn.ifPresent(arn -> parser.checkIamPrincipal(ContextKey.HUB_ROLE_ARN.key(), arn));
        Optional<String> hubCreationRoleArn = parser.string(ContextKey.HUB_CLUSTER_CREATION_ROLE_ARN);
        hubCreationRoleArn.ifPresent(arn -> parser.checkIamPrincipal(ContextKey.HUB_CLUSTER_CREATION_ROLE_ARN.key(),
                arn));
        Optional<String> hubAccessChangesRoleArn = parser.string(ContextKey.HUB_ACCESS_CHANGES_ROLE_ARN);
        hubAccessChangesRoleArn.ifPresent(arn -> parser.checkIamPrincipal(ContextKey.HUB_ACCESS_CHANGES_ROLE_ARN.key(),
                arn));
        Optional<String> hubAdoptionRoleArn = parser.string(ContextKey.HUB_ADOPTION_ROLE_ARN);
        hubAdoptionRoleArn.ifPresent(arn -> parser.checkIamPrincipal(ContextKey.HUB_ADOPTION_ROLE_ARN.key(), arn));
        // Without the hub's role ARNs (one template for every account, StackSets): the hub's roles by the names
        // CloudFormation gives them, EksAccess-<logical id>-<suffix>, in the hub account.
        if (hubRoleArn.isEmpty()) {
            hubRoleArn = Optional.of(SpokeConfig.hubRoleByName(hubAccount.orElse(""), "GrantProcessorRole"));
            if (hubCreationRoleArn.isEmpty()) {
                hubCreationRoleArn = Optional.of(SpokeConfig.hubRoleByName(hubAccount.orElse(""),
                        "ClusterCreatedRole"));
            }
            if (hubAccessChangesRoleArn.isEmpty()) {
                hubAccessChangesRoleArn = Optional.of(SpokeConfig.hubRoleByName(hubAccount.orElse(""),
                        "AccessChangesRole"));
            }
        }
        if (hub.crossAccountRoleName().isEmpty()) {
            parser.problem(ContextKey.CROSS_ACCOUNT_ROLE_NAME.key(), "is required for the spoke stack; expected "
                    + ContextKey.CROSS_ACCOUNT_ROLE_NAME.expected());
        }
        // The role's trust names the hub's role and binds it with a condition: the organization, or an external id.
        if (hub.organizationId().isEmpty() && hub.crossAccountExternalId().isEmpty()) {
            parser.problem(ContextKey.ORGANIZATION_ID.key() + " or " + ContextKey.CROSS_ACCOUNT_EXTERNAL_ID.key(),
                    "one is required for the spoke stack, whose role's trust requires aws:PrincipalOrgID or"
                            + " sts:ExternalId of the hub's role");
        }
        parser.failOnProblems();
        return Optional.of(new SpokeConfig(hubAccount.orElseThrow(), hubRoleArn.orElseThrow(), hubCreationRoleArn,
                hubAccessChangesRoleArn, hubAdoptionRoleArn));
    }

    /**
     * A misspelt key would silently leave its setting at the default, so unknown keys are errors. CDK's own keys
     * (feature flags, {@code aws:cdk:...}) all contain {@code @}, {@code :} or {@code /} and are left alone.
     */
    private void checkKeys(Set<String> keys) {
        Set<String> known = new HashSet<>();
        for (ContextKey key : ContextKey.values()) {
            known.add(key.key());
        }
        keys.stream().filter(key -> !key.matches(".*[@:/].*") && !known.contains(key)).sorted().forEach(key ->
                problem(key, "unknown key; known keys are " + Arrays.stream(ContextKey.values())
                        .map(ContextKey::key).toList()));
    }

    private DeploymentConfig read() {
        List<String> allowedPolicies = allowedPolicies();
        List<AdminPrincipal> admins = adminPrincipals();
        List<String> senders = senderPrincipals();
        boolean modeSwitch = flag(ContextKey.ALLOW_AUTH_MODE_SWITCH, false);
        boolean creatorAdmin = flag(ContextKey.CREATOR_ADMIN, false);
        boolean existingTrail = flag(ContextKey.EXISTING_TRAIL, false);
        boolean tracing = flag(ContextKey.XRAY_TRACING, false);
        Optional<String> email = string(ContextKey.ALARM_EMAIL);
        email.filter(e -> !EMAIL.matcher(e).matches()).ifPresent(e ->
                problem(ContextKey.ALARM_EMAIL.key(), "'" + e + "' is not an e-mail address"));
        Optional<String> roleName = string(ContextKey.CROSS_ACCOUNT_ROLE_NAME);
        roleName.ifPresent(this::checkRoleName);
        Duration maxGrant = maxGrantDuration();
        List<String> clusterArns = clusterArns();
        Path jar = functionsJar();
        List<String> members = list(ContextKey.MEMBER_ACCOUNTS);
        for (int i = 0; i < members.size(); i++) {
            if (!AccountId.isValid(members.get(i))) {
                problem(ContextKey.MEMBER_ACCOUNTS.key() + "[" + i + "]", "'" + members.get(i) + "' is not a 12-digit account id");
            }
        }
        Optional<EligibilityFile> eligibility = eligibility();
        Optional<String> outcomeBus = outcomeBus();
        Optional<String> organizationId = string(ContextKey.ORGANIZATION_ID);
        organizationId.filter(id -> !ORGANIZATION_ID.matcher(id).matches()).ifPresent(id ->
                problem(ContextKey.ORGANIZATION_ID.key(), "'" + id + "' is not " + ContextKey.ORGANIZATION_ID.expected()));
        Optional<String> externalId = string(ContextKey.CROSS_ACCOUNT_EXTERNAL_ID);
        externalId.filter(id -> !EXTERNAL_ID.matcher(id).matches()).ifPresent(id ->
                problem(ContextKey.CROSS_ACCOUNT_EXTERNAL_ID.key(), "is not "
                        + ContextKey.CROSS_ACCOUNT_EXTERNAL_ID.expected()));
        int logRetention = logRetentionDays();
        Optional<String> kmsKey = string(ContextKey.KMS_KEY);
        kmsKey.filter(key -> !key.equals(DataKey.CREATE) && !KMS_KEY_ARN.matcher(key).matches()).ifPresent(key ->
                problem(ContextKey.KMS_KEY.key(), "'" + key + "' is not " + ContextKey.KMS_KEY.expected()));
        List<String> namePatterns = list(ContextKey.CLUSTER_NAME_PATTERNS);
        for (int i = 0; i < namePatterns.size(); i++) {
            if (!CLUSTER_NAME_PATTERN.matcher(namePatterns.get(i)).matches()) {
                problem(ContextKey.CLUSTER_NAME_PATTERNS.key() + "[" + i + "]", "'" + namePatterns.get(i) + "' is not "
                        + ContextKey.CLUSTER_NAME_PATTERNS.expected());
            }
        }
        Optional<ClusterTag> clusterTag = string(ContextKey.CLUSTER_TAG).flatMap(tag -> {
            int eq = tag.indexOf('=');
            if (eq < 1 || !TAG_PART.matcher(tag.substring(0, eq)).matches()
                    || !TAG_PART.matcher(tag.substring(eq + 1)).matches()) {
                problem(ContextKey.CLUSTER_TAG.key(), "'" + tag + "' is not " + ContextKey.CLUSTER_TAG.expected()
                        + " (1 to 128 letters, digits, spaces and _.:/=+-@ each side; not aws:)");
                return Optional.empty();
            }
            return Optional.of(new ClusterTag(tag.substring(0, eq), tag.substring(eq + 1)));
        });
        boolean organizationMembers = flag(ContextKey.ORGANIZATION_MEMBERS, false);
        if (organizationMembers && organizationId.isEmpty()) {
            problem(ContextKey.ORGANIZATION_MEMBERS.key(), "needs " + ContextKey.ORGANIZATION_ID.key()
                    + ", the organization whose accounts are the members");
        }
        if (organizationMembers && !members.isEmpty()) {
            problem(ContextKey.MEMBER_ACCOUNTS.key(), "is not used with " + ContextKey.ORGANIZATION_MEMBERS.key()
                    + " (every account of the organization is a member): remove one of them");
        }
        // Their patterns and the window's bounds are checked by the functions' parser (checkDeploymentSettings).
        List<String> restoreClusters = list(ContextKey.DRIFT_RESTORE_CLUSTERS);
        Duration restoreWindow = string(ContextKey.DRIFT_RESTORE_WINDOW).flatMap(text -> {
            try {
                return Optional.of(Duration.parse(text));
            } catch (java.time.format.DateTimeParseException e) {
                problem(ContextKey.DRIFT_RESTORE_WINDOW.key(), "'" + text + "' is not "
                        + ContextKey.DRIFT_RESTORE_WINDOW.expected());
                return Optional.empty();
            }
        }).orElse(DeploymentSettings.DEFAULT_DRIFT_RESTORE_WINDOW);
        return new DeploymentConfig(admins, allowedPolicies, senders, modeSwitch, creatorAdmin, existingTrail, email,
                roleName, maxGrant, clusterArns, tracing, jar, members, eligibility, outcomeBus, organizationId,
                externalId, logRetention, kmsKey, namePatterns, clusterTag, organizationMembers, restoreClusters,
                restoreWindow);
    }

    /**
     * The deployment settings file is checked as the functions will read it: written, then parsed by
     * {@link DeploymentSettings#parse}, so that synth refuses any file the functions would refuse at start. (The keys
     * are checked one by one above, with their own messages; this catches what those checks and the functions'
     * parser might come to disagree on.)
     */
    private void checkDeploymentSettings(DeploymentConfig config) {
        if (!problems.isEmpty()) {
            return;
        }
        try {
            DeploymentSettings.parse(config.deploymentSettings().toJson());
        } catch (DeploymentSettings.Invalid e) {
            e.problems().forEach(problem -> problem("adminPrincipals/allowedPolicies/memberAccounts/"
                            + ContextKey.DRIFT_RESTORE_CLUSTERS.key() + "/" + ContextKey.DRIFT_RESTORE_WINDOW.key(),
                    "the functions would refuse the deployment settings file: " + problem));
        }
    }

    private int logRetentionDays() {
        Object raw = context.apply(ContextKey.LOG_RETENTION_DAYS.key());
        if (raw == null) {
            return DeploymentConfig.DEFAULT_LOG_RETENTION_DAYS;
        }
        String text = raw.toString().trim();
        if (text.matches("\\d{1,4}") && LOG_RETENTIONS.contains(Integer.parseInt(text))) {
            return Integer.parseInt(text);
        }
        problem(ContextKey.LOG_RETENTION_DAYS.key(), "'" + raw + "' is not " + ContextKey.LOG_RETENTION_DAYS.expected());
        return DeploymentConfig.DEFAULT_LOG_RETENTION_DAYS;
    }

    private List<String> allowedPolicies() {
        Object raw = context.apply(ContextKey.ALLOWED_POLICIES.key());
        if (raw == null) {
            return AccessPolicies.DEFAULT_ALLOWED;
        }
        List<String> names = new ArrayList<>();
        List<String> items = list(ContextKey.ALLOWED_POLICIES);
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            Optional<String> name = AccessPolicies.shortNameOf(item);
            if (name.isEmpty()) {
                problem(ContextKey.ALLOWED_POLICIES.key() + "[" + i + "]", "'" + item
                        + "' is not an EKS access policy name or ARN (e.g. AmazonEKSViewPolicy)");
            } else if (!names.contains(name.get())) {
                names.add(name.get());
            }
        }
        if (items.isEmpty()) {
            problem(ContextKey.ALLOWED_POLICIES.key(), "is empty; leave it unset for the default "
                    + AccessPolicies.DEFAULT_ALLOWED);
        }
        return names;
    }

    private List<AdminPrincipal> adminPrincipals() {
        String key = ContextKey.ADMIN_PRINCIPALS.key();
        List<AdminPrincipal> admins = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Object> items = rawList(ContextKey.ADMIN_PRINCIPALS);
        for (int i = 0; i < items.size(); i++) {
            String where = key + "[" + i + "]";
            String arn;
            String policy;
            if (items.get(i) instanceof Map<?, ?> map) {
                arn = stringOrEmpty(map.get("principalArn"));
                policy = stringOrEmpty(map.get("policy"));
                Set<Object> unknown = new HashSet<>(map.keySet());
                unknown.removeAll(Set.of("principalArn", "policy"));
                if (!unknown.isEmpty()) {
                    problem(where, "unknown field(s) " + unknown + "; expected principalArn and optional policy");
                }
            } else if (items.get(i) instanceof String item) {
                int eq = item.lastIndexOf('=');
                // Role names may contain '=': only a policy name or ARN after the last '=' is a policy.
                String tail = eq >= 0 ? item.substring(eq + 1).trim() : "";
                boolean hasPolicy = tail.matches("arn:.*|AmazonEKS\\w*") && AccessPolicies.shortNameOf(tail).isPresent();
                arn = (hasPolicy ? item.substring(0, eq) : item).trim();
                policy = hasPolicy ? item.substring(eq + 1).trim() : "";
            } else {
                problem(where, "expected " + ContextKey.ADMIN_PRINCIPALS.expected());
                continue;
            }
            if (!checkIamPrincipal(where, arn)) {
                continue;
            }
            String shortName = AccessPolicies.DEFAULT_ADMIN_POLICY;
            if (!policy.isEmpty()) {
                Optional<String> name = AccessPolicies.shortNameOf(policy);
                if (name.isEmpty()) {
                    problem(where, "policy '" + policy + "' is not an EKS access policy name or ARN");
                    continue;
                }
                shortName = name.get();
            }
            if (!seen.add(arn)) {
                problem(where, "'" + arn + "' is listed twice");
                continue;
            }
            admins.add(new AdminPrincipal(arn, shortName));
        }
        return admins;
    }

    private List<String> senderPrincipals() {
        List<String> senders = list(ContextKey.SENDER_PRINCIPALS);
        for (int i = 0; i < senders.size(); i++) {
            String sender = senders.get(i);
            String where = ContextKey.SENDER_PRINCIPALS.key() + "[" + i + "]";
            if (!AccountId.isValid(sender) && !ACCOUNT_ROOT_ARN.matcher(sender).matches()) {
                checkIamPrincipal(where, sender);
            }
        }
        return senders;
    }

    private Duration maxGrantDuration() {
        Optional<String> raw = string(ContextKey.MAX_GRANT_DURATION);
        if (raw.isEmpty()) {
            return DeploymentConfig.DEFAULT_MAX_GRANT_DURATION;
        }
        try {
            Duration duration = Duration.parse(raw.get());
            if (duration.isNegative() || duration.isZero()) {
                problem(ContextKey.MAX_GRANT_DURATION.key(), "'" + raw.get() + "' must be positive");
            }
            return duration;
        } catch (DateTimeParseException e) {
            problem(ContextKey.MAX_GRANT_DURATION.key(), "'" + raw.get() + "' is not "
                    + ContextKey.MAX_GRANT_DURATION.expected());
            return DeploymentConfig.DEFAULT_MAX_GRANT_DURATION;
        }
    }

    private List<String> clusterArns() {
        List<String> arns = list(ContextKey.CLUSTER_ARNS);
        for (int i = 0; i < arns.size(); i++) {
            if (!CLUSTER_ARN.matcher(arns.get(i)).matches()) {
                problem(ContextKey.CLUSTER_ARNS.key() + "[" + i + "]", "'" + arns.get(i)
                        + "' is not an EKS cluster ARN (arn:aws:eks:REGION:ACCOUNT:cluster/NAME)");
            }
        }
        return arns;
    }

    /** An existing bus, by name (this account and region) or ARN (any account, whose bus policy must let us in). */
    private Optional<String> outcomeBus() {
        Optional<String> bus = string(ContextKey.OUTCOME_BUS);
        bus.filter(value -> value.startsWith("arn:") ? !EVENT_BUS_ARN.matcher(value).matches()
                : !EVENT_BUS_NAME.matcher(value).matches()).ifPresent(value ->
                problem(ContextKey.OUTCOME_BUS.key(), "'" + value + "' is not an EventBridge event bus name (1-256"
                        + " letters, digits, '.', '-', '_', '/') or ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)"));
        return bus;
    }

    private Path functionsJar() {
        Path jar = string(ContextKey.FUNCTIONS_JAR).map(Path::of).orElse(defaultFunctionsJar);
        if (!Files.exists(jar)) {
            problem(ContextKey.FUNCTIONS_JAR.key(), "'" + jar + "' does not exist (resolved to "
                    + jar.toAbsolutePath().normalize() + "); run './mvnw package' at the repository root first,"
                    + " or set functionsJar to the jar's path");
        }
        return jar;
    }

    /**
     * Reads the eligibility document and checks it with the parser the functions use, so that {@code cdk synth}
     * refuses what the grant processor would refuse at start-up; each of the parser's problems, which start with
     * their JSON path, becomes one context problem.
     */
    private Optional<EligibilityFile> eligibility() {
        String key = ContextKey.ELIGIBILITY.key();
        Optional<Path> path = string(ContextKey.ELIGIBILITY).map(Path::of);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Path file = path.get();
        if (!Files.isRegularFile(file)) {
            problem(key, "'" + file + "' is not a file (resolved to " + file.toAbsolutePath().normalize()
                    + "); expected " + ContextKey.ELIGIBILITY.expected());
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problem(key, "'" + file + "' cannot be read as UTF-8 text: " + e);
            return Optional.empty();
        }
        try {
            return Optional.of(new EligibilityFile(file, text, EligibilityDocument.parse(text)));
        } catch (EligibilityDocumentException e) {
            e.problems().forEach(problem -> problem(key, problem));
            return Optional.empty();
        }
    }

    /** Checks the role name by the functions' own rule ({@link IamRoleName}), so synth refuses what they would. */
    private void checkRoleName(String name) {
        IamRoleName.problemWith(name).ifPresent(explanation ->
                problem(ContextKey.CROSS_ACCOUNT_ROLE_NAME.key(), "'" + name + "' " + explanation));
    }

    /**
     * Checks an IAM role or user ARN by the functions' own rule ({@link IamPrincipal}), so that synth refuses what the
     * functions would refuse at start-up, with the same explanation; false when it is not one.
     */
    private boolean checkIamPrincipal(String where, String arn) {
        Optional<String> problem = IamPrincipal.problemWith(arn);
        problem.ifPresent(explanation -> problem(where, "'" + arn + "' " + explanation));
        return problem.isEmpty();
    }

    private boolean flag(ContextKey key, boolean defaultValue) {
        Object raw = context.apply(key.key());
        if (raw == null) {
            return defaultValue;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        return switch (raw.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(key.key(), "'" + raw + "' is not " + key.expected());
                yield defaultValue;
            }
        };
    }

    private Optional<String> string(ContextKey key) {
        Object raw = context.apply(key.key());
        if (raw == null) {
            return Optional.empty();
        }
        if (!(raw instanceof String s)) {
            problem(key.key(), "expected a string: " + key.expected());
            return Optional.empty();
        }
        return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    /** A list of strings: a JSON list of strings, or one comma-separated string (from {@code -c key=a,b}). */
    private List<String> list(ContextKey key) {
        List<String> values = new ArrayList<>();
        List<Object> items = rawList(key);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof String s) {
                values.add(s.trim());
            } else {
                problem(key.key() + "[" + i + "]", "expected a string: " + key.expected());
            }
        }
        return values;
    }

    private List<Object> rawList(ContextKey key) {
        Object raw = context.apply(key.key());
        if (raw == null) {
            return List.of();
        }
        if (raw instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        if (raw instanceof String s) {
            return Arrays.stream(s.split(",")).map(String::trim).filter(item -> !item.isEmpty())
                    .map(Object.class::cast).toList();
        }
        problem(key.key(), "expected " + key.expected());
        return List.of();
    }

    private static String stringOrEmpty(Object value) {
        return value instanceof String s ? s.trim() : "";
    }

    private void problem(String where, String message) {
        problems.add("context " + where + ": " + message);
    }

    private void failOnProblems() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
