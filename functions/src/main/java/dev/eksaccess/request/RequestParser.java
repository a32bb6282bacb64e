package dev.eksaccess.request;

import static dev.eksaccess.request.AccessRequest.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.contract.eligibility.EligibilityRule;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.json.Json;
import dev.eksaccess.json.JsonValue.JsonArray;
import dev.eksaccess.json.JsonValue.JsonNull;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import dev.eksaccess.json.JsonValue;
import dev.eksaccess.model.ClusterRef;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates contract-v1 messages before any AWS call: every problem is reported with its field, all at
 * once, so a sender fixes a message in one round.
 */
public final class RequestParser {

    /** How far in the future {@code requestedAt} may lie (clock skew); more would block later requests as stale. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    static final int MAX_REQUEST_ID_LENGTH = 128;
    static final int MAX_TEXT_LENGTH = 1024;
    static final int MAX_GROUPS = 100;
    static final int MAX_NAMESPACES = 100;

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern NAMESPACE_PREFIX = Pattern.compile("[a-z0-9][-a-z0-9]*");
    private static final Pattern REQUEST_ID_PATTERN = Pattern.compile("[\\w:.@/+=-]{1," + MAX_REQUEST_ID_LENGTH + "}");
    private static final List<String> RESERVED_USERNAME_PREFIXES = List.of("system:", "eks:", "aws:", "amazon:", "iam:");
    private static final String SESSION_NAME = "{{SessionName}}";
    private static final int MAX_FIELD_LABEL = 64;
    private static final Pattern PLAIN_FIELD_NAME = Pattern.compile("[\\w.$@-]+");

    private final RequestRules rules;
    private final Clock clock;

    public RequestParser(RequestRules rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    /** Parses one message body. Never throws for bad input: the result then is {@link ParsedMessage.Invalid}. */
    public ParsedMessage parse(String body, MessageMeta meta) {
        int bytes = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MESSAGE_BYTES) {
            return invalidMessage(meta, "is " + bytes + " bytes; the limit is " + MAX_MESSAGE_BYTES);
        }
        Optional<JsonValue> root;
        try {
            root = body == null ? Optional.empty() : Json.readWhole(body, Json.Duplicates.REJECT);
        } catch (JsonProcessingException e) {
            return invalidMessage(meta, "is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(root.orElse(null) instanceof JsonObject object)) {
            return invalidMessage(meta, "must be a JSON object");
        }
        return new Validation(object, meta).run();
    }

    private static ParsedMessage.Invalid invalidMessage(MessageMeta meta, String problem) {
        return new ParsedMessage.Invalid(List.of(new FieldError(FieldError.MESSAGE, problem)), meta.messageId(),
                null, null, null, null);
    }

    /** One message's validation; collects errors instead of stopping at the first. */
    private final class Validation {
        private final JsonObject root;
        private final MessageMeta meta;
        private final Instant now = clock.instant();
        private final List<FieldError> errors = new ArrayList<>();

        Validation(JsonObject root, MessageMeta meta) {
            this.root = root;
            this.meta = meta;
        }

        ParsedMessage run() {
            Optional<String> actionText = text(ACTION);
            Action action = null;
            if (actionText.isPresent()) {
                action = Action.fromWire(actionText.get()).orElse(null);
                if (action == null) {
                    error(ACTION, "unknown action '" + actionText.get() + "'; expected grant, revoke, approve, "
                            + "deny, migrate or recover");
                }
            } else if (!errors.stream().anyMatch(e -> e.field().equals(ACTION))) {
                error(ACTION, "is required (grant or revoke)");
            }
            reportUnknownFields(action == Action.BOOTSTRAP ? BOOTSTRAP_FIELDS
                    : action == Action.RESTORE ? RestoreRequest.FIELDS
                    : action != null && action.isDecision() ? DecisionRequest.FIELDS
                    : action == Action.MIGRATE ? MIGRATE_FIELDS : action == Action.RECOVER ? RECOVER_FIELDS : FIELDS);
            String requestId = text(REQUEST_ID).orElse(meta.messageId());
            if (!REQUEST_ID_PATTERN.matcher(requestId).matches()) {
                error(REQUEST_ID, "must be 1-" + MAX_REQUEST_ID_LENGTH
                        + " letters, digits or any of _:.@/+=-");
            }
            Instant requestedAt = instant(REQUESTED_AT).orElse(meta.sentAt());
            if (requestedAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
                error(REQUESTED_AT, "lies in the future (" + requestedAt + "); requests are ordered by it");
            }
            // Requests are ordered by requestedAt: one dated after its own sending, by a client clock running ahead,
            // would make every later request stale until that moment. SQS sets SentTimestamp; clients cannot.
            Optional<Instant> requestedAtAsSent = Optional.empty();
            if (requestedAt.isAfter(meta.sentAt())) {
                requestedAtAsSent = Optional.of(requestedAt);
                requestedAt = meta.sentAt();
            }
            String requestedBy = boundedText(REQUESTED_BY).orElse(null);
            if (action == Action.BOOTSTRAP) {
                return bootstrap(requestId, requestedAt, requestedBy);
            }
            if (action == Action.RESTORE) {
                return restore(requestId, requestedAt, requestedBy);
            }
            String reason = boundedText(REASON).orElse(null);
            if (action != null && action.isDecision()) {
                return decision(action, requestId, requestedAt, requestedBy, reason);
            }
            ClusterRef cluster = cluster();
            String principal = principal(cluster);
            String policy = policy(action);
            if (action == Action.REVOKE) {
                for (String field : GRANT_ONLY_FIELDS) {
                    if (root.has(field)) {
                        error(field, "is only valid for grant");
                    }
                }
            }
            boolean setsEntry = action == Action.GRANT || action == Action.MIGRATE;
            AccessScope scope = action == Action.GRANT ? scope() : action == Action.MIGRATE ? migratedScope(policy)
                    : action == Action.RECOVER ? recoveredScope() : null;
            List<String> groups = setsEntry ? groups() : null;
            String username = setsEntry ? username() : null;
            Instant expiresAt = action == Action.GRANT || action == Action.RECOVER ? expiry(requestedAt) : null;
            if (action == Action.RECOVER && expiresAt == null && !hasError(EXPIRES_AT) && !hasError(DURATION)) {
                error(DURATION, "is required for recover (or expiresAt): recovered access is always time-bound");
            }
            AccessRequest.Migration migration = action == Action.MIGRATE ? migration(principal) : null;
            if (!errors.isEmpty()) {
                return new ParsedMessage.Invalid(errors, requestId, cluster == null ? null : cluster.arn(),
                        root.get(PRINCIPAL_ARN) instanceof JsonString arn ? arn.value() : null,
                        requestedBy, reason);
            }
            return new ParsedMessage.Access(new AccessRequest(action, cluster, principal, policy, scope, groups,
                    username, expiresAt, requestId, requestedAt, requestedBy, reason, migration), requestedAtAsSent);
        }

        /** A recover's scope: the cluster, whether given or not; any other scope is refused by name. */
        private AccessScope recoveredScope() {
            if (root.get(ACCESS_SCOPE) instanceof JsonNull) {
                return AccessScope.cluster();
            }
            AccessScope scope = scope();
            if (scope != null && scope.type() != AccessScope.Type.CLUSTER) {
                error(ACCESS_SCOPE, "a recover gives cluster admin at cluster scope only: {\"type\":\"cluster\"}");
                return null;
            }
            return scope;
        }

        /**
         * A migrate's scope: the cluster, with the policy and only with it (system:masters becomes cluster admin at
         * cluster scope; nothing a migration plans is scoped to namespaces).
         */
        private AccessScope migratedScope(String policy) {
            if (policy == null) {
                if (!(root.get(ACCESS_SCOPE) instanceof JsonNull) && !hasError(ACCESS_POLICY)) {
                    error(ACCESS_SCOPE, "is only valid with accessPolicy");
                }
                return null;
            }
            AccessScope scope = scope();
            if (scope != null && scope.type() != AccessScope.Type.CLUSTER) {
                error(ACCESS_SCOPE, "a migrated policy is at cluster scope, as system:masters is: "
                        + "{\"type\":\"cluster\"}");
                return null;
            }
            return scope;
        }

        /**
         * A migrate's entry type and mapping. An EC2_LINUX entry (a node role) is for an IAM role and has no policy,
         * groups or username: EKS gives a node its own and refuses the others.
         */
        private AccessRequest.Migration migration(String principal) {
            for (String field : List.of(EXPIRES_AT, DURATION)) {
                if (root.has(field)) {
                    error(field, "is not valid for migrate: a migrated entry is as permanent as the aws-auth mapping "
                            + "it copies");
                }
            }
            Optional<String> mapping = boundedText(AWS_AUTH_MAPPING);
            if (mapping.isEmpty() && !hasError(AWS_AUTH_MAPPING)) {
                error(AWS_AUTH_MAPPING, "is required for migrate: the aws-auth mapping the entry comes from");
            }
            Optional<String> type = text(ENTRY_TYPE);
            if (type.isEmpty()) {
                if (!hasError(ENTRY_TYPE)) {
                    error(ENTRY_TYPE, "is required for migrate: " + String.join(" or ", MIGRATE_ENTRY_TYPES));
                }
                return null;
            }
            if (!MIGRATE_ENTRY_TYPES.contains(type.get())) {
                error(ENTRY_TYPE, "'" + type.get() + "' is not created by migration; only "
                        + String.join(" and ", MIGRATE_ENTRY_TYPES) + " (create others by hand: docs/migration.md)");
                return null;
            }
            if (type.get().equals(NewAccessEntry.EC2_LINUX)) {
                for (String field : List.of(ACCESS_POLICY, ACCESS_SCOPE, KUBERNETES_GROUPS, USERNAME)) {
                    if (root.has(field)) {
                        error(field, "must be absent for an EC2_LINUX entry: EKS gives a node its groups and "
                                + "username and refuses access policies on it");
                    }
                }
                if (principal != null && !principal.contains(":role/")) {
                    error(PRINCIPAL_ARN, "an EC2_LINUX entry is for an IAM role (a node role), not " + principal);
                }
            }
            return mapping.isEmpty() ? null : new AccessRequest.Migration(type.get(), mapping.get());
        }

        private ParsedMessage bootstrap(String requestId, Instant requestedAt, String requestedBy) {
            ClusterRef cluster = null;
            Optional<String> arn = text(CLUSTER_ARN);
            if (arn.isEmpty()) {
                if (!hasError(CLUSTER_ARN)) {
                    error(CLUSTER_ARN, "is required for bootstrap");
                }
            } else {
                cluster = ClusterRef.parseArn(arn.get()).orElse(null);
                if (cluster == null) {
                    error(CLUSTER_ARN, "'" + arn.get() + "' is not an EKS cluster ARN");
                }
            }
            if (!errors.isEmpty()) {
                return new ParsedMessage.Invalid(errors, requestId, cluster == null ? null : cluster.arn(), null,
                        requestedBy, null);
            }
            return new ParsedMessage.Bootstrap(new BootstrapRequest(cluster.arn(), requestId, requestedAt,
                    requestedBy == null ? BootstrapRequest.REQUESTED_BY : requestedBy));
        }

        /** A restore: the cluster by ARN, the principal, the grants by policy ARN and request id, the cause. */
        private ParsedMessage restore(String requestId, Instant requestedAt, String requestedBy) {
            ClusterRef cluster = null;
            Optional<String> arn = text(CLUSTER_ARN);
            if (arn.isPresent()) {
                cluster = ClusterRef.parseArn(arn.get()).orElse(null);
                if (cluster == null) {
                    error(CLUSTER_ARN, "'" + arn.get() + "' is not an EKS cluster ARN");
                }
            } else if (!hasError(CLUSTER_ARN)) {
                error(CLUSTER_ARN, "is required for restore");
            }
            String principal = principal(cluster);
            Optional<String> cause = text(RestoreRequest.CAUSE_EVENT_ID);
            if (cause.isEmpty()) {
                if (!hasError(RestoreRequest.CAUSE_EVENT_ID)) {
                    error(RestoreRequest.CAUSE_EVENT_ID, "is required for restore: the CloudTrail event id of the "
                            + "change it undoes");
                }
            } else if (!REQUEST_ID_PATTERN.matcher(cause.get()).matches()
                    || !RestoreRequest.requestIdFor(cause.get()).equals(requestId)) {
                error(REQUEST_ID, "must be " + RestoreRequest.requestIdFor("<causeEventId>")
                        + " for a restore, one per change undone");
            }
            List<RestoreRequest.Grant> grants = restoredGrants(cluster);
            if (!errors.isEmpty()) {
                return new ParsedMessage.Invalid(errors, requestId, cluster == null ? null : cluster.arn(),
                        root.get(PRINCIPAL_ARN) instanceof JsonString given ? given.value() : null, requestedBy, null);
            }
            return new ParsedMessage.Restore(new RestoreRequest(cluster, principal, grants, cause.get(), requestId,
                    requestedAt, requestedBy == null ? RestoreRequest.REQUESTED_BY : requestedBy));
        }

        private List<RestoreRequest.Grant> restoredGrants(ClusterRef cluster) {
            String field = RestoreRequest.GRANTS;
            if (!(root.get(field) instanceof JsonArray list) || list.items().isEmpty()
                    || list.items().size() > RestoreRequest.MAX_GRANTS) {
                error(field, "must be a list of 1 to " + RestoreRequest.MAX_GRANTS + " grants, each "
                        + "{\"policyArn\": ..., \"grantRequestId\": ...}");
                return List.of();
            }
            List<RestoreRequest.Grant> grants = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                String item = "item " + i + " ";
                if (!(list.items().get(i) instanceof JsonObject grant) || grant.fields().size() != 2
                        || !(grant.get(RestoreRequest.POLICY_ARN) instanceof JsonString policy)
                        || !(grant.get(RestoreRequest.GRANT_REQUEST_ID) instanceof JsonString id)) {
                    error(field, item + "must be {\"policyArn\": ..., \"grantRequestId\": ...} and nothing else");
                    continue;
                }
                Optional<String> name = AccessPolicies.shortNameOf(policy.value());
                if (name.isEmpty() || cluster != null
                        && !AccessRequest.policyArn(cluster.partition(), name.get()).equals(policy.value())) {
                    error(field, item + "policyArn '" + policy.value() + "' is not an EKS access policy ARN in the "
                            + "cluster's partition");
                } else if (!REQUEST_ID_PATTERN.matcher(id.value()).matches()) {
                    error(field, item + "grantRequestId must be 1-" + MAX_REQUEST_ID_LENGTH
                            + " letters, digits or any of _:.@/+=-");
                } else if (grants.stream().anyMatch(g -> g.policyArn().equals(policy.value()))) {
                    error(field, item + "policyArn '" + policy.value() + "' is named twice");
                } else {
                    grants.add(new RestoreRequest.Grant(policy.value(), id.value()));
                }
            }
            return grants;
        }

        private ParsedMessage decision(Action action, String requestId, Instant requestedAt, String requestedBy,
                                       String reason) {
            Optional<String> pending = text(DecisionRequest.PENDING_REQUEST_ID);
            if (pending.isEmpty()) {
                if (!hasError(DecisionRequest.PENDING_REQUEST_ID)) {
                    error(DecisionRequest.PENDING_REQUEST_ID, "is required for " + action.wireName()
                            + ": the id of the request that waits for approval");
                }
            } else if (!REQUEST_ID_PATTERN.matcher(pending.get()).matches()) {
                error(DecisionRequest.PENDING_REQUEST_ID, "must be 1-" + MAX_REQUEST_ID_LENGTH
                        + " letters, digits or any of _:.@/+=-");
            }
            Optional<String> requester = text(DecisionRequest.REQUESTER);
            if (requester.isPresent()) {
                IamPrincipal.problemWith(requester.get())
                        .ifPresent(problem -> error(DecisionRequest.REQUESTER, problem));
            } else if (action == Action.EXPIRE && !hasError(DecisionRequest.REQUESTER)) {
                error(DecisionRequest.REQUESTER, "is required for expire");
            }
            if (!errors.isEmpty()) {
                return new ParsedMessage.Invalid(errors, requestId, null, null, requestedBy, reason);
            }
            return new ParsedMessage.Decision(new DecisionRequest(action, pending.get(), requester, requestId,
                    requestedAt, requestedBy, reason));
        }

        private void reportUnknownFields(Set<String> known) {
            for (String name : root.fields().keySet()) {
                if (!known.contains(name)) {
                    error(fieldLabel(name), "unknown field");
                }
            }
        }

        private ClusterRef cluster() {
            Optional<String> name = text(CLUSTER_NAME);
            Optional<String> arn = text(CLUSTER_ARN);
            if (name.isPresent() && arn.isPresent()) {
                error(CLUSTER_ARN, "give clusterName or clusterArn, not both");
                return null;
            }
            if (arn.isPresent()) {
                return ClusterRef.parseArn(arn.get()).orElseGet(() -> {
                    error(CLUSTER_ARN, "'" + arn.get() + "' is not an EKS cluster ARN "
                            + "(arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME)");
                    return null;
                });
            }
            if (name.isPresent()) {
                if (!ClusterRef.isValidName(name.get())) {
                    error(CLUSTER_NAME, "'" + name.get() + "' is not a valid cluster name "
                            + "(1-100 letters, digits, hyphens and underscores, starting with a letter or digit)");
                    return null;
                }
                return new ClusterRef(ClusterRef.partitionOf(rules.homeRegion()), rules.homeRegion(),
                        rules.homeAccountId(), name.get());
            }
            if (!hasError(CLUSTER_NAME) && !hasError(CLUSTER_ARN)) {
                error(CLUSTER_NAME, "clusterName or clusterArn is required");
            }
            return null;
        }

        private String principal(ClusterRef cluster) {
            Optional<String> arn = text(PRINCIPAL_ARN);
            if (arn.isEmpty()) {
                if (!hasError(PRINCIPAL_ARN)) {
                    error(PRINCIPAL_ARN, "is required");
                }
                return null;
            }
            Optional<String> problem = IamPrincipal.problemWith(arn.get());
            if (problem.isPresent()) {
                error(PRINCIPAL_ARN, problem.get());
                return null;
            }
            if (cluster != null && !IamPrincipal.partitionOf(arn.get()).equals(cluster.partition())) {
                error(PRINCIPAL_ARN, "is in partition " + IamPrincipal.partitionOf(arn.get())
                        + " but the cluster is in " + cluster.partition());
            }
            return arn.get();
        }

        private String policy(Action action) {
            Optional<String> given = text(ACCESS_POLICY);
            if (given.isEmpty() && action == Action.RECOVER && !hasError(ACCESS_POLICY)) {
                given = Optional.of(AccessPolicies.CLUSTER_ADMIN);
            }
            if (given.isEmpty()) {
                if (action == Action.GRANT && !hasError(ACCESS_POLICY)) {
                    error(ACCESS_POLICY, "is required for grant");
                }
                return null;
            }
            Optional<String> shortName = AccessPolicies.shortNameOf(given.get());
            if (shortName.isEmpty()) {
                error(ACCESS_POLICY, "'" + given.get() + "' is not an EKS access policy name or ARN");
                return null;
            }
            if (action == Action.MIGRATE && !EligibilityRule.MIGRATABLE_POLICIES.contains(shortName.get())) {
                error(ACCESS_POLICY, "'" + shortName.get() + "' is not a policy a migration produces; only "
                        + String.join(", ", EligibilityRule.MIGRATABLE_POLICIES) + " (for system:masters)");
                return null;
            }
            if (action == Action.RECOVER && !EligibilityRule.RECOVERY_POLICIES.contains(shortName.get())) {
                error(ACCESS_POLICY, "'" + shortName.get() + "' is not what a recover gives; only "
                        + String.join(", ", EligibilityRule.RECOVERY_POLICIES) + " at cluster scope");
                return null;
            }
            // Revoking is never an escalation: any policy may be revoked, also one taken off the allowed set later.
            if (action != Action.REVOKE && !rules.allowedPolicies().contains(shortName.get())) {
                error(ACCESS_POLICY, "'" + shortName.get() + "' is not allowed; allowed: "
                        + String.join(", ", rules.allowedPolicies()));
                return null;
            }
            return shortName.get();
        }

        private AccessScope scope() {
            JsonValue value = root.get(ACCESS_SCOPE);
            if (value instanceof JsonNull) {
                error(ACCESS_SCOPE, "is required for grant: {\"type\":\"cluster\"} or "
                        + "{\"type\":\"namespace\",\"namespaces\":[...]}");
                return null;
            }
            if (!(value instanceof JsonObject node)) {
                error(ACCESS_SCOPE, "must be an object");
                return null;
            }
            for (String name : node.fields().keySet()) {
                if (!name.equals(SCOPE_TYPE) && !name.equals(SCOPE_NAMESPACES)) {
                    error(ACCESS_SCOPE + "." + fieldLabel(name), "unknown field");
                }
            }
            String type = node.get(SCOPE_TYPE) instanceof JsonString text ? text.value() : null;
            JsonValue namespaces = node.get(SCOPE_NAMESPACES);
            if ("cluster".equals(type)) {
                if (node.has(SCOPE_NAMESPACES) && !(namespaces instanceof JsonArray list && list.items().isEmpty())) {
                    error(ACCESS_SCOPE + "." + SCOPE_NAMESPACES, "must be absent for cluster scope");
                    return null;
                }
                return AccessScope.cluster();
            }
            if (!"namespace".equals(type)) {
                error(ACCESS_SCOPE + "." + SCOPE_TYPE, "must be cluster or namespace");
                return null;
            }
            if (!(namespaces instanceof JsonArray list) || list.items().isEmpty()) {
                error(ACCESS_SCOPE + "." + SCOPE_NAMESPACES, "namespace scope needs a non-empty list of namespaces");
                return null;
            }
            if (list.items().size() > MAX_NAMESPACES) {
                error(ACCESS_SCOPE + "." + SCOPE_NAMESPACES, "at most " + MAX_NAMESPACES + " namespaces");
                return null;
            }
            List<String> result = new ArrayList<>();
            for (JsonValue item : list.items()) {
                String ns = item instanceof JsonString text ? text.value() : null;
                if (ns == null || !isNamespacePattern(ns)) {
                    error(ACCESS_SCOPE + "." + SCOPE_NAMESPACES, "'" + (ns == null ? item : ns)
                            + "' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63) "
                            + "optionally ending in '*'");
                } else if (!result.contains(ns)) {
                    result.add(ns);
                }
            }
            return AccessScope.namespaces(result);
        }

        private List<String> groups() {
            JsonValue value = root.get(KUBERNETES_GROUPS);
            if (value instanceof JsonNull) {
                return null;
            }
            if (!(value instanceof JsonArray list) || list.items().size() > MAX_GROUPS) {
                error(KUBERNETES_GROUPS, "must be a list of at most " + MAX_GROUPS + " group names");
                return null;
            }
            List<String> groups = new ArrayList<>();
            for (JsonValue item : list.items()) {
                String group = item instanceof JsonString text ? text.value() : null;
                if (group == null || group.isBlank() || group.length() > 255) {
                    error(KUBERNETES_GROUPS, "'" + item + "' is not a group name (1-255 characters)");
                } else if (group.startsWith("system:")) {
                    error(KUBERNETES_GROUPS, "'" + group + "': groups starting with system: are reserved "
                            + "(EKS refuses them; use an access policy instead of system:masters)");
                } else if (!groups.contains(group)) {
                    groups.add(group);
                }
            }
            return groups;
        }

        private String username() {
            Optional<String> given = boundedText(USERNAME);
            if (given.isEmpty()) {
                return null;
            }
            String username = given.get();
            for (String prefix : RESERVED_USERNAME_PREFIXES) {
                if (username.startsWith(prefix)) {
                    error(USERNAME, "must not start with the reserved prefix " + prefix);
                    return null;
                }
            }
            int session = username.indexOf(SESSION_NAME);
            if (session >= 0 && username.substring(0, session).indexOf(':') < 0) {
                error(USERNAME, SESSION_NAME + " needs a colon before it, e.g. payments:{{SessionName}}");
                return null;
            }
            return username;
        }

        private Instant expiry(Instant requestedAt) {
            boolean hasExpiresAt = !(root.get(EXPIRES_AT) instanceof JsonNull);
            boolean hasDuration = !(root.get(DURATION) instanceof JsonNull);
            if (hasExpiresAt && hasDuration) {
                error(DURATION, "give expiresAt or duration, not both");
                return null;
            }
            Instant expiresAt;
            if (hasExpiresAt) {
                Optional<Instant> parsed = instant(EXPIRES_AT);
                if (parsed.isEmpty()) {
                    return null;
                }
                expiresAt = parsed.get();
            } else if (hasDuration) {
                Optional<String> text = text(DURATION);
                if (text.isEmpty()) {
                    return null;
                }
                Duration duration;
                try {
                    duration = Duration.parse(text.get());
                } catch (DateTimeParseException e) {
                    error(DURATION, "'" + text.get() + "' is not an ISO-8601 duration such as PT8H or P1D");
                    return null;
                }
                if (duration.isNegative() || duration.isZero()) {
                    error(DURATION, "must be positive");
                    return null;
                }
                try {
                    // Measured from requestedAt, so a redelivered message expires at the same moment.
                    expiresAt = requestedAt.plus(duration);
                } catch (DateTimeException | ArithmeticException e) {
                    // Past the end of time (Instant.MAX) or of a long's seconds: certainly over any maximum.
                    error(DURATION, "'" + text.get() + "' is further away than the maximum grant duration "
                            + rules.maxGrantDuration());
                    return null;
                }
            } else {
                return null;
            }
            String field = hasExpiresAt ? EXPIRES_AT : DURATION;
            if (!expiresAt.isAfter(now)) {
                error(field, "the expiry " + expiresAt + " is in the past");
                return null;
            }
            if (expiresAt.isAfter(now.plus(rules.maxGrantDuration()))) {
                error(field, "the expiry " + expiresAt + " is further away than the maximum grant duration "
                        + rules.maxGrantDuration());
                return null;
            }
            return expiresAt;
        }

        private Optional<String> text(String field) {
            JsonValue value = root.get(field);
            if (value instanceof JsonNull) {
                return Optional.empty();
            }
            if (!(value instanceof JsonString text)) {
                error(field, "must be a string");
                return Optional.empty();
            }
            if (text.value().isBlank()) {
                error(field, "must not be blank");
                return Optional.empty();
            }
            return Optional.of(text.value());
        }

        private Optional<String> boundedText(String field) {
            Optional<String> value = text(field);
            if (value.isPresent() && value.get().length() > MAX_TEXT_LENGTH) {
                error(field, "is longer than " + MAX_TEXT_LENGTH + " characters");
                return Optional.empty();
            }
            return value;
        }

        private Optional<Instant> instant(String field) {
            Optional<String> value = text(field);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Instant.parse(value.get()));
            } catch (DateTimeParseException e) {
                error(field, "'" + value.get() + "' is not an ISO-8601 instant such as 2026-12-01T18:00:00Z");
                return Optional.empty();
            }
        }

        private boolean hasError(String field) {
            return errors.stream().anyMatch(e -> e.field().equals(field));
        }

        private void error(String field, String problem) {
            errors.add(new FieldError(field, problem));
        }
    }

    /**
     * How an unknown field is named in a rejection: plain names as they are, others (blank, control characters,
     * separators that would blur the joined reason) as a JSON string; long ones cut, so a reason stays readable.
     */
    static String fieldLabel(String name) {
        String shown = name.length() > MAX_FIELD_LABEL ? name.substring(0, MAX_FIELD_LABEL) + "..." : name;
        return PLAIN_FIELD_NAME.matcher(name).matches() ? shown : Json.quote(shown);
    }

    /** A DNS-1123 label, or a prefix of one followed by a single trailing {@code *}. */
    static boolean isNamespacePattern(String value) {
        if (value.isEmpty() || value.length() > 63) {
            return false;
        }
        if (value.endsWith("*")) {
            String prefix = value.substring(0, value.length() - 1);
            return prefix.isEmpty() ? false : NAMESPACE_PREFIX.matcher(prefix).matches();
        }
        return NAMESPACE.matcher(value).matches();
    }
}
