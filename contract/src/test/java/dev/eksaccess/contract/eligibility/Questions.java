package dev.eksaccess.contract.eligibility;

import dev.eksaccess.contract.AccessPolicies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Questions for {@link Eligibility#decide}: aimed at a rule of the document (every part within the rule, so that it
 * is often allowed), then with one part changed half of the time, or drawn from the pools alone.
 */
final class Questions {

    static final List<String> NAMESPACES = List.of("payments", "payments-dev", "payments-*", "payments-team-*",
            "orders", "default", "team-a-ci", "pay*", "*", "k*", "kube-*", "kube-system", "kube-public",
            "kube-node-lease", "kube-s*", "*-lease", "*public");
    static final List<String> USERNAMES = List.of("ci-bot", "payments-alice", "{{SessionName}}", "user-1-x", "root");
    static final List<Duration> DURATIONS = List.of(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4),
            Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(8));
    private static final String FILLER = "abc-019";

    private Questions() {
    }

    /** Anyone who may be asked about: the documents' identities and strangers. */
    static List<String> everyone() {
        List<String> everyone = new ArrayList<>(ValidDocuments.IDENTITIES);
        everyone.addAll(ValidDocuments.STRANGERS);
        return List.copyOf(everyone);
    }

    /** A question aimed at a random rule of {@code document}, one part changed half of the time. */
    static AccessQuestion aimed(SplittableRandom random, EligibilityDocument document) {
        if (document.rules().isEmpty()) {
            return any(random);
        }
        AccessQuestion aimed = within(random, Pick.one(random, document.rules()));
        return Pick.chance(random, 50) ? aimed : changeOnePart(random, aimed);
    }

    /** A question every part of which {@code rule} allows (but approval, if it asks for one). */
    static AccessQuestion within(SplittableRandom random, EligibilityRule rule) {
        String sender = Pick.one(random, rule.senders());
        boolean grant = Pick.chance(random, 70);
        EligibilityRule.Principals principals = rule.principals();
        List<String> principalChoices = new ArrayList<>(principals.arns());
        principals.patterns().forEach(pattern -> principalChoices.add(Pick.instance(random, pattern, FILLER)));
        if (principals.self() || principalChoices.isEmpty()) {
            principalChoices.add(sender);
        }
        String principal = Pick.one(random, principalChoices);
        String policy = Pick.one(random, rule.policies());
        if (!grant) {
            return AccessQuestion.revoke(sender, cluster(random, rule.clusters()), principal,
                    Pick.chance(random, 40) ? null : policy);
        }
        boolean clusterScope = rule.scopes().cluster() && (rule.scopes().namespaces().isEmpty() || random.nextBoolean());
        List<String> namespaces = clusterScope ? List.of() : Pick.some(random, rule.scopes().namespaces(), 1, 2).stream()
                .map(pattern -> Pick.chance(random, 50) ? pattern : Pick.instance(random, pattern, FILLER)).toList();
        String username = rule.usernames().isEmpty() || Pick.chance(random, 50) ? null
                : Pick.instance(random, Pick.one(random, rule.usernames()), FILLER);
        Duration duration = rule.maxDuration().map(max -> Pick.chance(random, 50) ? max : max.dividedBy(2))
                .orElse(Pick.chance(random, 50) ? null : Pick.one(random, DURATIONS));
        return new AccessQuestion(sender, AccessQuestion.Kind.GRANT, cluster(random, rule.clusters()), principal,
                policy, clusterScope, namespaces, Pick.some(random, rule.kubernetesGroups(), 0, 2), username, duration);
    }

    /** A question of random parts. */
    static AccessQuestion any(SplittableRandom random) {
        String sender = Pick.one(random, everyone());
        String principal = Pick.chance(random, 30) ? sender : Pick.one(random, everyone());
        String policy = Pick.one(random, AccessPolicies.DEFAULT_ALLOWED);
        if (Pick.chance(random, 30)) {
            return AccessQuestion.revoke(sender, anyCluster(random), principal, Pick.chance(random, 40) ? null : policy);
        }
        boolean clusterScope = random.nextBoolean();
        return new AccessQuestion(sender, AccessQuestion.Kind.GRANT, anyCluster(random), principal, policy,
                clusterScope, clusterScope ? List.of() : Pick.some(random, NAMESPACES, 1, 3),
                Pick.some(random, ValidDocuments.GROUPS, 0, 2),
                Pick.chance(random, 70) ? null : Pick.one(random, USERNAMES),
                Pick.chance(random, 20) ? null : Pick.one(random, DURATIONS));
    }

    /** {@code question} with one part drawn anew from the pools. */
    static AccessQuestion changeOnePart(SplittableRandom random, AccessQuestion q) {
        AccessQuestion other = any(random);
        return switch (random.nextInt(9)) {
            case 0 -> new AccessQuestion(other.senderArn(), q.kind(), q.cluster(), q.principalArn(), q.policy(),
                    q.clusterScope(), q.namespaces(), q.kubernetesGroups(), q.username(), q.duration());
            case 1 -> new AccessQuestion(q.senderArn(), q.kind(), other.cluster(), q.principalArn(), q.policy(),
                    q.clusterScope(), q.namespaces(), q.kubernetesGroups(), q.username(), q.duration());
            case 2 -> new AccessQuestion(q.senderArn(), q.kind(), q.cluster(), other.principalArn(), q.policy(),
                    q.clusterScope(), q.namespaces(), q.kubernetesGroups(), q.username(), q.duration());
            case 3 -> new AccessQuestion(q.senderArn(), q.kind(), q.cluster(), q.principalArn(),
                    other.policy() == null && q.kind() == AccessQuestion.Kind.GRANT ? q.policy() : other.policy(),
                    q.clusterScope(), q.namespaces(), q.kubernetesGroups(), q.username(), q.duration());
            case 4 -> q.kind() == AccessQuestion.Kind.REVOKE ? q : new AccessQuestion(q.senderArn(), q.kind(),
                    q.cluster(), q.principalArn(), q.policy(), false, Pick.some(random, NAMESPACES, 1, 3),
                    q.kubernetesGroups(), q.username(), q.duration());
            case 5 -> q.kind() == AccessQuestion.Kind.REVOKE ? q : new AccessQuestion(q.senderArn(), q.kind(),
                    q.cluster(), q.principalArn(), q.policy(), q.clusterScope(), q.namespaces(),
                    Pick.some(random, ValidDocuments.GROUPS, 1, 2), q.username(), q.duration());
            case 6 -> q.kind() == AccessQuestion.Kind.REVOKE ? q : new AccessQuestion(q.senderArn(), q.kind(),
                    q.cluster(), q.principalArn(), q.policy(), q.clusterScope(), q.namespaces(),
                    q.kubernetesGroups(), Pick.one(random, USERNAMES), q.duration());
            case 7 -> q.kind() == AccessQuestion.Kind.REVOKE ? q : new AccessQuestion(q.senderArn(), q.kind(),
                    q.cluster(), q.principalArn(), q.policy(), q.clusterScope(), q.namespaces(),
                    q.kubernetesGroups(), q.username(), Pick.chance(random, 30) ? null : Pick.one(random, DURATIONS));
            default -> new AccessQuestion(q.senderArn(), q.kind(), q.cluster(), q.principalArn(), q.policy(), true,
                    List.of(), q.kubernetesGroups(), q.username(), q.duration());
        };
    }

    /** A cluster every selector of {@code wanted} matches. */
    static AccessQuestion.Cluster cluster(SplittableRandom random, EligibilityRule.Clusters wanted) {
        String name = wanted.names().isEmpty() ? Pick.one(random, ValidDocuments.CLUSTER_NAMES)
                : Pick.instance(random, Pick.one(random, wanted.names()), FILLER);
        String region = wanted.regions().isEmpty() ? Pick.one(random, ValidDocuments.REGIONS)
                : Pick.instance(random, Pick.one(random, wanted.regions()), FILLER);
        String account = Pick.one(random, wanted.accounts().isEmpty() ? ValidDocuments.ACCOUNTS : wanted.accounts());
        String arn = wanted.arns().isEmpty() ? "arn:aws:eks:" + region + ":" + account + ":cluster/" + name
                : Pick.instance(random, Pick.one(random, wanted.arns()), FILLER);
        Map<String, String> tags = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(wanted.tags().keySet());
        keys.sort(null);
        for (String key : keys) {
            tags.put(key, Pick.instance(random, Pick.one(random, wanted.tags().get(key)), FILLER));
        }
        if (Pick.chance(random, 30)) {
            tags.put(Pick.one(random, ValidDocuments.TAG_KEYS), Pick.one(random, ValidDocuments.TAG_VALUES));
        }
        return new AccessQuestion.Cluster(arn, name, account, region,
                wanted.tags().isEmpty() && Pick.chance(random, 50) ? Optional.empty() : Optional.of(tags));
    }

    /** A cluster of the pools, its tags sometimes unknown. */
    static AccessQuestion.Cluster anyCluster(SplittableRandom random) {
        String name = Pick.one(random, ValidDocuments.CLUSTER_NAMES);
        String region = Pick.one(random, ValidDocuments.REGIONS);
        String account = Pick.one(random, ValidDocuments.ACCOUNTS);
        Map<String, String> tags = new LinkedHashMap<>();
        for (String key : Pick.some(random, ValidDocuments.TAG_KEYS, 0, 3)) {
            tags.put(key, Pick.one(random, ValidDocuments.TAG_VALUES));
        }
        return new AccessQuestion.Cluster("arn:aws:eks:" + region + ":" + account + ":cluster/" + name, name, account,
                region, Pick.chance(random, 20) ? Optional.empty() : Optional.of(tags));
    }
}
