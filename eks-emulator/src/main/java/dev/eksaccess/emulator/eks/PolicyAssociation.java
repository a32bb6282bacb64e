package dev.eksaccess.emulator.eks;

import java.time.Instant;

/** An access policy associated with an access entry, as the emulator holds it. */
public record PolicyAssociation(String policyArn, AccessScope scope, Instant associatedAt, Instant modifiedAt) {

    /** The policy's short name, such as {@code AmazonEKSClusterAdminPolicy}. */
    public String policyName() {
        return policyArn.substring(policyArn.lastIndexOf('/') + 1);
    }
}
