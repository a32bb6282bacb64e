package dev.eksaccess.eks;

import java.util.List;
import java.util.Objects;

/**
 * Where an access policy applies: the whole cluster, or a list of namespaces (EKS accepts a trailing {@code *}
 * wildcard such as {@code dev-*}).
 */
public record AccessScope(Type type, List<String> namespaces) {

    /** The two scope types EKS knows, with their wire names. */
    public enum Type {
        CLUSTER("cluster"), NAMESPACE("namespace");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public AccessScope {
        Objects.requireNonNull(type, "type");
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    public static AccessScope cluster() {
        return new AccessScope(Type.CLUSTER, List.of());
    }

    public static AccessScope namespaces(List<String> namespaces) {
        return new AccessScope(Type.NAMESPACE, namespaces);
    }

    /** Whether two scopes grant the same thing (namespace order does not matter). */
    public boolean sameAs(AccessScope other) {
        return other != null && type == other.type
                && new java.util.HashSet<>(namespaces).equals(new java.util.HashSet<>(other.namespaces));
    }

    @Override
    public String toString() {
        return type == Type.CLUSTER ? "cluster" : "namespace" + namespaces;
    }
}
