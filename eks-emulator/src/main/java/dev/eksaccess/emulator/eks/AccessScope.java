package dev.eksaccess.emulator.eks;

import java.util.List;
import java.util.Objects;

/**
 * Where an associated access policy applies: the whole cluster, or the listed namespaces.
 *
 * @param type       {@code cluster} or {@code namespace}, as on the wire
 * @param namespaces the namespaces for a {@code namespace} scope; empty for {@code cluster}
 */
public record AccessScope(String type, List<String> namespaces) {

    public static final String CLUSTER = "cluster";
    public static final String NAMESPACE = "namespace";

    public AccessScope {
        Objects.requireNonNull(type, "type");
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    /** The cluster-wide scope. */
    public static AccessScope cluster() {
        return new AccessScope(CLUSTER, List.of());
    }

    /** A scope limited to the given namespaces. */
    public static AccessScope namespaces(String... namespaces) {
        return new AccessScope(NAMESPACE, List.of(namespaces));
    }

    public boolean isCluster() {
        return CLUSTER.equals(type);
    }
}
