package dev.eksaccess.eks;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An EKS access entry as the system sees it.
 *
 * @param principalArn     IAM user or role ARN (immutable in EKS)
 * @param type             STANDARD, EC2_LINUX, FARGATE_LINUX, ...; only STANDARD entries carry groups and policies
 * @param kubernetesGroups groups the principal is mapped to
 * @param username         Kubernetes username, or null when EKS chose the default
 * @param tags             the entry's tags; {@link #MANAGED_BY_TAG} marks entries this system created
 */
public record AccessEntry(String principalArn, String type, List<String> kubernetesGroups, String username,
                          Map<String, String> tags) {

    public static final String STANDARD = "STANDARD";
    /** Tag key and value that mark an entry as created by this system; only such entries are ever deleted. */
    public static final String MANAGED_BY_TAG = "managed-by";
    public static final String MANAGED_BY_VALUE = "eks-access";
    /** Tag with the id of the request that created the entry, for audit. */
    public static final String REQUEST_ID_TAG = "eks-access/request-id";

    public AccessEntry {
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(type, "type");
        kubernetesGroups = kubernetesGroups == null ? List.of() : List.copyOf(kubernetesGroups);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public boolean isStandard() {
        return STANDARD.equals(type);
    }

    /** Whether this system created the entry (it carries the managed-by tag). */
    public boolean createdByThisSystem() {
        return MANAGED_BY_VALUE.equals(tags.get(MANAGED_BY_TAG));
    }
}
