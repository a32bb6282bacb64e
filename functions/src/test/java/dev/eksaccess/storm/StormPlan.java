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
 * A seeded set of grant and revoke requests for the fault storm, and the order their copies are sent in.
 *
 * <p>Request {@code i} is made at {@code start + i seconds}: requestedAt order is generation order, while the copies
 * (one to three per request, same requestId) are sent shuffled, so arrival order says nothing about intent.
 * Principals are drawn with a skew towards the first few of each cluster, so that many requests meet on the same
 * cluster, principal and policy and their order matters. The last cluster gets a quarter of the others' traffic,
 * so that a test can hold it unavailable without most of the run's time going to that.
 *
 * @param requests  every request, in requestedAt order
 * @param sendOrder the messages to send, one entry per copy, shuffled
 */
record StormPlan(List<StormRequest> requests, List<StormRequest> sendOrder) {

    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";
    /** A cluster no emulator holds: requests for it must be rejected. */
    static final String MISSING_CLUSTER = "storm-missing";

    private static final List<String> POLICIES = AccessPolicies.DEFAULT_ALLOWED;
    private static final List<String> NAMESPACES = List.of("payments", "payments-*", "team-a", "team-b", "ops");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a request asks for. */
    enum Kind { GRANT, REVOKE, REVOKE_ALL, INVALID }

    /**
     * One request of the storm.
     *
     * @param policyArn          the policy ARN (null for revoke-all and for some invalid requests)
     * @param scope              the scope of a grant, else null
     * @param expectedRejection  for {@link Kind#INVALID}: a fragment the stored rejection reason must contain
     * @param copies             how many times it is sent
     */
    record StormRequest(String requestId, Kind kind, String clusterName, String principalArn, String policyArn,
                        AccessScope scope, Instant requestedAt, String body, String expectedRejection, int copies) {

        String clusterArn() {
            return clusterArn(clusterName);
        }

        static String clusterArn(String clusterName) {
            return "arn:aws:eks:" + REGION + ":" + ACCOUNT + ":cluster/" + clusterName;
        }
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
     * @param invalidRate share of requests that must be rejected (bad fields, or a request for the creator or for a
     *                    cluster that does not exist)
     */
    static StormPlan generate(long seed, int requestCount, int clusters, int principals, double invalidRate,
                              Instant start) {
        Random random = new Random(seed);
        List<StormRequest> requests = new ArrayList<>();
        for (int i = 0; i < requestCount; i++) {
            String requestId = "storm-%05d".formatted(i);
            Instant requestedAt = start.plus(Duration.ofSeconds(i));
            // The last cluster is the quiet one: a quarter of the others' traffic.
            int slot = random.nextInt(4 * (clusters - 1) + 1);
            String cluster = clusterName(slot / 4);
            // Quadratic skew: the first principals of the pool get most requests.
            String principal = principal((int) (principals * Math.pow(random.nextDouble(), 2)));
            int copies = 1 + random.nextInt(3);
            StormRequest request = random.nextDouble() < invalidRate
                    ? invalid(random, requestId, cluster, principal, requestedAt, copies)
                    : valid(random, requestId, cluster, principal, requestedAt, copies);
            requests.add(request);
        }
        List<StormRequest> sendOrder = new ArrayList<>();
        for (StormRequest request : requests) {
            for (int copy = 0; copy < request.copies(); copy++) {
                sendOrder.add(request);
            }
        }
        Collections.shuffle(sendOrder, random);
        return new StormPlan(List.copyOf(requests), List.copyOf(sendOrder));
    }

    int messageCount() {
        return sendOrder.size();
    }

    private static StormRequest valid(Random random, String requestId, String cluster, String principal,
                                      Instant requestedAt, int copies) {
        double roll = random.nextDouble();
        ObjectNode body = base(requestId, cluster, principal, requestedAt);
        if (roll < 0.55) {
            String policy = POLICIES.get(random.nextInt(POLICIES.size()));
            AccessScope scope = random.nextBoolean() ? AccessScope.cluster() : namespaces(random);
            body.put("action", "grant").put("accessPolicy", policy);
            ObjectNode scopeJson = body.putObject("accessScope").put("type", scope.type());
            if (!scope.isCluster()) {
                ArrayNode names = scopeJson.putArray("namespaces");
                scope.namespaces().forEach(names::add);
            }
            return new StormRequest(requestId, Kind.GRANT, cluster, principal, AccessPolicies.ARN_PREFIX + policy,
                    scope, requestedAt, body.toString(), null, copies);
        }
        if (roll < 0.85) {
            String policy = POLICIES.get(random.nextInt(POLICIES.size()));
            body.put("action", "revoke").put("accessPolicy", policy);
            return new StormRequest(requestId, Kind.REVOKE, cluster, principal, AccessPolicies.ARN_PREFIX + policy,
                    null, requestedAt, body.toString(), null, copies);
        }
        body.put("action", "revoke");
        return new StormRequest(requestId, Kind.REVOKE_ALL, cluster, principal, null, null, requestedAt,
                body.toString(), null, copies);
    }

    /** Requests that must end rejected, with the fragment their stored reason must contain. */
    private static StormRequest invalid(Random random, String requestId, String cluster, String principal,
                                        Instant requestedAt, int copies) {
        ObjectNode body = base(requestId, cluster, principal, requestedAt).put("action", "grant")
                .put("accessPolicy", AccessPolicies.VIEW);
        body.putObject("accessScope").put("type", "cluster");
        String expected;
        String target = principal;
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
            }
            default -> {
                body.put("clusterName", MISSING_CLUSTER);
                cluster = MISSING_CLUSTER;
                expected = "does not exist";
            }
        }
        return new StormRequest(requestId, Kind.INVALID, cluster, target, null, null, requestedAt, body.toString(),
                expected, copies);
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
