package dev.eksaccess.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shape of a DynamoDB table as plain values: its key, its global secondary indexes and the type of every
 * attribute a key is made of. The CDK app turns it into its table constructs and test-support into the SDK's
 * CreateTable requests for emulated DynamoDB, so the deployed tables and the ones the tests, the sandbox and the
 * benchmarks write to are the same by construction. {@link Tables} holds the two instances.
 *
 * <p>Nothing else belongs here: billing, encryption, backups and retention are the deployment's business.
 *
 * @param partitionKey the table's partition (hash) key
 * @param sortKey      the table's sort (range) key, if it has one
 * @param indexes      its global secondary indexes, in the order they are declared
 */
public record TableSchema(Key partitionKey, Optional<Key> sortKey, List<Index> indexes) {

    /** DynamoDB's scalar types, the only ones a key attribute may have. */
    public enum AttributeType {
        STRING, NUMBER, BINARY
    }

    /** Which attributes an index copies from the table's items. */
    public enum Projection {
        /** Every attribute: a query on the index returns whole items. */
        ALL,
        /** The table's and the index's key attributes only. */
        KEYS_ONLY
    }

    /** An attribute used in a key of the table or of an index. */
    public record Key(String name, AttributeType type) {

        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        /** A key attribute of type string, which every key of ours is. */
        public static Key string(String name) {
            return new Key(name, AttributeType.STRING);
        }
    }

    /** A global secondary index. */
    public record Index(String name, Key partitionKey, Optional<Key> sortKey, Projection projection) {

        public Index {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(partitionKey, "partitionKey");
            Objects.requireNonNull(sortKey, "sortKey");
            Objects.requireNonNull(projection, "projection");
        }
    }

    /** @throws IllegalArgumentException when two keys give one attribute different types, or two indexes one name */
    public TableSchema {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(sortKey, "sortKey");
        indexes = List.copyOf(indexes);
        keyAttributes(partitionKey, sortKey, indexes);
        if (indexes.stream().map(Index::name).distinct().count() != indexes.size()) {
            throw new IllegalArgumentException("two indexes share a name: " + indexes);
        }
    }

    /** A table keyed by a partition key alone, without indexes. */
    public static TableSchema keyedBy(Key partitionKey) {
        return new TableSchema(partitionKey, Optional.empty(), List.of());
    }

    /** A table keyed by a partition and a sort key, without indexes. */
    public static TableSchema keyedBy(Key partitionKey, Key sortKey) {
        return new TableSchema(partitionKey, Optional.of(sortKey), List.of());
    }

    /** This table with one more index, keyed by a partition and a sort key, projecting every attribute. */
    public TableSchema withIndex(String name, Key indexPartitionKey, Key indexSortKey) {
        List<Index> more = new ArrayList<>(indexes);
        more.add(new Index(name, indexPartitionKey, Optional.of(indexSortKey), Projection.ALL));
        return new TableSchema(partitionKey, sortKey, more);
    }

    /**
     * Every attribute that the table's key or an index's key is made of, each once, in order of first use: what
     * DynamoDB calls the attribute definitions (it refuses any other attribute there).
     */
    public List<Key> keyAttributes() {
        return keyAttributes(partitionKey, sortKey, indexes);
    }

    private static List<Key> keyAttributes(Key partitionKey, Optional<Key> sortKey, List<Index> indexes) {
        Map<String, Key> byName = new LinkedHashMap<>();
        List<Key> keys = new ArrayList<>();
        keys.add(partitionKey);
        sortKey.ifPresent(keys::add);
        for (Index index : indexes) {
            keys.add(index.partitionKey());
            index.sortKey().ifPresent(keys::add);
        }
        for (Key key : keys) {
            Key earlier = byName.putIfAbsent(key.name(), key);
            if (earlier != null && earlier.type() != key.type()) {
                throw new IllegalArgumentException("attribute " + key.name() + " is used as a key of type "
                        + earlier.type() + " and of type " + key.type());
            }
        }
        return List.copyOf(byName.values());
    }
}
