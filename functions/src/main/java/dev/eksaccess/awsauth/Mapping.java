package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of aws-auth's {@code mapRoles} or {@code mapUsers}, as written there.
 *
 * @param source   where it is: {@code mapRoles[2]}, with its line in that YAML value
 * @param kind     a role ({@code rolearn}) or a user ({@code userarn})
 * @param arn      the ARN exactly as written (role ARNs in aws-auth normally have no path)
 * @param username the Kubernetes username, templates such as {@code {{SessionName}}} unexpanded; empty when absent
 * @param groups   the Kubernetes groups, in their order; empty when absent
 */
public record Mapping(Source source, Kind kind, String arn, Optional<String> username, List<String> groups) {

    /** Which list a mapping comes from. */
    public enum Kind {
        ROLE("mapRoles", "rolearn"),
        USER("mapUsers", "userarn");

        private final String field;
        private final String arnKey;

        Kind(String field, String arnKey) {
            this.field = field;
            this.arnKey = arnKey;
        }

        /** The ConfigMap data key: {@code mapRoles} or {@code mapUsers}. */
        public String field() {
            return field;
        }

        /** The key of the ARN in each entry: {@code rolearn} or {@code userarn}. */
        public String arnKey() {
            return arnKey;
        }
    }

    /**
     * @param field the ConfigMap data key ({@code mapRoles}, {@code mapUsers}, {@code mapAccounts})
     * @param index the entry's position in that list, from 0
     * @param line  the entry's first line in the data value, from 1
     */
    public record Source(String field, int index, int line) {
        @Override
        public String toString() {
            return field + "[" + index + "] (line " + line + ")";
        }
    }

    public Mapping {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(username, "username");
        groups = List.copyOf(groups);
    }
}
