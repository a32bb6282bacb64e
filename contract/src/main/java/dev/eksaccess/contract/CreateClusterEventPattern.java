package dev.eksaccess.contract;

import java.util.List;

/**
 * The EventBridge pattern that selects CloudTrail {@code CreateCluster} calls to EKS.
 *
 * <p>This is the single definition: the CDK app deploys exactly this pattern, the tests match it against
 * every sample in {@code events/} with AWS Event Ruler, and the local sandbox routes events with it.
 */
public final class CreateClusterEventPattern {

    public static final String SOURCE = "aws.eks";
    public static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
    public static final String EVENT_SOURCE = "eks.amazonaws.com";
    public static final String EVENT_NAME = "CreateCluster";

    private static final String RESOURCE = "create-cluster-event-pattern.json";

    private CreateClusterEventPattern() {
    }

    /** The pattern as EventBridge JSON. */
    public static String json() {
        return ClassPathText.read(RESOURCE);
    }

    /** {@code source} values, for APIs (such as CDK's {@code EventPattern}) that take the fields one by one. */
    public static List<String> sources() {
        return List.of(SOURCE);
    }

    public static List<String> detailTypes() {
        return List.of(DETAIL_TYPE);
    }

    public static List<String> eventSources() {
        return List.of(EVENT_SOURCE);
    }

    public static List<String> eventNames() {
        return List.of(EVENT_NAME);
    }
}
