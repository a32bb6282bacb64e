package dev.eksaccess.eks;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An access entry to create: STANDARD, or (only for a migrated node role) {@link #EC2_LINUX}, which carries no groups
 * or username of its own.
 *
 * @param principalArn       IAM user or role ARN
 * @param kubernetesGroups   groups, possibly empty
 * @param username           username, or null for the EKS default
 * @param tags               tags to put on the entry
 * @param clientRequestToken idempotency token, so a retried create does not fail or duplicate
 * @param type               {@link AccessEntry#STANDARD} or {@link #EC2_LINUX}
 */
public record NewAccessEntry(String principalArn, List<String> kubernetesGroups, String username,
                             Map<String, String> tags, String clientRequestToken, String type) {

    /** The entry type of a Linux node role, the one non-STANDARD type this system creates (migrations only). */
    public static final String EC2_LINUX = "EC2_LINUX";

    public NewAccessEntry {
        Objects.requireNonNull(principalArn, "principalArn");
        kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (!AccessEntry.STANDARD.equals(type) && !EC2_LINUX.equals(type)) {
            throw new IllegalArgumentException("this system creates STANDARD and EC2_LINUX entries only, not " + type);
        }
        if (EC2_LINUX.equals(type) && (!kubernetesGroups.isEmpty() || username != null)) {
            throw new IllegalArgumentException("an EC2_LINUX entry has no groups or username of its own");
        }
    }

    /** A STANDARD entry. */
    public NewAccessEntry(String principalArn, List<String> kubernetesGroups, String username,
                          Map<String, String> tags, String clientRequestToken) {
        this(principalArn, kubernetesGroups, username, tags, clientRequestToken, AccessEntry.STANDARD);
    }
}
