package dev.eksaccess.fuzz;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.BootstrapRequest;
import dev.eksaccess.request.RequestParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Valid requests built field by field from the contract's rules (docs/grant-requests.md), for the round trip
 * {@code toJson → parse}. {@code now} is the parser's clock; the maximum grant duration is the default.
 */
final class ValidRequests {

    private static final String WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String IAM_CHARS = WORD + "_+=,.@-";
    private static final String REQUEST_ID_CHARS = WORD + "_:.@/+=-";
    private static final String NAMESPACE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";
    private static final List<String[]> PARTITION_REGIONS = List.of(
            new String[] {"aws", "eu-west-1"}, new String[] {"aws", "us-east-1"}, new String[] {"aws", "ap-southeast-2"},
            new String[] {"aws-cn", "cn-north-1"}, new String[] {"aws-us-gov", "us-gov-west-1"});

    private final Instant now;

    ValidRequests(Instant now) {
        this.now = now;
    }

    Gen<AccessRequest> accessRequests() {
        return this::accessRequest;
    }

    Gen<BootstrapRequest> bootstrapRequests() {
        return random -> new BootstrapRequest(cluster(random).arn(), requestId(random), requestedAt(random),
                text(random));
    }

    private AccessRequest accessRequest(SplittableRandom random) {
        ClusterRef cluster = cluster(random);
        String principal = principal(cluster.partition(), random);
        boolean grant = random.nextBoolean();
        String requestedBy = random.nextBoolean() ? text(random) : null;
        String reason = random.nextBoolean() ? text(random) : null;
        if (!grant) {
            String policy = random.nextBoolean() ? null
                    : random.nextBoolean() ? Gen.elements(AccessPolicies.DEFAULT_ALLOWED).next(random)
                    : Gen.strings(WORD, 1, 128).next(random);
            return new AccessRequest(Action.REVOKE, cluster, principal, policy, null, null, null, null,
                    requestId(random), requestedAt(random), requestedBy, reason);
        }
        AccessScope scope = random.nextBoolean() ? AccessScope.cluster()
                : AccessScope.namespaces(unique(Gen.lists(namespace(), 1, 6).next(random)));
        List<String> groups = random.nextBoolean() ? null : unique(Gen.lists(group(), 0, 5).next(random));
        String username = random.nextBoolean() ? null : username(random);
        Instant expiresAt = random.nextBoolean() ? null
                : now.plusNanos(1 + random.nextLong(Duration.ofDays(7).toNanos()));
        return new AccessRequest(Action.GRANT, cluster, principal,
                Gen.elements(AccessPolicies.DEFAULT_ALLOWED).next(random), scope, groups, username, expiresAt,
                requestId(random), requestedAt(random), requestedBy, reason);
    }

    private static ClusterRef cluster(SplittableRandom random) {
        String[] partitionRegion = Gen.elements(PARTITION_REGIONS).next(random);
        String name = Gen.strings(WORD, 1, 1).next(random) + Gen.strings(WORD + "-_", 0, 99).next(random);
        return new ClusterRef(partitionRegion[0], partitionRegion[1], account(random), name);
    }

    private static String account(SplittableRandom random) {
        return Gen.strings("0123456789", 12, 12).next(random);
    }

    /** IAM user or role ARN, roles with paths; never a service-linked role. */
    private static String principal(String partition, SplittableRandom random) {
        String type = random.nextBoolean() ? "role" : "user";
        StringBuilder path = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            path.append('/').append(Gen.strings(IAM_CHARS, 1, 30).next(random));
        }
        if (path.toString().startsWith("/aws-service-role")) {
            path.insert(1, 'x');
        }
        return "arn:" + partition + ":iam::" + account(random) + ":" + type + path + "/"
                + Gen.strings(IAM_CHARS, 1, 64).next(random);
    }

    private static Gen<String> namespace() {
        return random -> {
            String label = Gen.strings("abcdefghijklmnopqrstuvwxyz0123456789", 1, 1).next(random)
                    + Gen.strings(NAMESPACE_CHARS, 0, 40).next(random);
            if (random.nextInt(3) == 0) {
                return label + "*";
            }
            return label.endsWith("-") ? label + "0" : label;
        };
    }

    private static Gen<String> group() {
        return random -> {
            String group = Gen.oneOf(Gen.strings(WORD + ":-_.@ ", 1, 255), Gen.anyChars(1, 60)).next(random);
            return group.isBlank() || group.startsWith("system:") ? "g" + group : group;
        };
    }

    private static String username(SplittableRandom random) {
        String base = Gen.strings(WORD + ":-_.@", 1, 200).next(random);
        if (random.nextBoolean()) {
            base = base + ":{{SessionName}}";
        }
        for (String reserved : List.of("system:", "eks:", "aws:", "amazon:", "iam:")) {
            if (base.startsWith(reserved)) {
                return "u" + base;
            }
        }
        return base;
    }

    private static String requestId(SplittableRandom random) {
        return Gen.strings(REQUEST_ID_CHARS, 1, 128).next(random);
    }

    /** From ten years ago up to the allowed clock skew ahead. */
    private Instant requestedAt(SplittableRandom random) {
        long window = Duration.ofDays(3650).plus(RequestParser.MAX_CLOCK_SKEW).toNanos();
        return now.minus(Duration.ofDays(3650)).plusNanos(random.nextLong(window + 1));
    }

    /** Audit text of any characters, never blank. */
    private static String text(SplittableRandom random) {
        return RequestMutations.auditText(random);
    }

    private static List<String> unique(List<String> values) {
        return new ArrayList<>(new LinkedHashSet<>(values));
    }
}
