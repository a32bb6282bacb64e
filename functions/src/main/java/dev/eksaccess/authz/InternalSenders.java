package dev.eksaccess.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The roles of the system's own functions, the only senders whose internal messages are trusted: {@code bootstrap}
 * from the cluster-creation function's role, and from the grant processor's own role the copies of a bootstrap that
 * waits for its cluster; expiry revokes and approval expiries from the expiry sweep's role; restores from the drift
 * function's role. Unset (tests of one function, a deployment that forgot them): those messages are rejected, never
 * trusted.
 */
public record InternalSenders(Optional<String> clusterCreationRoleArn, Optional<String> expirySweepRoleArn,
                              Optional<String> grantProcessorRoleArn, Optional<String> driftFunctionRoleArn,
                              Optional<String> adoptionRoleArn) {

    public static final InternalSenders NONE = new InternalSenders(Optional.empty(), Optional.empty());

    /** Without the processor's own role: its copies of waiting bootstraps are not trusted. */
    public InternalSenders(Optional<String> clusterCreationRoleArn, Optional<String> expirySweepRoleArn) {
        this(clusterCreationRoleArn, expirySweepRoleArn, Optional.empty());
    }

    /** Without the drift function's and the adoption function's roles: restores and adopted clusters' bootstraps are not trusted. */
    public InternalSenders(Optional<String> clusterCreationRoleArn, Optional<String> expirySweepRoleArn,
                           Optional<String> grantProcessorRoleArn) {
        this(clusterCreationRoleArn, expirySweepRoleArn, grantProcessorRoleArn, Optional.empty(), Optional.empty());
    }

    /** The same senders, with the drift function's role, the only sender of restores. */
    public InternalSenders withDriftFunction(String roleArn) {
        return new InternalSenders(clusterCreationRoleArn, expirySweepRoleArn, grantProcessorRoleArn,
                Optional.of(roleArn), adoptionRoleArn);
    }

    /** The drift function, asking to restore grants someone else changed. */
    public boolean isDriftFunction(Sender sender) {
        return driftFunctionRoleArn.filter(sender.arn()::equals).isPresent();
    }

    /** The same senders, with the adoption function's role (docs/adopt.md). */
    public InternalSenders withAdoption(String roleArn) {
        return new InternalSenders(clusterCreationRoleArn, expirySweepRoleArn, grantProcessorRoleArn,
                driftFunctionRoleArn, Optional.of(roleArn));
    }

    /** The adoption function, bootstrapping a cluster that existed before the system. */
    public boolean isAdoption(Sender sender) {
        return adoptionRoleArn.filter(sender.arn()::equals).isPresent();
    }

    public boolean isClusterCreation(Sender sender) {
        return clusterCreationRoleArn.filter(sender.arn()::equals).isPresent();
    }

    /** The grant processor itself, sending a waiting bootstrap again. */
    public boolean isGrantProcessor(Sender sender) {
        return grantProcessorRoleArn.filter(sender.arn()::equals).isPresent();
    }

    /** Whether the processor can send a waiting bootstrap again and trust the copy. */
    public boolean trustsOwnCopies() {
        return grantProcessorRoleArn.isPresent();
    }

    public boolean isExpirySweep(Sender sender) {
        return expirySweepRoleArn.filter(sender.arn()::equals).isPresent();
    }

    /** The ARNs to resolve sender ids for. */
    public List<String> arns() {
        List<String> arns = new ArrayList<>();
        clusterCreationRoleArn.ifPresent(arns::add);
        expirySweepRoleArn.ifPresent(arns::add);
        grantProcessorRoleArn.ifPresent(arns::add);
        driftFunctionRoleArn.ifPresent(arns::add);
        adoptionRoleArn.ifPresent(arns::add);
        return arns;
    }
}
