package dev.eksaccess.cdk;

import java.util.Objects;

/**
 * The tag a cluster carries to opt in to this system ({@code clusterTag}, written {@code key=value}): the functions'
 * roles may read and switch only clusters with it ({@code aws:ResourceTag}), so a new cluster is managed once tagged,
 * with no redeploy.
 *
 * @param key   tag key
 * @param value tag value
 */
public record ClusterTag(String key, String value) {

    public ClusterTag {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
