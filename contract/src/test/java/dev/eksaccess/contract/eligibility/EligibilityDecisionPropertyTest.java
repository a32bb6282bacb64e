package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Eligibility#decide} on generated documents and questions, as docs/authorization.md says: default deny, the
 * verdict names a rule of the sender's that allows it, more rules never allow less, anyone may drop its own access,
 * admin-class access only with approval or a limit (or break-glass), control-plane namespaces only through a rule
 * that names them, and a revoke of everything only of what the matching rules name.
 */
class EligibilityDecisionPropertyTest {

    /** A document, its decider, and a question. */
    record Case(EligibilityDocument document, Eligibility eligibility, AccessQuestion question) {

        Verdict verdict() {
            return eligibility.decide(question);
        }

        /** The one rule that allows the question or holds it for approval; none when denied or dropped by itself. */
        Optional<EligibilityRule> decidingRule() {
            return switch (verdict()) {
                case Verdict.Allowed ok when !ok.ruleId().equals(Eligibility.SELF) -> document.rule(ok.ruleId());
                case Verdict.NeedsApproval hold -> document.rule(hold.ruleId());
                default -> Optional.empty();
            };
        }

        /** The same document and a grant by the same sender of {@code policy} in this scope, else as asked. */
        Case grant(String policy, boolean clusterScope, List<String> namespaces) {
            AccessQuestion q = question;
            return new Case(document, eligibility, new AccessQuestion(q.senderArn(), AccessQuestion.Kind.GRANT,
                    q.cluster(), q.principalArn(), policy, clusterScope, namespaces, q.kubernetesGroups(),
                    q.username(), q.duration()));
        }

        @Override
        public String toString() {
            return "question: " + question + "\ndocument: " + document;
        }
    }

    private static Case aimed(SplittableRandom random) {
        EligibilityDocument document = EligibilityDocument.parse(JsonTree.write(ValidDocuments.document(random)));
        return new Case(document, new Eligibility(document), Questions.aimed(random, document));
    }

    @Test
    void aSenderNoRuleNames_isDenied_unlessItDropsItsOwnAccess() {
        Tries.run("eligibility decision: default deny", Tries.count(), random -> {
            Case aimed = aimed(random);
            List<String> unnamed = Questions.everyone().stream().filter(arn -> !aimed.eligibility().isSender(arn))
                    .toList();
            AccessQuestion q = aimed.question();
            String sender = Pick.one(random, unnamed);
            String principal = q.principalArn().equals(sender) ? Pick.one(random, ValidDocuments.IDENTITIES)
                    : q.principalArn();
            return new Case(aimed.document(), aimed.eligibility(), new AccessQuestion(sender, q.kind(), q.cluster(),
                    principal, q.policy(), q.clusterScope(), q.namespaces(), q.kubernetesGroups(), q.username(),
                    q.duration()));
        }, c -> {
            if (c.question().kind() == AccessQuestion.Kind.REVOKE && c.question().principalArn()
                    .equals(c.question().senderArn())) {
                return;
            }
            assertThat(c.verdict()).isInstanceOf(Verdict.Denied.class);
        });
    }

    @Test
    void aVerdict_namesRulesOfTheSender_thatAllowWhatWasAsked() {
        AtomicInteger allowed = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        Tries.run("eligibility decision: the verdict's rules", Tries.count(),
                EligibilityDecisionPropertyTest::aimed, c -> {
                    AccessQuestion q = c.question();
                    switch (c.verdict()) {
                        case Verdict.Allowed ok when ok.ruleId().equals(Eligibility.SELF) -> {
                            assertThat(q.kind()).isEqualTo(AccessQuestion.Kind.REVOKE);
                            assertThat(q.principalArn()).isEqualTo(q.senderArn());
                        }
                        case Verdict.Allowed ok -> {
                            allowed.incrementAndGet();
                            List<String> ids = Arrays.asList(ok.ruleId().split(",", -1));
                            assertThat(ids).doesNotHaveDuplicates();
                            for (String id : ids) {
                                EligibilityRule rule = c.document().rule(id).orElseThrow(
                                        () -> new AssertionError("no rule '" + id + "'"));
                                assertAllows(rule, q);
                                if (q.kind() == AccessQuestion.Kind.GRANT) {
                                    assertThat(rule.approval()).isEmpty();
                                    assertThat(ok.breakGlass()).isEqualTo(rule.breakGlass());
                                }
                            }
                            assertThat(ids.size() == 1 || q.kind() == AccessQuestion.Kind.REVOKE && q.policy() == null)
                                    .as("several rules only for a revoke of everything").isTrue();
                        }
                        case Verdict.NeedsApproval hold -> {
                            held.incrementAndGet();
                            EligibilityRule rule = c.document().rule(hold.ruleId()).orElseThrow();
                            assertAllows(rule, q);
                            assertThat(q.kind()).isEqualTo(AccessQuestion.Kind.GRANT);
                            EligibilityRule.Approval approval = rule.approval().orElseThrow();
                            assertThat(new Verdict.NeedsApproval(rule.id(), approval.approvers(), approval.count(),
                                    approval.timeout())).isEqualTo(hold);
                        }
                        case Verdict.Denied denied -> assertThat(denied.reason()).isNotBlank();
                    }
                });
        assertSeen(allowed, "allowed verdicts checked", 10);
        assertSeen(held, "verdicts awaiting approval checked", 50);
    }

    @Test
    void anotherRule_neverAllowsLess() {
        Tries.run("eligibility decision: monotonic in the rules", Tries.count(), random -> {
            JsonValue tree = ValidDocuments.document(random);
            List<JsonValue> rules = new ArrayList<>(ValidDocuments.rules(tree));
            EligibilityDocument before = EligibilityDocument.parse(JsonTree.write(tree));
            AccessQuestion question = Questions.aimed(random, before);
            rules.add(random.nextInt(rules.size() + 1), ValidDocuments.rule(random, "added"));
            EligibilityDocument after = EligibilityDocument.parse(JsonTree.write(ValidDocuments.withRules(rules)));
            return List.of(new Case(before, new Eligibility(before), question),
                    new Case(after, new Eligibility(after), question));
        }, cases -> {
            Verdict before = cases.get(0).verdict();
            Verdict after = cases.get(1).verdict();
            assertThat(rank(after)).as("%s after %s", after, before).isGreaterThanOrEqualTo(rank(before));
            if (before instanceof Verdict.Allowed was && was.onlyPolicies().isPresent()) {
                assertThat(((Verdict.Allowed) after).onlyPolicies().orElseThrow())
                        .containsAll(was.onlyPolicies().get());
            }
        });
    }

    @Test
    void aPrincipalDroppingItsOwnAccess_isAlwaysAllowed() {
        Tries.run("eligibility decision: own access dropped", Tries.count(), random -> {
            Case aimed = aimed(random);
            String self = Pick.chance(random, 50) ? aimed.question().senderArn() : Pick.one(random, Questions.everyone());
            return new Case(aimed.document(), aimed.eligibility(), AccessQuestion.revoke(self,
                    aimed.question().cluster(), self, Pick.chance(random, 50) ? null
                            : Pick.one(random, AccessPolicies.DEFAULT_ALLOWED)));
        }, c -> assertThat(c.verdict()).isEqualTo(new Verdict.Allowed(Eligibility.SELF, false, Optional.empty())));
    }

    @Test
    void adminClassAccess_isAllowedAtOnce_onlyByBreakGlass_orWithinTheRulesLimit() {
        AtomicInteger allowed = new AtomicInteger();
        forGrantsARuleDecides("eligibility decision: admin-class grants", (random, aimed) -> aimed.grant(
                Pick.one(random, AccessPolicies.ADMIN_CLASS), aimed.question().clusterScope(),
                aimed.question().namespaces()), (c, rule) -> {
                    boolean withinLimit = rule.maxDuration().isPresent() && c.question().duration() != null
                            && c.question().duration().compareTo(rule.maxDuration().get()) <= 0;
                    if (c.verdict() instanceof Verdict.Allowed ok) {
                        allowed.incrementAndGet();
                        assertThat(rule.breakGlass() || withinLimit)
                                .as("allowed by a break-glass rule or within its limit").isTrue();
                        assertThat(ok.breakGlass()).isEqualTo(rule.breakGlass());
                    } else {
                        assertThat(withinLimit || rule.breakGlass()).as("held by a rule with a limit it respects")
                                .isTrue();
                    }
                });
        assertSeen(allowed, "allowed admin-class grants checked", 100);
    }

    @Test
    void aControlPlaneNamespace_isReachedOnlyThroughARuleThatNamesIt() {
        AtomicInteger reached = new AtomicInteger();
        forGrantsARuleDecides("eligibility decision: control-plane namespaces", (random, aimed) -> {
            List<String> namespaces = new ArrayList<>(aimed.question().namespaces());
            namespaces.add(random.nextInt(namespaces.size() + 1), Pick.one(random, List.of("kube-system", "kube-public",
                    "kube-node-lease", "k*", "kube-*", "*", "kube-s*", "*-lease", "*public")));
            String policy = aimed.question().policy();
            return aimed.grant(policy != null ? policy : Pick.one(random, AccessPolicies.DEFAULT_ALLOWED), false,
                    Pick.chance(random, 30) ? namespaces : new ArrayList<>(new LinkedHashSet<>(namespaces)));
        }, (c, rule) -> {
            for (String namespace : c.question().namespaces()) {
                for (String system : Eligibility.SYSTEM_NAMESPACES) {
                    if (Wildcards.matches(namespace, system)) {
                        reached.incrementAndGet();
                        assertThat(rule.scopes().namespaces()).as("%s reaches %s", namespace, system).contains(system);
                    }
                }
            }
        });
        assertSeen(reached, "control-plane namespaces reached", 100);
    }

    /**
     * Checks {@code check} on grants made of aimed questions by {@code grant}, with the rule that allows each or holds
     * it for approval; denied ones have nothing to check.
     */
    private static void forGrantsARuleDecides(String name, BiFunction<SplittableRandom, Case, Case> grant,
                                              BiConsumer<Case, EligibilityRule> check) {
        Tries.run(name, Tries.count(), random -> grant.apply(random, aimed(random)),
                c -> c.decidingRule().ifPresent(rule -> check.accept(c, rule)));
    }

    @Test
    void aRevokeOfEverything_byAnother_isLimitedToThePoliciesOfTheRulesThatMatch() {
        AtomicInteger allowed = new AtomicInteger();
        Tries.run("eligibility decision: revoke of everything", Tries.count(), random -> {
            Case aimed = aimed(random);
            AccessQuestion q = aimed.question();
            String principal = q.principalArn().equals(q.senderArn()) || Pick.chance(random, 10)
                    ? Pick.one(random, ValidDocuments.IDENTITIES) : q.principalArn();
            return new Case(aimed.document(), aimed.eligibility(),
                    AccessQuestion.revoke(q.senderArn(), q.cluster(), principal, null));
        }, c -> {
            AccessQuestion q = c.question();
            List<EligibilityRule> matching = c.document().rules().stream()
                    .filter(rule -> rule.senders().contains(q.senderArn()) && clusterMatches(rule, q.cluster())
                            && principalMatches(rule, q))
                    .toList();
            Set<String> policies = new LinkedHashSet<>();
            matching.forEach(rule -> policies.addAll(rule.policies()));
            if (q.principalArn().equals(q.senderArn())) {
                return;
            }
            if (matching.isEmpty()) {
                assertThat(c.verdict()).isInstanceOf(Verdict.Denied.class);
                return;
            }
            allowed.incrementAndGet();
            assertThat(c.verdict()).isInstanceOfSatisfying(Verdict.Allowed.class, ok -> {
                assertThat(ok.ruleId()).isEqualTo(String.join(",", matching.stream().map(EligibilityRule::id).toList()));
                assertThat(ok.onlyPolicies()).hasValueSatisfying(only -> assertThat(policies).containsAll(only));
                assertThat(ok.breakGlass()).isFalse();
            });
        });
        assertSeen(allowed, "allowed revokes of everything checked", 20);
    }

    /** The property met its case in at least one try in {@code oneIn}: it was not checked on nothing. */
    private static void assertSeen(AtomicInteger seen, String what, int oneIn) {
        assertThat(seen.get()).as("%s (%d tries)", what, Tries.count()).isGreaterThan(Tries.count() / oneIn);
    }

    // ---- an independent reading of the rules, with a matcher of our own ----

    private static int rank(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Denied denied -> 0;
            case Verdict.NeedsApproval held -> 1;
            case Verdict.Allowed allowed -> 2;
        };
    }

    /** What every allowing rule must match, read without the decider: sender, cluster, principal, and a grant's parts. */
    private static void assertAllows(EligibilityRule rule, AccessQuestion q) {
        assertThat(rule.senders()).as("senders of rule %s", rule.id()).contains(q.senderArn());
        assertThat(clusterMatches(rule, q.cluster())).as("cluster of rule %s", rule.id()).isTrue();
        assertThat(principalMatches(rule, q)).as("principal of rule %s", rule.id()).isTrue();
        if (q.policy() != null) {
            assertThat(rule.policies()).contains(q.policy());
        }
        if (q.kind() == AccessQuestion.Kind.REVOKE) {
            return;
        }
        assertThat(rule.kubernetesGroups()).containsAll(q.kubernetesGroups());
        if (q.clusterScope()) {
            assertThat(rule.scopes().cluster()).isTrue();
        }
        if (rule.maxDuration().isPresent()) {
            assertThat(q.duration()).isNotNull().isLessThanOrEqualTo(rule.maxDuration().get());
        }
        if (q.username() != null) {
            assertThat(rule.usernames()).anySatisfy(pattern -> assertThat(Wildcards.matches(pattern, q.username()))
                    .isTrue());
        }
    }

    static boolean clusterMatches(EligibilityRule rule, AccessQuestion.Cluster cluster) {
        EligibilityRule.Clusters wanted = rule.clusters();
        if (!anyMatches(wanted.names(), cluster.name()) || !anyMatches(wanted.arns(), cluster.arn())
                || !wanted.accounts().isEmpty() && !wanted.accounts().contains(cluster.account())
                || !anyMatches(wanted.regions(), cluster.region())) {
            return false;
        }
        for (Map.Entry<String, List<String>> tag : wanted.tags().entrySet()) {
            String value = cluster.tags().map(tags -> tags.get(tag.getKey())).orElse(null);
            if (value == null || tag.getValue().stream().noneMatch(pattern -> Wildcards.matches(pattern, value))) {
                return false;
            }
        }
        return true;
    }

    static boolean principalMatches(EligibilityRule rule, AccessQuestion q) {
        EligibilityRule.Principals wanted = rule.principals();
        return wanted.self() && q.principalArn().equals(q.senderArn()) || wanted.arns().contains(q.principalArn())
                || wanted.patterns().stream().anyMatch(pattern -> Wildcards.matches(pattern, q.principalArn()));
    }

    /** Absent selector: matches all; else any pattern. */
    private static boolean anyMatches(List<String> patterns, String text) {
        return patterns.isEmpty() || patterns.stream().anyMatch(pattern -> Wildcards.matches(pattern, text));
    }
}
