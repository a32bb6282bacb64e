package dev.eksaccess.emulator.eks;

/** The cluster statuses EKS reports; the emulator moves clusters between the first three by itself. */
public enum ClusterStatus {
    CREATING,
    ACTIVE,
    UPDATING,
    DELETING,
    FAILED,
    PENDING
}
