package dev.eksaccess.awsauth;

/**
 * Finds an IAM role's full ARN, path included, from its account and name (IAM {@code GetRole}): aws-auth holds role
 * ARNs without their path, access entries need it.
 */
@FunctionalInterface
public interface RoleDirectory {

    /** The role named {@code roleName} in {@code accountId}. */
    Lookup role(String accountId, String roleName);

    /** What a look-up found. */
    sealed interface Lookup {
        /** @param arn the role's ARN with its path, as IAM gives it */
        record Found(String arn) implements Lookup {
        }

        /** IAM has no such role. */
        record Missing() implements Lookup {
        }

        /** The look-up itself failed (access denied, throttling, an account out of reach); try again later. */
        record Failed(String reason) implements Lookup {
        }
    }
}
