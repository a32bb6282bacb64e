package dev.eksaccess.creation;

/**
 * Who called {@code CreateCluster}, as the system records it.
 *
 * @param identityType         CloudTrail {@code userIdentity.type} (IAMUser, AssumedRole, Root, ...)
 * @param principalArn         for IAM users the user ARN; for assumed roles the IAM role ARN with its path (never
 *                             the STS session ARN); for other identities their CloudTrail ARN, or null when the
 *                             event carries none
 * @param sessionName          role or federation session name, or null
 * @param invokedBy            the AWS service that called on the principal's behalf, or null
 * @param accessEntryPrincipal whether the system may grant this principal an access entry (IAM users and roles
 *                             other than service-linked roles)
 * @param limitation           when {@code accessEntryPrincipal} is false: what the system will not do for this
 *                             creator and why; otherwise null
 */
public record Creator(
        String identityType,
        String principalArn,
        String sessionName,
        String invokedBy,
        boolean accessEntryPrincipal,
        String limitation) {

    /** A creator that can be given an access entry. */
    static Creator principal(String identityType, String principalArn, String sessionName, String invokedBy) {
        return new Creator(identityType, principalArn, sessionName, invokedBy, true, null);
    }

    /**
     * The creator of a cluster that existed before the system, when its CreateCluster event cannot be found
     * (docs/adopt.md): recorded as identity type {@value #UNKNOWN}, never granted anything, with the reason.
     */
    public static Creator unknown(String why) {
        return new Creator(UNKNOWN, null, null, null, false, "creator unknown: " + why);
    }

    /** The identity type recorded for a creator that could not be found. */
    public static final String UNKNOWN = "Unknown";

    /** A creator that the system records but never grants anything, with the reason. */
    static Creator notAPrincipal(String identityType, String arn, String sessionName, String invokedBy, String why) {
        return new Creator(identityType, arn, sessionName, invokedBy, false,
                "creator admin not granted: " + why);
    }
}
