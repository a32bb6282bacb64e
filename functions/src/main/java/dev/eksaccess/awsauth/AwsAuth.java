package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code kube-system/aws-auth} ConfigMap as read: its role and user mappings and its mapped accounts.
 *
 * @param resourceVersion the ConfigMap's {@code metadata.resourceVersion}, which names the version a plan was made
 *                        from; empty when the source gave none (a sample file)
 * @param mappings        {@code mapRoles} then {@code mapUsers}, each in its order
 * @param accounts        {@code mapAccounts}, in its order
 */
public record AwsAuth(Optional<String> resourceVersion, List<Mapping> mappings, List<MappedAccount> accounts) {

    /**
     * An entry of {@code mapAccounts}: every IAM principal of the account, with its ARN as username and no group.
     *
     * @param source    where it is
     * @param accountId the 12-digit account id
     */
    public record MappedAccount(Mapping.Source source, String accountId) {
    }

    public AwsAuth {
        Objects.requireNonNull(resourceVersion, "resourceVersion");
        mappings = List.copyOf(mappings);
        accounts = List.copyOf(accounts);
    }
}
