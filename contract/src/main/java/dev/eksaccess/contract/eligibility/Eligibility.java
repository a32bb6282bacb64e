package dev.eksaccess.contract.eligibility;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides requests against an {@link EligibilityDocument}. Default deny: a sender no rule names, or a request no rule
 * of the sender's allows, is {@link Verdict.Denied} with the reason each of its rules gave.
 *
 * <ul>
 *   <li>A grant is allowed by a rule of the sender's when every part of the rule matches: cluster, principal,
 *       policy, scope, groups, username and duration. A matching rule without approval wins over one with; among
 *       rules that need approval, the first in document order.</li>
 *   <li>A revoke is allowed when the principal is the sender itself (anyone may drop its own access), or when a rule
 *       of the sender's would let it grant that policy to that principal on that cluster; a revoke of every policy
 *       is then limited to the policies those rules name.</li>
 *   <li>A migrate is allowed only by a migration rule ({@code "migration": true}) of the sender's whose cluster,
 *       principal, policy (if the request has one) and groups and username match; a migration rule allows nothing
 *       else, and no other rule allows a migrate.</li>
 *   <li>A recover is decided as a grant, but only by recovery rules ({@code "recovery": true}), which allow nothing
 *       else; no other rule allows a recover.</li>
 * </ul>
 */
public final class Eligibility {

    /** The rule id of a revoke that a principal sends for its own access. */
    public static final String SELF = "self";

    /** Control-plane namespaces: reachable only through a rule that names them literally. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("kube-system", "kube-public", "kube-node-lease");

    private final EligibilityDocument document;

    public Eligibility(EligibilityDocument document) {
        this.document = document;
    }

    public EligibilityDocument document() {
        return document;
    }

    /** Whether any rule names {@code arn} as a sender. */
    public boolean isSender(String arn) {
        return document.rules().stream().anyMatch(rule -> rule.senders().contains(arn));
    }

    /** Whether deciding a request of this sender needs the cluster's tags: some rule of its selects by tag. */
    public boolean needsTags(String senderArn) {
        return rulesOf(senderArn).stream().anyMatch(rule -> !rule.clusters().tags().isEmpty());
    }

    public Verdict decide(AccessQuestion question) {
        if (question.kind() == AccessQuestion.Kind.REVOKE && question.principalArn().equals(question.senderArn())) {
            return new Verdict.Allowed(SELF, false, Optional.empty());
        }
        List<EligibilityRule> rules = rulesOf(question.senderArn());
        if (rules.isEmpty()) {
            return new Verdict.Denied("sender " + question.senderArn() + " is named by no eligibility rule");
        }
        boolean migrate = question.kind() == AccessQuestion.Kind.MIGRATE;
        boolean recover = question.kind() == AccessQuestion.Kind.RECOVER;
        List<EligibilityRule> fitting = rules.stream()
                .filter(rule -> rule.migration() == migrate && rule.recovery() == recover).toList();
        if (fitting.isEmpty()) {
            return new Verdict.Denied(migrate
                    ? "sender " + question.senderArn() + " is named by no migration rule (\"migration\": true); "
                    + "grant rules never allow a migrate"
                    : recover
                    ? "sender " + question.senderArn() + " is named by no recovery rule (\"recovery\": true); "
                    + "no other rule allows a recover"
                    : "sender " + question.senderArn() + " is named only by migration or recovery rules, which "
                    + "allow migrate or recover requests and nothing else");
        }
        return switch (question.kind()) {
            case GRANT, RECOVER -> decideGrant(question, fitting);
            case REVOKE -> decideRevoke(question, fitting);
            case MIGRATE -> decideMigrate(question, fitting);
        };
    }

    /**
     * Why {@code approverArn} may not approve a request that {@code rule} holds for approval, or empty when it may.
     * Nobody approves their own request nor a grant for themselves.
     */
    public Optional<String> approvalProblem(String approverArn, String ruleId, String requesterArn,
                                            String principalArn) {
        Optional<EligibilityRule.Approval> approval = document.rule(ruleId).flatMap(EligibilityRule::approval);
        if (approval.isEmpty()) {
            return Optional.of("rule '" + ruleId + "' no longer asks for approval in the deployed eligibility document");
        }
        if (!approval.get().approvers().contains(approverArn)) {
            return Optional.of(approverArn + " is not an approver of rule '" + ruleId + "'");
        }
        if (approverArn.equals(requesterArn)) {
            return Optional.of("nobody approves their own request");
        }
        if (approverArn.equals(principalArn)) {
            return Optional.of("nobody approves a grant for themselves");
        }
        return Optional.empty();
    }

    private Verdict decideGrant(AccessQuestion question, List<EligibilityRule> rules) {
        List<String> refusals = new ArrayList<>();
        Verdict.NeedsApproval needsApproval = null;
        for (EligibilityRule rule : rules) {
            Optional<String> mismatch = clusterMismatch(rule, question.cluster())
                    .or(() -> principalMismatch(rule, question))
                    .or(() -> policyMismatch(rule, question.policy()))
                    .or(() -> scopeMismatch(rule, question))
                    .or(() -> identityMismatch(rule, question))
                    .or(() -> durationMismatch(rule, question));
            if (mismatch.isPresent()) {
                refusals.add("rule '" + rule.id() + "': " + mismatch.get());
            } else if (rule.approval().isEmpty()) {
                return new Verdict.Allowed(rule.id(), rule.breakGlass(), Optional.empty());
            } else if (needsApproval == null) {
                EligibilityRule.Approval approval = rule.approval().get();
                needsApproval = new Verdict.NeedsApproval(rule.id(), approval.approvers(), approval.count(),
                        approval.timeout());
            }
        }
        return needsApproval != null ? needsApproval : denied(question, refusals);
    }

    /** A migrate: cluster, principal, its policy if any (at cluster scope), groups and username; never held. */
    private Verdict decideMigrate(AccessQuestion question, List<EligibilityRule> rules) {
        List<String> refusals = new ArrayList<>();
        for (EligibilityRule rule : rules) {
            Optional<String> mismatch = clusterMismatch(rule, question.cluster())
                    .or(() -> principalMismatch(rule, question))
                    .or(() -> question.policy() == null ? Optional.empty() : policyMismatch(rule, question.policy()))
                    .or(() -> identityMismatch(rule, question));
            if (mismatch.isEmpty()) {
                return new Verdict.Allowed(rule.id(), false, Optional.empty());
            }
            refusals.add("rule '" + rule.id() + "': " + mismatch.get());
        }
        return denied(question, refusals);
    }

    private Verdict decideRevoke(AccessQuestion question, List<EligibilityRule> rules) {
        List<String> refusals = new ArrayList<>();
        Set<String> revocable = new LinkedHashSet<>();
        List<String> allowing = new ArrayList<>();
        for (EligibilityRule rule : rules) {
            Optional<String> mismatch = clusterMismatch(rule, question.cluster())
                    .or(() -> principalMismatch(rule, question))
                    .or(() -> question.policy() == null ? Optional.empty() : policyMismatch(rule, question.policy()));
            if (mismatch.isPresent()) {
                refusals.add("rule '" + rule.id() + "': " + mismatch.get());
            } else if (question.policy() != null) {
                return new Verdict.Allowed(rule.id(), false, Optional.empty());
            } else {
                allowing.add(rule.id());
                revocable.addAll(rule.policies());
            }
        }
        if (!allowing.isEmpty()) {
            return new Verdict.Allowed(String.join(",", allowing), false, Optional.of(List.copyOf(revocable)));
        }
        return denied(question, refusals);
    }

    private static Verdict.Denied denied(AccessQuestion question, List<String> refusals) {
        return new Verdict.Denied("no eligibility rule allows " + question.senderArn() + " to "
                + question.kind().name().toLowerCase() + " this: " + String.join("; ", refusals));
    }

    private List<EligibilityRule> rulesOf(String senderArn) {
        return document.rules().stream().filter(rule -> rule.senders().contains(senderArn)).toList();
    }

    // ---- the parts of a rule ----

    private static Optional<String> clusterMismatch(EligibilityRule rule, AccessQuestion.Cluster cluster) {
        EligibilityRule.Clusters wanted = rule.clusters();
        if (!wanted.names().isEmpty() && !anyMatches(wanted.names(), cluster.name())) {
            return Optional.of("cluster name " + cluster.name() + " matches none of " + wanted.names());
        }
        if (!wanted.arns().isEmpty() && !anyMatches(wanted.arns(), cluster.arn())) {
            return Optional.of("cluster " + cluster.arn() + " matches none of " + wanted.arns());
        }
        if (!wanted.accounts().isEmpty() && !wanted.accounts().contains(cluster.account())) {
            return Optional.of("account " + cluster.account() + " is not one of " + wanted.accounts());
        }
        if (!wanted.regions().isEmpty() && !anyMatches(wanted.regions(), cluster.region())) {
            return Optional.of("region " + cluster.region() + " matches none of " + wanted.regions());
        }
        for (Map.Entry<String, List<String>> tag : wanted.tags().entrySet()) {
            if (cluster.tags().isEmpty()) {
                return Optional.of("the cluster's tags are not known, and the rule selects by tag " + tag.getKey());
            }
            String value = cluster.tags().get().get(tag.getKey());
            if (value == null || !anyMatches(tag.getValue(), value)) {
                return Optional.of("cluster tag " + tag.getKey() + (value == null ? " is not set" : "=" + value)
                        + ", the rule wants one of " + tag.getValue());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> principalMismatch(EligibilityRule rule, AccessQuestion question) {
        EligibilityRule.Principals wanted = rule.principals();
        String principal = question.principalArn();
        boolean matches = (wanted.self() && principal.equals(question.senderArn()))
                || wanted.arns().contains(principal) || anyMatches(wanted.patterns(), principal);
        return matches ? Optional.empty() : Optional.of("principal " + principal + " is not "
                + (wanted.self() ? "the sender itself, nor " : "") + "among " + wanted.arns() + " "
                + wanted.patterns());
    }

    private static Optional<String> policyMismatch(EligibilityRule rule, String policy) {
        return rule.policies().contains(policy) ? Optional.empty()
                : Optional.of("policy " + policy + " is not one of " + rule.policies());
    }

    private static Optional<String> scopeMismatch(EligibilityRule rule, AccessQuestion question) {
        EligibilityRule.Scopes wanted = rule.scopes();
        if (question.clusterScope()) {
            return wanted.cluster() ? Optional.empty() : Optional.of("cluster scope is not allowed, only namespaces "
                    + wanted.namespaces());
        }
        for (String namespace : question.namespaces()) {
            if (wanted.namespaces().stream().noneMatch(allowed -> Glob.covers(allowed, namespace))) {
                return Optional.of("namespace " + namespace + " is not within " + wanted.namespaces());
            }
            for (String system : SYSTEM_NAMESPACES) {
                if (Glob.matches(namespace, system) && !wanted.namespaces().contains(system)) {
                    return Optional.of("namespace " + namespace + " reaches " + system
                            + ", which a rule must name literally");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> identityMismatch(EligibilityRule rule, AccessQuestion question) {
        for (String group : question.kubernetesGroups()) {
            if (!rule.kubernetesGroups().contains(group)) {
                return Optional.of("Kubernetes group " + group + " is not one of " + rule.kubernetesGroups());
            }
        }
        if (question.username() != null && !anyMatches(rule.usernames(), question.username())) {
            return Optional.of("username " + question.username() + " matches none of " + rule.usernames());
        }
        return Optional.empty();
    }

    private static Optional<String> durationMismatch(EligibilityRule rule, AccessQuestion question) {
        if (rule.maxDuration().isEmpty()) {
            return Optional.empty();
        }
        if (question.duration() == null) {
            return Optional.of("a permanent grant is not allowed; at most " + rule.maxDuration().get());
        }
        return question.duration().compareTo(rule.maxDuration().get()) > 0
                ? Optional.of("duration " + question.duration() + " is longer than " + rule.maxDuration().get())
                : Optional.empty();
    }

    private static boolean anyMatches(List<String> patterns, String text) {
        return text != null && patterns.stream().anyMatch(pattern -> Glob.matches(pattern, text));
    }
}
