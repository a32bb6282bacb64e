package dev.eksaccess.contract;

import java.util.List;

/**
 * The EventBridge pattern that selects CloudTrail calls to EKS that can change who may reach a cluster: the
 * access-entry and access-policy calls, and {@code UpdateClusterConfig} (which may carry an {@code accessConfig};
 * calls without one are recognised and skipped by the reader, since a pattern cannot say "this field exists" for one
 * event name only without an {@code $or} that CloudFormation validates less well).
 *
 * <p>The single definition: the CDK app deploys exactly this pattern, the tests match it against every sample in
 * {@code events/cloudtrail/} with AWS Event Ruler, and the reader of these events checks the event names against it.
 */
public final class AccessChangeEventPattern {

    private static final String RESOURCE = "access-change-event-pattern.json";

    /** The event names, in the pattern's order. */
    public static final List<String> EVENT_NAMES = List.of("CreateAccessEntry", "UpdateAccessEntry",
            "DeleteAccessEntry", "AssociateAccessPolicy", "DisassociateAccessPolicy", "UpdateClusterConfig");

    private AccessChangeEventPattern() {
    }

    /** The pattern as EventBridge JSON. */
    public static String json() {
        return ClassPathText.read(RESOURCE);
    }
}
