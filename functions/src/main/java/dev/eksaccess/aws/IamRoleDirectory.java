package dev.eksaccess.aws;

import dev.eksaccess.awsauth.RoleDirectory;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * {@link RoleDirectory} on IAM {@code GetRole}: a role's ARN with its path, from its name. Each account is asked with
 * the client {@code iamOfAccount} gives (the home account's, or one through the cross-account role); an account that
 * cannot be asked, or an error, is a failed look-up, never a guess.
 */
public final class IamRoleDirectory implements RoleDirectory {

    private final Function<String, IamClient> iamOfAccount;

    public IamRoleDirectory(Function<String, IamClient> iamOfAccount) {
        this.iamOfAccount = iamOfAccount;
    }

    @Override
    public Lookup role(String accountId, String roleName) {
        try {
            String arn = iamOfAccount.apply(accountId).getRole(r -> r.roleName(roleName)).role().arn();
            if (!arn.split(":")[4].equals(accountId)) {
                return new Lookup.Failed("IAM answered from account " + arn.split(":")[4] + ", not " + accountId
                        + ": these credentials cannot see account " + accountId);
            }
            return new Lookup.Found(arn);
        } catch (NoSuchEntityException e) {
            return new Lookup.Missing();
        } catch (SdkException | IllegalStateException e) {
            return new Lookup.Failed("IAM GetRole " + roleName + " in account " + accountId + ": " + e.getMessage());
        }
    }
}
