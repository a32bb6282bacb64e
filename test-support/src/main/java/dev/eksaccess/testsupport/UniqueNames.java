package dev.eksaccess.testsupport;

import java.util.UUID;

/** Names for queues and tables that cannot collide between tests sharing one backend. */
public final class UniqueNames {

    private UniqueNames() {
    }

    /**
     * {@code prefix} plus a random suffix, e.g. {@code grants-3f9c1a2b}; valid as an SQS queue name and a DynamoDB
     * table name when the prefix is (letters, digits, {@code -}, {@code _}).
     */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
