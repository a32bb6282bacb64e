package dev.eksaccess.eks;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A STANDARD access entry to create.
 *
 * @param principalArn       IAM user or role ARN
 * @param kubernetesGroups   groups, possibly empty
 * @param username           username, or null for the EKS default
 * @param tags               tags to put on the entry
 * @param clientRequestToken idempotency token, so a retried create does not fail or duplicate
 */
public record NewAccessEntry(String principalArn, List<String> kubernetesGroups, String username,
                             Map<String, String> tags, String clientRequestToken) {

    public NewAccessEntry {
        Objects.requireNonNull(principalArn, "principalArn");
        kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
