package dev.eksaccess.contract.eligibility;

import dev.eksaccess.contract.DriftMode;
import dev.eksaccess.contract.AccessPolicies;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule of the {@link EligibilityDocument}: who may ask for what, and whether someone must approve it first.
 * A request is allowed by a rule when every part of the rule matches it; see docs/authorization.md.
 *
 * @param id               unique within the document; named in ledger records, outcome events and refusals
 * @param description      free text for people, may be empty
 * @param senders          IAM role or user ARNs whose messages this rule speaks for (the SQS sender, never a field)
 * @param clusters         which clusters
 * @param principals       for which IAM principals access may be asked
 * @param policies         access policy short names
 * @param scopes           cluster scope and/or namespace patterns
 * @param kubernetesGroups groups a request may set on the entry; empty: none
 * @param usernames        patterns a requested Kubernetes username must match; empty: no username may be asked for
 * @param maxDuration      the longest grant; empty: permanent grants are allowed
 * @param approval         who must approve before anything is applied; empty: applied at once
 * @param breakGlass       admin access without approval or limit, on purpose: every use raises the alarm
 * @param drift            what a change someone else makes to this rule's grants does ({@link DriftMode#of}); empty:
 *                         the deployment's {@code driftRestoreClusters} decide
 * @param migration        a migration rule: it allows only {@code migrate} requests (aws-auth mappings moved to access
 *                         entries, docs/migration.md), and no grant or revoke; any other rule allows no migrate
 * @param recovery         a recovery rule: it allows only {@code recover} requests (a time-bound cluster admin for a
 *                         cluster nobody can reach, docs/migration.md), and nothing else; any other rule allows no
 *                         recover
 */
public record EligibilityRule(String id, String description, List<String> senders, Clusters clusters,
                              Principals principals, List<String> policies, Scopes scopes,
                              List<String> kubernetesGroups, List<String> usernames, Optional<Duration> maxDuration,
                              Optional<Approval> approval, boolean breakGlass, Optional<DriftMode> drift,
                              boolean migration, boolean recovery) {

    /**
     * The access policies a migration can associate: what {@code MigrationPlanner} makes of {@code system:masters},
     * at cluster scope. A migration rule names no other, and a migrate request asks for no other.
     */
    public static final List<String> MIGRATABLE_POLICIES = List.of(AccessPolicies.CLUSTER_ADMIN);

    /** The access policies a recovery gives, at cluster scope: exactly these, nothing else. */
    public static final List<String> RECOVERY_POLICIES = List.of(AccessPolicies.CLUSTER_ADMIN);

    public EligibilityRule {
        Objects.requireNonNull(drift, "drift");
        senders = List.copyOf(senders);
        policies = List.copyOf(policies);
        kubernetesGroups = List.copyOf(kubernetesGroups);
        usernames = List.copyOf(usernames);
    }

    /** A rule that allows grants and revokes (not migrations). */
    public EligibilityRule(String id, String description, List<String> senders, Clusters clusters,
                           Principals principals, List<String> policies, Scopes scopes, List<String> kubernetesGroups,
                           List<String> usernames, Optional<Duration> maxDuration, Optional<Approval> approval,
                           boolean breakGlass) {
        this(id, description, senders, clusters, principals, policies, scopes, kubernetesGroups, usernames,
                maxDuration, approval, breakGlass, Optional.empty(), false, false);
    }

    /**
     * Which clusters: every selector given must match (an absent one matches all); within a selector, any item.
     *
     * @param names    patterns over the cluster name
     * @param arns     patterns over the cluster ARN
     * @param accounts account ids
     * @param regions  region names
     * @param tags     tag key to allowed values (patterns); the cluster's tags as DescribeCluster reports them. In
     *                 document order, which decides the mismatch a refusal names (never {@code Map.copyOf}: its
     *                 order changes with every JVM start)
     */
    public record Clusters(List<String> names, List<String> arns, List<String> accounts, List<String> regions,
                           Map<String, List<String>> tags) {

        public Clusters {
            names = List.copyOf(names);
            arns = List.copyOf(arns);
            accounts = List.copyOf(accounts);
            regions = List.copyOf(regions);
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }
    }

    /**
     * For whom: the sender itself ({@code self}), listed ARNs, or ARNs matching patterns.
     */
    public record Principals(boolean self, List<String> arns, List<String> patterns) {

        public Principals {
            arns = List.copyOf(arns);
            patterns = List.copyOf(patterns);
        }
    }

    /**
     * Which scopes: the whole cluster, and/or namespaces matching these patterns. Namespaces of the control plane
     * ({@link Eligibility#SYSTEM_NAMESPACES}) are reachable only when named here literally.
     */
    public record Scopes(boolean cluster, List<String> namespaces) {

        public Scopes {
            namespaces = List.copyOf(namespaces);
        }
    }

    /**
     * @param approvers IAM role or user ARNs that may approve (never the requester nor the principal itself)
     * @param count     how many different approvers must approve
     * @param timeout   how long a request waits for them before it expires, rejected
     */
    public record Approval(List<String> approvers, int count, Duration timeout) {

        public Approval {
            approvers = List.copyOf(approvers);
        }
    }
}
