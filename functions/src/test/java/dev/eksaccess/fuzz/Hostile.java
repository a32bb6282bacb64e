package dev.eksaccess.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;

/** Values a hostile or careless sender puts into JSON fields: wrong types, odd text, huge and deep values. */
final class Hostile {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Jackson's default nesting limit; a deeper document is refused while reading. */
    static final int MAX_JSON_DEPTH = 1000;

    private Hostile() {
    }

    /** Text that is odd but short: unicode tricks, control characters, injection attempts, near-misses of ARNs. */
    static final Gen<String> ODD_TEXT = Gen.oneOf(
            Gen.elements("", " ", "\t\n", "\u0000", "\u200b", "\u202eadmin", "null", "true", "0", "-1", "1e309",
                    "*", "?", "system:masters", "system:nodes", "eks:admin", "{{SessionName}}",
                    "arn:aws:sts::111122223333:assumed-role/payments-dev/alice",
                    "arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:role/admin", "arn:aws:iam::111122223333:root",
                    "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS",
                    "arn:aws:iam::111122223333:role/p\u0430yments-dev", "\"},{\"action\":\"grant\"",
                    "'; DROP TABLE ledger; --", "../../etc/passwd", "\ud800", "\udfff\ud800", "😀", "ｐａｙｍｅｎｔｓ",
                    "AmazonEKSClusterAdminPolicy", "arn:aws:eks::aws:cluster-access-policy/*", "P99999999D",
                    "+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z"),
            Gen.anyChars(0, 40),
            Gen.strings("abc:/*-_.@{}[]\"\\ \u00e9\u4e2d", 0, 60));

    /** Strings long enough to break every length limit of a single field (but not the message limit). */
    static final Gen<String> LONG_TEXT = Gen.ints(1_025, 8_000).map("a"::repeat);

    /** A JSON value that is not a string: numbers, booleans, arrays, objects, moderately deep nesting. */
    static final Gen<JsonNode> NOT_A_STRING = Gen.oneOf(
            Gen.elements(NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(123456789012L),
                    NODES.numberNode(1e308), NODES.numberNode(3.14), NODES.numberNode(new BigInteger("1" + "0".repeat(40))),
                    NODES.booleanNode(true), NODES.booleanNode(false)),
            random -> NODES.numberNode(random.nextLong()),
            random -> NODES.arrayNode().add(ODD_TEXT.next(random)),
            random -> NODES.objectNode().put(ODD_TEXT.next(random), ODD_TEXT.next(random)),
            random -> nested(random.nextInt(2, 400)));

    /** Any value, JSON null included. */
    static final Gen<JsonNode> ANY_VALUE = Gen.oneOf(NOT_A_STRING, ODD_TEXT.map(NODES::textNode),
            LONG_TEXT.map(NODES::textNode), Gen.elements(NODES.nullNode(), NODES.arrayNode(), NODES.objectNode()));

    /** Arrays nested {@code depth} levels deep. */
    static JsonNode nested(int depth) {
        ArrayNode outer = NODES.arrayNode();
        ArrayNode current = outer;
        for (int i = 1; i < depth; i++) {
            current = current.addArray();
        }
        return outer;
    }

    /** Random JSON trees: the shape of a message or event without its meaning. */
    static Gen<JsonNode> trees(Gen<String> fieldNames, int maxDepth) {
        return random -> tree(random, fieldNames, maxDepth);
    }

    private static JsonNode tree(java.util.SplittableRandom random, Gen<String> names, int depth) {
        int kind = depth <= 0 ? random.nextInt(3) : random.nextInt(5);
        switch (kind) {
            case 0:
                return NODES.textNode(ODD_TEXT.next(random));
            case 1:
                return NOT_A_STRING.next(random).isContainerNode() ? NODES.nullNode() : NOT_A_STRING.next(random);
            case 2:
                return NODES.nullNode();
            case 3: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(tree(random, names, depth - 1));
                }
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    object.set(names.next(random), tree(random, names, depth - 1));
                }
                return object;
            }
        }
    }
}
