package dev.eksaccess.handler;

import dev.eksaccess.model.ClusterRef;
import java.util.List;

/**
 * The read-only AWS calls a function's deployed wiring makes in its SnapStart priming, after building its clients: a
 * restored environment then starts with the SDK's request path loaded (signing, the protocol's marshalling and
 * unmarshalling, the HTTP client's first exchange), which no in-memory priming reaches. Each call reads something
 * that is not there or that the function may read anyway; its answer is dropped (nothing is cached into the snapshot)
 * and its failure ignored, since priming only warms and must never stop a version from being published.
 */
final class PrimingCalls {

    /** The name of the cluster the registry reads ask for: never an EKS cluster's (EKS allows no dot). */
    static final String ABSENT_CLUSTER = "eks-access.priming";

    private PrimingCalls() {
    }

    /** The ARN of {@link #ABSENT_CLUSTER} in {@code region} (of no account: 000000000000). */
    static String absentClusterArn(String region) {
        return new ClusterRef(ClusterRef.partitionOf(region), region, "000000000000", ABSENT_CLUSTER).arn();
    }

    /** @return how many of {@code calls} completed */
    static int run(List<Runnable> calls) {
        int completed = 0;
        for (Runnable call : calls) {
            try {
                call.run();
                completed++;
            } catch (RuntimeException ignored) {
                // A warm-up that failed warms less; the function works the same.
            }
        }
        return completed;
    }
}
