package dev.eksaccess.authz;

import java.util.Optional;

/**
 * IAM's unique ids of users and roles, which the SQS SenderId carries instead of an ARN (IAM GetUser / GetRole).
 */
@FunctionalInterface
public interface PrincipalIds {

    /**
     * The unique id ({@code AIDA…} or {@code AROA…}) of the user or role, or empty when IAM has no such principal.
     *
     * @throws RuntimeException when IAM cannot answer (an outage, missing permission): never taken for "no such
     *                          principal"
     */
    Optional<String> uniqueIdOf(String principalArn);
}
