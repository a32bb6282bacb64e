package dev.eksaccess.storm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.emulator.eks.AccessScope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded set of grant and revoke requests for the fault storm, each from one of {@link StormSenders}, the decisions
 * the approver (and others) send on the grants held for approval, and the order their copies are sent in.
 *
 * <p>Request {@code i} is made at {@code start + i seconds}: requestedAt order is generation order, while the copies
 * (one to three per request, same requestId) are sent shuffled, so arrival order says nothing about intent.
 * Principals are drawn with a skew towards the first few of each cluster, so that many requests meet on the same
 * cluster, principal and policy and their order matters. The last cluster gets a quarter of the others' traffic,
 * so that a test can hold it unavailable without most of the run's time going to that.
 *
 * <p>Senders are drawn by policy, mostly the one whose rules fit (admin-class policies from the on-call user, view
 * and edit from the two teams), else any other: requests outside a sender's rules (a scope, a cluster, a principal,
 * a policy, a missing or too long duration), from the approver (named by no rule as a sender), from the unknown
 * sender, and with reserved request ids are refused, as {@link StormRules} predicts. Decisions are made after the
 * requests: for every grant {@link StormRules} holds, the approver approves (3 in 5), denies (1 in 5) or leaves it
 * pending; a quarter also get an approval that must not count (the requester approving its own request, or the
 * editor, who is no approver); a few decisions name requests nobody holds, or come from the unknown sender.
 *
 * @param requests       every request, in requestedAt order
 * @param sendOrder      the messages of the requests, one entry per copy, shuffled
 * @param decisions      every approve and deny message
 * @param decisionOrder  the messages of the decisions, one entry per copy, shuffled
 */
record StormPlan(List<StormRequest> requests, List<StormRequest> sendOrder, List<StormDecision> decisions,
                 List<StormDecision> decisionOrder) {

    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";
    /** A cluster no emulator holds: requests for it must be rejected. */
    static final String MISSING_CLUSTER = "storm-missing";
    /** The longest admin-class grant the on-call user's rule allows, and one longer. */
    static final Duration ADMIN_DURATION = Duration.ofHours(4);
    static final Duration TOO_LONG = Duration.ofHours(8);

    private static final List<String> NAMESPACES = List.of("payments", "payments-*", "team-a", "team-b", "ops");
    private static final List<StormSenders> TEAM_SIDE = List.of(StormSenders.VIEWER, StormSenders.EDITOR,
            StormSenders.OPS, StormSenders.APPROVER, StormSenders.STRANGER);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a request asks for. */
    enum Kind { GRANT, REVOKE, REVOKE_ALL, INVALID }

    /**
     * One request of the storm.
     *
     * @param sender             who sends it (its SenderId is that sender's)
     * @param policyArn          the policy ARN (null for revoke-all and for some invalid requests)
     * @param scope              the scope of a grant, else null
     * @param duration           a grant's duration, or null for a permanent grant (and for anything else)
     * @param expectedRejection  for {@link Kind#INVALID}: a fragment the stored rejection reason must contain
     * @param copies             how many times it is sent
     */
    record StormRequest(String requestId, Kind kind, StormSenders sender, String clusterName, String principalArn,
                        String policyArn, AccessScope scope, Duration duration, Instant requestedAt, String body,
                        String expectedRejection, int copies) {

        String clusterArn() {
            return clusterArn(clusterName);
        }

        String policyName() {
            return policyArn == null ? null : policyArn.substring(AccessPolicies.ARN_PREFIX.length());
        }

        static String clusterArn(String clusterName) {
            return "arn:aws:eks:" + REGION + ":" + ACCOUNT + ":cluster/" + clusterName;
        }
    }

    /** What a decision is meant to do. */
    enum DecisionKind {
        /** The approver approves a held grant: it is applied. */
        APPROVE,
        /** The approver denies a held grant: it is rejected. */
        DENY,
        /** An approval that must not count (own request, or no approver): rejected, the grant unchanged. */
        NOT_COUNTED,
        /** A decision on a request nobody holds, or from the unknown sender: rejected. */
        NOTHING_TO_DECIDE
    }

    /** One approve or deny message; {@code pendingRequestId} names the grant it decides. */
    record StormDecision(String requestId, DecisionKind kind, StormSenders sender, String pendingRequestId,
                         String body, int copies) {
    }

    static String clusterName(int index) {
        return "storm-%02d".formatted(index);
    }

    static String creatorOf(String clusterName) {
        return "arn:aws:iam::" + ACCOUNT + ":role/platform/creator-" + clusterName;
    }

    static String principal(int index) {
        return index % 3 == 0
                ? "arn:aws:iam::%s:user/dev-%02d".formatted(ACCOUNT, index)
                : "arn:aws:iam::%s:role/teams/team-%02d".formatted(ACCOUNT, index);
    }

    /**
     * @param invalidRate share of requests that must be rejected for their content (bad fields, or a request for the
     *                    creator or for a cluster that does not exist), whoever sends them
     */
    static StormPlan generate(long seed, int requestCount, int clusters, int principals, double invalidRate,
                              Instant start) {
        Random random = new Random(seed);
        List<StormRequest> requests = new ArrayList<>();
        for (int i = 0; i < requestCount; i++) {
            String requestId = "storm-%05d".formatted(i);
            boolean invalid = random.nextDouble() < invalidRate;
            // Some valid requests take an id reserved for the system's own functions.
            if (!invalid && random.nextDouble() < 0.02) {
                requestId = (random.nextBoolean() ? "expiry:" : "eks-access:") + requestId;
            }
            Instant requestedAt = start.plus(Duration.ofSeconds(i));
            // The last cluster is the quiet one: a quarter of the others' traffic.
            int slot = random.nextInt(4 * (clusters - 1) + 1);
            String cluster = clusterName(slot / 4);
            // Quadratic skew: the first principals of the pool get most requests.
            String principal = principal((int) (principals * Math.pow(random.nextDouble(), 2)));
            int copies = 1 + random.nextInt(3);
            StormRequest request = invalid
                    ? invalid(random, requestId, cluster, principal, requestedAt, copies)
                    : valid(random, requestId, cluster, principal, requestedAt, copies);
            requests.add(request);
        }
        List<StormDecision> decisions = decisions(random, requests);
        List<StormRequest> sendOrder = new ArrayList<>();
        for (StormRequest request : requests) {
            for (int copy = 0; copy < request.copies(); copy++) {
                sendOrder.add(request);
            }
        }
        Collections.shuffle(sendOrder, random);
        List<StormDecision> decisionOrder = new ArrayList<>();
        for (StormDecision decision : decisions) {
            for (int copy = 0; copy < decision.copies(); copy++) {
                decisionOrder.add(decision);
            }
        }
        Collections.shuffle(decisionOrder, random);
        return new StormPlan(List.copyOf(requests), List.copyOf(sendOrder), List.copyOf(decisions),
                List.copyOf(decisionOrder));
    }

    int messageCount() {
        return sendOrder.size();
    }

    int decisionMessageCount() {
        return decisionOrder.size();
    }

    private static StormRequest valid(Random random, String requestId, String cluster, String principal,
                                      Instant requestedAt, int copies) {
        double roll = random.nextDouble();
        String policy = policy(random);
        StormSenders sender = senderFor(random, policy);
        ObjectNode body = base(requestId, cluster, principal, requestedAt);
        if (roll < 0.55) {
            // The viewer's rule allows namespaces only: mostly ask for those.
            boolean clusterScope = sender == StormSenders.VIEWER ? random.nextDouble() < 0.15 : random.nextBoolean();
            AccessScope scope = clusterScope ? AccessScope.cluster() : namespaces(random);
            Duration duration = null;
            if (policy.equals(AccessPolicies.CLUSTER_ADMIN) || policy.equals(AccessPolicies.ADMIN)) {
                double d = random.nextDouble();
                duration = d < 0.8 ? ADMIN_DURATION : d < 0.9 ? TOO_LONG : null;
            }
            body.put("action", "grant").put("accessPolicy", policy);
            ObjectNode scopeJson = body.putObject("accessScope").put("type", scope.type());
            if (!scope.isCluster()) {
                ArrayNode names = scopeJson.putArray("namespaces");
                scope.namespaces().forEach(names::add);
            }
            if (duration != null) {
                body.put("duration", duration.toString());
            }
            return new StormRequest(requestId, Kind.GRANT, sender, cluster, principal,
                    AccessPolicies.ARN_PREFIX + policy, scope, duration, requestedAt, body.toString(), null, copies);
        }
        if (roll < 0.85) {
            body.put("action", "revoke").put("accessPolicy", policy);
            return new StormRequest(requestId, Kind.REVOKE, sender, cluster, principal,
                    AccessPolicies.ARN_PREFIX + policy, null, null, requestedAt, body.toString(), null, copies);
        }
        body.put("action", "revoke");
        return new StormRequest(requestId, Kind.REVOKE_ALL, sender, cluster, principal, null, null, null, requestedAt,
                body.toString(), null, copies);
    }

    /** View and edit most, as teams ask: view 35 %, edit 30 %, admin view 15 %, each admin-class policy 10 %. */
    private static String policy(Random random) {
        double roll = random.nextDouble();
        return roll < 0.35 ? AccessPolicies.VIEW : roll < 0.65 ? AccessPolicies.EDIT
                : roll < 0.80 ? AccessPolicies.ADMIN_VIEW : roll < 0.90 ? AccessPolicies.CLUSTER_ADMIN
                : AccessPolicies.ADMIN;
    }

    /** Mostly the sender whose rules fit the policy, else any other of the team side. */
    private static StormSenders senderFor(Random random, String policy) {
        double fits = random.nextDouble();
        if (fits >= 0.88) {
            return TEAM_SIDE.get(random.nextInt(TEAM_SIDE.size()));
        }
        return switch (policy) {
            case AccessPolicies.VIEW -> fits < 0.44 ? StormSenders.VIEWER : StormSenders.EDITOR;
            case AccessPolicies.EDIT -> StormSenders.EDITOR;
            default -> StormSenders.OPS;
        };
    }

    /** Requests that must end rejected, with the fragment their stored reason must contain. */
    private static StormRequest invalid(Random random, String requestId, String cluster, String principal,
                                        Instant requestedAt, int copies) {
        ObjectNode body = base(requestId, cluster, principal, requestedAt).put("action", "grant")
                .put("accessPolicy", AccessPolicies.VIEW);
        body.putObject("accessScope").put("type", "cluster");
        String expected;
        String target = principal;
        // Malformed messages are rejected whoever sent them; the two the engine refuses come from the on-call
        // user, whose admin-view rule reaches every principal and storm-* cluster, so that its rules let them
        // through to the engine.
        StormSenders sender = TEAM_SIDE.get(random.nextInt(TEAM_SIDE.size()));
        switch (random.nextInt(5)) {
            case 0 -> {
                body.putArray("kubernetesGroups").add("system:masters");
                expected = "kubernetesGroups";
            }
            case 1 -> {
                target = "arn:aws:sts::" + ACCOUNT + ":assumed-role/team-01/session";
                body.put("principalArn", target);
                expected = "principalArn";
            }
            case 2 -> {
                body.put("accessPolicy", "AmazonEKSRootPolicy");
                expected = "accessPolicy";
            }
            case 3 -> {
                target = creatorOf(cluster);
                body.put("principalArn", target).put("action", "revoke").remove(List.of("accessPolicy", "accessScope"));
                expected = "created the cluster";
                sender = StormSenders.OPS;
            }
            default -> {
                body.put("clusterName", MISSING_CLUSTER).put("accessPolicy", AccessPolicies.ADMIN_VIEW);
                cluster = MISSING_CLUSTER;
                expected = "does not exist";
                sender = StormSenders.OPS;
            }
        }
        return new StormRequest(requestId, Kind.INVALID, sender, cluster, target, null, null, null, requestedAt,
                body.toString(), expected, copies);
    }

    private static List<StormDecision> decisions(Random random, List<StormRequest> requests) {
        List<StormDecision> decisions = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (StormRequest request : requests) {
            if (request.kind() == Kind.INVALID) {
                continue;
            }
            StormRules.Verdict verdict = StormRules.decide(request);
            if (verdict instanceof StormRules.Verdict.Refuse) {
                refused.add(request.requestId());
            }
            if (!(verdict instanceof StormRules.Verdict.Hold)) {
                continue;
            }
            if (random.nextDouble() < 0.25) {
                boolean own = random.nextBoolean();
                decisions.add(decision(random, decisions.size(), DecisionKind.NOT_COUNTED, "approve",
                        own ? StormSenders.OPS : StormSenders.EDITOR, request.requestId()));
            }
            double roll = random.nextDouble();
            if (roll < 0.6) {
                decisions.add(decision(random, decisions.size(), DecisionKind.APPROVE, "approve",
                        StormSenders.APPROVER, request.requestId()));
            } else if (roll < 0.8) {
                decisions.add(decision(random, decisions.size(), DecisionKind.DENY, "deny", StormSenders.APPROVER,
                        request.requestId()));
            }
        }
        for (int i = 0; i < 6 && !refused.isEmpty(); i++) {
            decisions.add(decision(random, decisions.size(), DecisionKind.NOTHING_TO_DECIDE, "approve",
                    StormSenders.APPROVER, refused.get(random.nextInt(refused.size()))));
        }
        if (!decisions.isEmpty()) {
            decisions.add(decision(random, decisions.size(), DecisionKind.NOTHING_TO_DECIDE, "approve",
                    StormSenders.STRANGER, decisions.get(0).pendingRequestId()));
        }
        return decisions;
    }

    private static StormDecision decision(Random random, int index, DecisionKind kind, String action,
                                          StormSenders sender, String pendingRequestId) {
        String requestId = "decision-%05d".formatted(index);
        String body = JSON.createObjectNode().put("action", action).put("pendingRequestId", pendingRequestId)
                .put("requestId", requestId).put("requestedBy", "fault-storm")
                .put("reason", kind.name().toLowerCase()).toString();
        return new StormDecision(requestId, kind, sender, pendingRequestId, body, 1 + random.nextInt(3));
    }

    private static ObjectNode base(String requestId, String cluster, String principal, Instant requestedAt) {
        return JSON.createObjectNode().put("clusterName", cluster).put("principalArn", principal)
                .put("requestId", requestId).put("requestedAt", requestedAt.toString())
                .put("requestedBy", "fault-storm");
    }

    private static AccessScope namespaces(Random random) {
        List<String> pool = new ArrayList<>(NAMESPACES);
        Collections.shuffle(pool, random);
        return new AccessScope(AccessScope.NAMESPACE, List.copyOf(pool.subList(0, 1 + random.nextInt(2))));
    }
}
