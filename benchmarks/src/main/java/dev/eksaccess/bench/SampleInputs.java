package dev.eksaccess.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** The events the benchmarks feed the functions: each one new, so every run does the full work of a first delivery. */
final class SampleInputs {

    private static final String CREATE_CLUSTER_TEMPLATE = resource("create-cluster-event.json");

    private SampleInputs() {
    }

    /** A CloudTrail CreateCluster event, as EventBridge delivers it, for a new cluster {@code clusterName}. */
    static String createClusterEvent(String account, String region, String clusterName) {
        return CREATE_CLUSTER_TEMPLATE
                .replace("{{ACCOUNT}}", account)
                .replace("{{REGION}}", region)
                .replace("{{CLUSTER}}", clusterName)
                .replace("{{EVENT_ID}}", UUID.randomUUID().toString())
                .replace("{{TIME}}", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    }

    /** A grant-queue message (contract v1): view access on the whole cluster for role {@code roleName}. */
    static String grantBody(String account, String clusterName, String roleName) {
        return "{\"action\":\"grant\",\"clusterName\":\"" + clusterName + "\",\"principalArn\":\"arn:aws:iam::"
                + account + ":role/" + roleName + "\",\"accessPolicy\":\"AmazonEKSViewPolicy\","
                + "\"accessScope\":{\"type\":\"cluster\"},\"requestedBy\":\"bench@example.com\"}";
    }

    private static String resource(String name) {
        try (InputStream in = SampleInputs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
