package dev.eksaccess.drift;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.drift.AccessChange.Kind;
import dev.eksaccess.drift.ChangeClass.Severity;
import dev.eksaccess.eks.AccessScope;
import java.util.Optional;

/**
 * Judges a change that someone other than this system made to a cluster's access (see docs/drift.md).
 *
 * <p>Lockout risk, first: a move to the {@code API} authentication mode (every aws-auth mapping stops working); the
 * creator's entry deleted, updated or losing a policy; and any change that could take cluster admin away
 * (deleting an entry, disassociating AmazonEKSClusterAdminPolicy, narrowing it to namespaces) after which at most one
 * principal holds it at cluster scope. Then conflicts: a change to a policy a grant of this system holds, the deletion
 * of an entry holding such a policy, an update of an entry this system created. Everything else is harmless: new
 * entries and policies for principals the system does not manage are reported, not judged.
 */
public final class ChangeClassifier {

    /** Whether {@code policyArn} is AmazonEKSClusterAdminPolicy, in any partition. */
    static boolean isClusterAdmin(String policyArn) {
        return policyArn != null && policyArn.endsWith(":cluster-access-policy/" + AccessPolicies.CLUSTER_ADMIN);
    }

    public ChangeClass classify(AccessChange change, ClusterAccessView view) {
        return lockoutRisk(change, view).map(reason -> new ChangeClass(Severity.LOCKOUT_RISK, reason))
                .or(() -> conflict(change, view).map(reason -> new ChangeClass(Severity.CONFLICTS_WITH_GRANT, reason)))
                .orElseGet(() -> new ChangeClass(Severity.HARMLESS, harmless(change)));
    }

    private static Optional<String> lockoutRisk(AccessChange change, ClusterAccessView view) {
        if (change.kind() == Kind.AUTHENTICATION_MODE) {
            return "API".equals(change.authenticationMode())
                    ? Optional.of("the cluster moved to authentication mode API: every aws-auth mapping stopped working, "
                            + "so principals mapped only there lost access")
                    : Optional.empty();
        }
        String principal = change.principalArn();
        if (principal.equals(view.creatorPrincipalArn()) && touchesExisting(change.kind())) {
            return Optional.of("the cluster creator's entry was changed (" + change.kind().eventName() + ")");
        }
        if (!canRemoveClusterAdmin(change)) {
            return Optional.empty();
        }
        int left = view.clusterAdminsNow().size();
        if (left == 0) {
            return Optional.of("no principal holds AmazonEKSClusterAdminPolicy at cluster scope any more");
        }
        boolean tookAdmin = change.kind() != Kind.DELETE_ENTRY || view.grantedTo(principal).stream().anyMatch(ChangeClassifier::isClusterAdmin);
        if (left == 1 && tookAdmin) {
            return Optional.of("cluster admin was taken from " + principal + "; only "
                    + view.clusterAdminsNow().iterator().next() + " holds it at cluster scope now");
        }
        return Optional.empty();
    }

    private static boolean touchesExisting(Kind kind) {
        return kind == Kind.DELETE_ENTRY || kind == Kind.UPDATE_ENTRY || kind == Kind.DISASSOCIATE_POLICY;
    }

    /** Whether the change can have taken AmazonEKSClusterAdminPolicy at cluster scope from its principal. */
    private static boolean canRemoveClusterAdmin(AccessChange change) {
        return switch (change.kind()) {
            case DELETE_ENTRY -> true;
            case DISASSOCIATE_POLICY -> isClusterAdmin(change.policyArn());
            case ASSOCIATE_POLICY -> isClusterAdmin(change.policyArn())
                    && change.scope() != null && change.scope().type() == AccessScope.Type.NAMESPACE;
            default -> false;
        };
    }

    private static Optional<String> conflict(AccessChange change, ClusterAccessView view) {
        String principal = change.principalArn();
        return switch (change.kind()) {
            case DELETE_ENTRY -> view.grantedTo(principal).isEmpty() ? Optional.empty()
                    : Optional.of("the entry held policies granted by eks-access: " + view.grantedTo(principal));
            case ASSOCIATE_POLICY, DISASSOCIATE_POLICY -> view.grantedTo(principal).contains(change.policyArn())
                    ? Optional.of(change.policyArn() + " is held by an eks-access grant to " + principal)
                    : Optional.empty();
            case UPDATE_ENTRY -> view.entriesWeCreated().contains(principal)
                    ? Optional.of("the entry was created by eks-access; its groups or username were changed")
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static String harmless(AccessChange change) {
        return change.kind() == Kind.AUTHENTICATION_MODE
                ? "authentication mode " + change.authenticationMode() + " keeps aws-auth mappings working"
                : "touches no grant of eks-access and leaves a cluster admin";
    }
}
