package dev.eksaccess.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The roles of the system's own functions, the only senders whose internal messages are trusted: {@code bootstrap}
 * from the cluster-creation function's role, expiry revokes and approval expiries from the expiry sweep's role.
 * Unset (tests of one function, a deployment that forgot them): those messages are rejected, never trusted.
 */
public record InternalSenders(Optional<String> clusterCreationRoleArn, Optional<String> expirySweepRoleArn) {

    public static final InternalSenders NONE = new InternalSenders(Optional.empty(), Optional.empty());

    public boolean isClusterCreation(Sender sender) {
        return clusterCreationRoleArn.filter(sender.arn()::equals).isPresent();
    }

    public boolean isExpirySweep(Sender sender) {
        return expirySweepRoleArn.filter(sender.arn()::equals).isPresent();
    }

    /** The ARNs to resolve sender ids for. */
    public List<String> arns() {
        List<String> arns = new ArrayList<>();
        clusterCreationRoleArn.ifPresent(arns::add);
        expirySweepRoleArn.ifPresent(arns::add);
        return arns;
    }
}
