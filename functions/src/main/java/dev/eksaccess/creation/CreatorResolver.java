package dev.eksaccess.creation;

import dev.eksaccess.json.JsonValue;
import dev.eksaccess.json.JsonValue.JsonNull;
import dev.eksaccess.json.JsonValue.JsonObject;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works out the creator of a cluster from CloudTrail's {@code userIdentity}.
 *
 * <p>Access entries take IAM user and role ARNs only, and a role ARN must keep its path. For an assumed role
 * CloudTrail's {@code arn} is the STS session ARN, which never carries the path and is refused by EKS, so the
 * principal is {@code sessionContext.sessionIssuer.arn}. IAM Identity Center roles keep their
 * {@code aws-reserved/sso.amazonaws.com/[REGION/]} path the same way. Identities that are not IAM users or roles
 * (root, federated users, Identity Center users, AWS services) are recorded with a note saying what the system
 * will not do for them.
 */
public final class CreatorResolver {

    private static final String PARTITION = "(aws|aws-cn|aws-us-gov)";
    private static final Pattern IAM_USER = Pattern.compile("arn:" + PARTITION + ":iam::\\d{12}:user/[\\w+=,.@/-]{1,512}");
    private static final Pattern IAM_ROLE = Pattern.compile("arn:" + PARTITION + ":iam::\\d{12}:role/([\\w+=,.@/-]{1,512})");
    private static final Pattern STS_SESSION = Pattern.compile(
            "arn:" + PARTITION + ":sts::\\d{12}:(assumed-role/[\\w+=,.@-]+|federated-user)/([\\w+=,.@-]+)");

    /**
     * The creator described by {@code userIdentity}.
     *
     * @param userIdentity the {@code detail.userIdentity} object
     * @throws MalformedEventException naming the field when a field that the identity type needs is missing or
     *                                 malformed
     */
    public Creator resolve(JsonValue userIdentity) {
        if (userIdentity == null || userIdentity instanceof JsonNull) {
            throw new MalformedEventException("detail.userIdentity is missing");
        }
        if (!(userIdentity instanceof JsonObject object)) {
            throw new MalformedEventException("detail.userIdentity is not a JSON object");
        }
        JsonFields identity = new JsonFields(object, "detail.userIdentity");
        String type = identity.text("type");
        String invokedBy = identity.optionalText("invokedBy").orElse(null);
        return switch (type) {
            case "IAMUser" -> iamUser(identity, invokedBy);
            case "AssumedRole" -> assumedRole(identity, invokedBy);
            case "Root" -> root(identity, invokedBy);
            case "FederatedUser" -> federatedUser(identity, invokedBy);
            case "IdentityCenterUser" -> identityCenterUser(identity, invokedBy);
            case "AWSService" -> Creator.notAPrincipal(type, null, null, invokedBy,
                    "the cluster was created by the AWS service " + (invokedBy == null ? "(not named)" : invokedBy)
                            + " acting on its own behalf; there is no IAM user or role to give an access entry");
            default -> Creator.notAPrincipal(type, identity.optionalText("arn").orElse(null), null, invokedBy,
                    "identity type " + type + " is not an IAM user or an assumed IAM role, the only creators "
                            + "this system gives access entries");
        };
    }

    private static Creator iamUser(JsonFields identity, String invokedBy) {
        String arn = identity.text("arn");
        if (!IAM_USER.matcher(arn).matches()) {
            throw new MalformedEventException(identity.pathOf("arn") + " is not an IAM user ARN: " + arn);
        }
        return Creator.principal("IAMUser", arn, null, invokedBy);
    }

    private static Creator assumedRole(JsonFields identity, String invokedBy) {
        JsonFields issuer = identity.object("sessionContext").object("sessionIssuer");
        Optional<String> issuerType = issuer.optionalText("type");
        if (issuerType.isPresent() && !issuerType.get().equals("Role")) {
            throw new MalformedEventException(issuer.pathOf("type") + " is '" + issuerType.get()
                    + "' for an AssumedRole identity; expected 'Role'");
        }
        // The session ARN never carries the role's path, so it cannot stand in for a missing issuer ARN.
        String roleArn = issuer.text("arn");
        Matcher role = IAM_ROLE.matcher(roleArn);
        if (!role.matches()) {
            throw new MalformedEventException(issuer.pathOf("arn") + " is not an IAM role ARN: " + roleArn);
        }
        String sessionName = sessionName(identity);
        if (role.group(2).startsWith("aws-service-role/")) {
            return Creator.notAPrincipal("AssumedRole", roleArn, sessionName, invokedBy,
                    "the cluster was created by a service-linked role, which EKS refuses as an access-entry principal");
        }
        return Creator.principal("AssumedRole", roleArn, sessionName, invokedBy);
    }

    private static Creator root(JsonFields identity, String invokedBy) {
        String arn = identity.text("arn");
        return Creator.notAPrincipal("Root", arn, null, invokedBy,
                "the account root user is not an IAM user or role; this system grants access entries to IAM users "
                        + "and roles only (use a role in adminPrincipals instead)");
    }

    private static Creator federatedUser(JsonFields identity, String invokedBy) {
        String arn = identity.text("arn");
        String issuer = identity.optionalObject("sessionContext")
                .flatMap(context -> context.optionalObject("sessionIssuer"))
                .flatMap(sessionIssuer -> sessionIssuer.optionalText("arn"))
                .orElse("an IAM user");
        return Creator.notAPrincipal("FederatedUser", arn, sessionName(identity), invokedBy,
                "a federated user session (GetFederationToken) is not an IAM user or role; the issuing "
                        + issuer + " was not granted either, because it is a different principal");
    }

    private static Creator identityCenterUser(JsonFields identity, String invokedBy) {
        String who = identity.optionalObject("onBehalfOf")
                .map(onBehalfOf -> "user " + onBehalfOf.optionalText("userId").orElse("(no userId)")
                        + onBehalfOf.optionalText("identityStoreArn").map(store -> " of " + store).orElse(""))
                .orElse("user (no onBehalfOf in the event)");
        return Creator.notAPrincipal("IdentityCenterUser", identity.optionalText("arn").orElse(null), null, invokedBy,
                "IAM Identity Center " + who + " acted without an IAM role session; this system grants access "
                        + "entries to IAM users and roles only (grant the user's permission-set role instead)");
    }

    /** The session name from the STS ARN, else from the {@code principalId} suffix; null when neither has one. */
    private static String sessionName(JsonFields identity) {
        Optional<String> fromArn = identity.optionalText("arn")
                .map(STS_SESSION::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(3));
        if (fromArn.isPresent()) {
            return fromArn.get();
        }
        return identity.optionalText("principalId")
                .filter(id -> id.indexOf(':') >= 0)
                .map(id -> id.substring(id.indexOf(':') + 1))
                .orElse(null);
    }
}
