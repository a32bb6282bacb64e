package dev.eksaccess.aws;

import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.SessionIdentity;
import dev.eksaccess.model.ClusterRef;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * {@link PrincipalIds} on IAM: {@code GetRole} for {@code arn:PARTITION:iam::ACCOUNT:role/PATH/NAME} (its
 * {@code RoleId}, {@code AROA…}), {@code GetUser} for {@code …:user/PATH/NAME} (its {@code UserId}, {@code AIDA…}).
 *
 * <p>Both operations take only the name, and IAM answers with the principal of that name whatever its path. The
 * answer counts only when its ARN is the one asked for: a role of the same name under another path, or a name that
 * differs in case, is not the configured principal, and the answer is empty. {@code NoSuchEntity} is empty too; every
 * other failure (throttling after the SDK's retries, a missing permission, an outage) propagates, so that it is never
 * taken for "no such principal".
 *
 * <p>IAM answers for the caller's own account only. Principals of the function's account are asked with its own
 * credentials; those of other accounts through the cross-account role ({@code CROSS_ACCOUNT_ROLE_NAME}) in their
 * account, as {@link CrossAccountEks} reaches clusters there. Clients are built on first use, one per account.
 *
 * <p>Permissions this needs: the grant processor's role needs {@code iam:GetRole} / {@code iam:GetUser} on the
 * configured ARNs of its own account, and the member accounts' cross-account (spoke) role the same on the configured
 * ARNs of that account. Without them IAM answers {@code AccessDenied}, which propagates as an error.
 */
public final class IamPrincipalIds implements PrincipalIds {

    private static final Pattern USER_OR_ROLE = Pattern.compile("arn:[\\w-]+:iam::(\\d{12}):(role|user)/(?:.*/)?([^/]+)");

    private final Function<String, IamClient> iamOfAccount;

    /** @param iamOfAccount the IAM client that answers for an account id */
    public IamPrincipalIds(Function<String, IamClient> iamOfAccount) {
        this.iamOfAccount = iamOfAccount;
    }

    /** Real clients: the function's credentials at home, the cross-account role (assumed with STS) elsewhere. */
    public static IamPrincipalIds from(AwsClients aws, String homeAccountId, Optional<String> crossAccountRoleName,
                                       Optional<String> externalId) {
        return from(aws, homeAccountId, crossAccountRoleName, externalId, SessionIdentity.GRANT_PROCESSOR);
    }

    /** Like {@link #from(AwsClients, String, Optional, Optional)}, the member sessions naming {@code function}. */
    public static IamPrincipalIds from(AwsClients aws, String homeAccountId, Optional<String> roleName,
                                       Optional<String> externalId, String function) {
        CrossAccountEks.RoleAssumer roles = CrossAccountEks.assumeWithSts(aws, externalId);
        return from(homeAccountId, roleName, ClusterRef.partitionOf(aws.region().id()), aws::iam,
                roleArn -> aws.iam(roles.assume(roleArn, CrossAccountEks.Session.ofFunction(function))));
    }

    /**
     * One client per account, each built on first use: {@code home} for the home account, {@code viaRole} with the
     * ARN of the cross-account role for any other.
     */
    static IamPrincipalIds from(String homeAccountId, Optional<String> crossAccountRoleName, String partition,
                                Supplier<IamClient> home, Function<String, IamClient> viaRole) {
        Map<String, IamClient> clients = new ConcurrentHashMap<>();
        return new IamPrincipalIds(account -> clients.computeIfAbsent(account, a -> {
            if (a.equals(homeAccountId)) {
                return home.get();
            }
            String roleName = crossAccountRoleName.orElseThrow(() -> new IllegalStateException("IAM of account " + a
                    + " cannot be asked: it is not the function's account " + homeAccountId
                    + ", and CROSS_ACCOUNT_ROLE_NAME is not set"));
            return viaRole.apply(IamRoleName.arn(partition, a, roleName));
        }));
    }

    /**
     * Builds (or returns) the client that answers for {@code accountId} without calling IAM: SnapStart priming builds
     * the home account's before the snapshot, so a restored function does not build it on its first message.
     */
    public IamClient clientOf(String accountId) {
        return iamOfAccount.apply(accountId);
    }

    /** @throws IllegalArgumentException when {@code principalArn} is not an IAM user or role ARN */
    @Override
    public Optional<String> uniqueIdOf(String principalArn) {
        Matcher arn = USER_OR_ROLE.matcher(principalArn);
        if (!arn.matches()) {
            throw new IllegalArgumentException("not an IAM user or role ARN: " + principalArn);
        }
        IamClient iam = iamOfAccount.apply(arn.group(1));
        String name = arn.group(3);
        try {
            if (arn.group(2).equals("role")) {
                var role = iam.getRole(r -> r.roleName(name)).role();
                return role.arn().equals(principalArn) ? Optional.of(role.roleId()) : Optional.empty();
            }
            var user = iam.getUser(r -> r.userName(name)).user();
            return user.arn().equals(principalArn) ? Optional.of(user.userId()) : Optional.empty();
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }
}
