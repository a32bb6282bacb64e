package dev.eksaccess.emulator.eks;

import java.time.Instant;
import java.util.Map;

/**
 * A cluster update as DescribeUpdate would show it.
 *
 * @param status {@code InProgress}, {@code Successful}, {@code Failed} or {@code Cancelled}
 * @param params the update's parameters, such as {@code AuthenticationMode → API}
 */
public record ClusterUpdateSnapshot(String id, String type, String status, Map<String, String> params, Instant createdAt) {

    public ClusterUpdateSnapshot {
        params = Map.copyOf(params);
    }
}
