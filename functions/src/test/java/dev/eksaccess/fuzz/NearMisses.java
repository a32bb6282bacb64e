package dev.eksaccess.fuzz;

import static dev.eksaccess.request.AccessRequest.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Grant-queue messages with one field set to a near miss: a value at the edge of the contract, on either side of it
 * (as long as allowed and one longer, a reserved prefix and a near one, ...), as it is or with a few characters
 * deleted, inserted, repeated, replaced or changed in case; now and then the field is null. They probe the edges of
 * every pattern and limit, where a schema written by hand and the parser are most likely to disagree.
 */
final class NearMisses {

    /** Values at the edge of the contract, by field ({@code accessScope.namespaces}, {@code kubernetesGroups}: items). */
    private static final Map<String, List<String>> SEEDS = Map.ofEntries(
            Map.entry(REQUESTED_AT, List.of("2026-11-28T09:00:00Z", "2026-11-28t09:00:00.123456789z",
                    "2026-11-28T10:00:00+01:00", "2024-02-29T23:59:60Z", "2026-11-28T09:00:00.-05:30:15",
                    "-0001-01-01T24:00:00Z", "+12026-01-01T00:00:00Z", "0000-12-31T00:00:00-18:00")),
            Map.entry(EXPIRES_AT, List.of("2026-11-29T09:00:00Z", "2026-11-30T23:59:60.5+01:00", "2026-11-28t10:00:01z")),
            Map.entry(DURATION, List.of("PT8H", "P1DT2H3M4.5S", "pt1m", "PT1,5S", "+PT1H", "P-1DT25H", "PT0.000000001S",
                    "P6D", "PT-1H2M", "PT1.S")),
            Map.entry(REQUEST_ID, List.of("CHG-2026-1142", "bootstrap:7f0c2a51", "a_b.c@d/e+f=g:h", "r".repeat(128),
                    "r".repeat(129), "a b")),
            Map.entry(CLUSTER_NAME, List.of("payments-prod", "a", "Prod_2", "c".repeat(100))),
            Map.entry(CLUSTER_ARN, List.of("arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod",
                    "arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/x", "arn:aws:eks:eu-west-1:111122223333:cluster/"
                    + "c".repeat(100), "arn:aws:eks:eux-west-1:111122223333:cluster/x")),
            Map.entry(PRINCIPAL_ARN, List.of("arn:aws:iam::111122223333:role/teams/payments-dev",
                    "arn:aws:iam::111122223333:user/carol", "arn:aws:iam::111122223333:role/a+b=c,d.e@f-g_h",
                    "arn:aws:iam::111122223333:role/" + "p".repeat(928) + "/" + "n".repeat(64),
                    "arn:aws-cn:iam::111122223333:role/x", "arn:aws-us-gov:iam::111122223333:user/y",
                    "arn:aws:iam::111122223333:role/aws-service-role/x")),
            Map.entry(ACCESS_POLICY, List.of("AmazonEKSViewPolicy", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
                    "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "P".repeat(128),
                    "arn:aws:eks::aws1:cluster-access-policy/AmazonEKSViewPolicy")),
            Map.entry(USERNAME, List.of("payments:{{SessionName}}", "payments-dev", "a:b{{SessionName}}", "u".repeat(1024),
                    "system:x", "eks:x", "aws:x", "amazon:x", "iam:x", "x{{SessionName}}")),
            Map.entry(KUBERNETES_GROUPS, List.of("payments-readers", "a system:x", " x", "g".repeat(255), "system:masters")),
            Map.entry(ACCESS_SCOPE + "." + SCOPE_NAMESPACES, List.of("payments", "payments-*", "a", "a1-b2", "n".repeat(62) + "*",
                    "n".repeat(63), "n".repeat(64))),
            Map.entry(REQUESTED_BY, List.of("alice@example.com", "\u00a0", "\u2007x", "b".repeat(1024))));

    private static final List<String> FIELDS = SEEDS.keySet().stream().sorted().toList();
    /** What an edit puts in besides a character of the same kind: the characters the patterns treat specially. */
    private static final String SPECIAL = "-+:.,/*_@= {}\n";
    /** And some that every pattern must refuse. */
    private static final String ODD = "\t\u00a0\u2007\u2028\u00e9\ud83d\ude00";

    private NearMisses() {
    }

    static final Gen<String> MESSAGES = NearMisses::message;

    /** Instants put together from parts at and beyond their limits, some of them edited further. */
    static final Gen<String> INSTANTS = random -> {
        String instant = pick(random, "2026", "0000", "9999", "+12026", "+00000", "-0001", "-0000", "+2026", "12026",
                "-12026", "+1000000000", "-1000000000", "+9999999999", "-1000000001", "202")
                + "-" + pick(random, "01", "02", "04", "12", "13", "00", "1")
                + "-" + pick(random, "01", "28", "29", "30", "31", "32", "00")
                + pick(random, "T", "t", " ")
                + pick(random, "00", "23", "24", "25") + ":" + pick(random, "00", "59", "60")
                + ":" + pick(random, "00", "59", "60", "61")
                + pick(random, "", "", ".", ".5", ".000", ".123456789", ".1234567890", ",5")
                + pick(random, "Z", "Z", "z", "+00:00", "-18:00", "+18:00", "+18:01", "+18:30", "+19:00", "+01:00:30",
                        "+01:00:60", "+0100", "+01", "", "UTC", "-00:00");
        return random.nextInt(3) == 0 ? edited(instant, random) : instant;
    };

    /** Durations put together from parts of either sign, in either case, some too large, some edited further. */
    static final Gen<String> DURATIONS = random -> {
        String duration = pick(random, "", "", "+", "-") + pick(random, "P", "P", "p")
                + pick(random, "", "", "1D", "0D", "-1D", "+2d", "106751991167301D")
                + pick(random, "T", "T", "t", "")
                + pick(random, "", "8H", "-8H", "0h", "2562047788015216H")
                + pick(random, "", "30M", "-30m", "0M")
                + pick(random, "", "5S", "0S", "1.5S", "1,5s", "-0.5S", "1.S", ".5S", "1.1234567891S",
                        "9223372036854775808S");
        return random.nextInt(3) == 0 ? edited(duration, random) : duration;
    };

    /**
     * A sample that may carry {@code field}: a grant for the grant-only fields (a revoke now and then, which must be
     * refused), a bootstrap only for the fields it has.
     */
    private static RequestMutations.Sample sampleFor(String field, SplittableRandom random) {
        boolean grantOnly = GRANT_ONLY_FIELDS.contains(field) || field.startsWith(ACCESS_SCOPE);
        boolean anyAction = random.nextInt(4) == 0;
        return Gen.elements(RequestMutations.SAMPLES.stream()
                .filter(s -> s.isBootstrap() ? BOOTSTRAP_FIELDS.contains(field) : anyAction || !grantOnly || s.isGrant())
                .toList()).next(random);
    }

    private static String message(SplittableRandom random) {
        String field = Gen.elements(FIELDS).next(random);
        RequestMutations.Sample sample = sampleFor(field, random);
        String seed = Gen.elements(SEEDS.get(field)).next(random);
        String value = random.nextInt(3) == 0 ? seed : edited(seed, random);
        ObjectNode json = sample.copy();
        if (random.nextInt(8) == 0) {
            json.putNull(field.startsWith(ACCESS_SCOPE) ? ACCESS_SCOPE : field);
            return JsonText.write(json);
        }
        switch (field) {
            case KUBERNETES_GROUPS -> items(json.putArray(KUBERNETES_GROUPS), value, random);
            case ACCESS_SCOPE + "." + SCOPE_NAMESPACES -> items(json.putObject(ACCESS_SCOPE).put(SCOPE_TYPE, "namespace")
                    .putArray(SCOPE_NAMESPACES), value, random);
            default -> {
                json.put(field, value);
                // One cluster and one expiry, so that the near miss is the only question.
                json.remove(switch (field) {
                    case CLUSTER_NAME -> CLUSTER_ARN;
                    case CLUSTER_ARN -> CLUSTER_NAME;
                    case EXPIRES_AT -> DURATION;
                    case DURATION -> EXPIRES_AT;
                    default -> "";
                });
                if (field.equals(PRINCIPAL_ARN) && json.has(CLUSTER_NAME) && random.nextBoolean()) {
                    // The principal's partition is the schema's to check only against a cluster given by ARN.
                    json.put(CLUSTER_ARN, "arn:aws:eks:eu-west-1:111122223333:cluster/" + json.remove(CLUSTER_NAME).asText());
                }
            }
        }
        return JsonText.write(json);
    }

    private static String pick(SplittableRandom random, String... parts) {
        return parts[random.nextInt(parts.length)];
    }

    /** A list with {@code value} in it, sometimes of about as many items as the contract allows (100), or none. */
    private static void items(ArrayNode list, String value, SplittableRandom random) {
        int size = random.nextBoolean() ? random.nextInt(1, 3) : Gen.elements(0, 99, 100, 101).next(random);
        for (int i = 0; i < size; i++) {
            list.add(i == 0 ? value : "item-" + i);
        }
    }

    /** {@code value} with one to three characters deleted, inserted, repeated, replaced or changed in case. */
    static String edited(String value, SplittableRandom random) {
        StringBuilder text = new StringBuilder(value);
        for (int edits = random.nextBoolean() ? 1 : random.nextInt(2, 4); edits > 0; edits--) {
            if (text.isEmpty()) {
                text.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
                continue;
            }
            int at = random.nextInt(text.length());
            char old = text.charAt(at);
            switch (random.nextInt(5)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, old);
                case 2 -> text.insert(at, replacement(old, random));
                case 3 -> text.setCharAt(at, replacement(old, random));
                default -> text.setCharAt(at, Character.isUpperCase(old) ? Character.toLowerCase(old)
                        : Character.toUpperCase(old));
            }
        }
        return text.toString();
    }

    /** Mostly a character of the same kind as {@code old} (digit, lower or upper case letter), else a special one. */
    private static char replacement(char old, SplittableRandom random) {
        int pick = random.nextInt(10);
        if (pick < 5 && Character.isDigit(old)) {
            return (char) ('0' + random.nextInt(10));
        }
        if (pick < 5 && old >= 'a' && old <= 'z') {
            return (char) ('a' + random.nextInt(26));
        }
        if (pick < 5 && old >= 'A' && old <= 'Z') {
            return (char) ('A' + random.nextInt(26));
        }
        String from = pick < 8 ? SPECIAL : ODD;
        return from.charAt(random.nextInt(from.length()));
    }
}
