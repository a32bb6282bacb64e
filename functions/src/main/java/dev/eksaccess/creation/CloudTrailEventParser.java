package dev.eksaccess.creation;

import dev.eksaccess.contract.CreateClusterEventPattern;
import dev.eksaccess.creation.ClusterCreated.AccessConfigOrigin;
import dev.eksaccess.json.JsonValue.JsonObject;
import dev.eksaccess.json.JsonValue.JsonString;
import dev.eksaccess.model.ClusterRef;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads a CloudTrail {@code CreateCluster} event, as EventBridge delivers it, into a {@link CreateClusterCall}.
 *
 * <p>Every malformed or missing field is reported by its path. Where CloudTrail offers a field in two places the
 * more specific one wins: the cluster ARN from the response (else built from account, region and name), the
 * account from the envelope (else {@code recipientAccountId}), the region from the envelope (else
 * {@code awsRegion}), the name from {@code requestParameters.name} (very old events: {@code clusterName}), and
 * each access setting from the response, else the request, else EKS's defaults for API calls.
 */
public final class CloudTrailEventParser {

    /** EKS's default when neither response nor request names a mode: clusters made through the API get CONFIG_MAP. */
    static final AuthenticationMode DEFAULT_MODE = AuthenticationMode.CONFIG_MAP;
    /** EKS's default for {@code bootstrapClusterCreatorAdminPermissions}. */
    static final boolean DEFAULT_BOOTSTRAP_CREATOR_ADMIN = true;

    private static final String WHAT = "a CloudTrail CreateCluster event from EKS";

    private final CreatorResolver creators = new CreatorResolver();

    /**
     * Parses the raw event.
     *
     * @throws MalformedEventException when the bytes are not JSON, the event is not a CloudTrail CreateCluster
     *                                 event for EKS, or a field it needs is missing or malformed
     */
    public CreateClusterCall parse(byte[] event) {
        return parse(JsonFields.readEvent(event).json());
    }

    private CreateClusterCall parse(JsonObject root) {
        try {
            return parseFields(root);
        } catch (MalformedEventException e) {
            throw new MalformedEventException(e.getMessage(), idOf(root));
        }
    }

    /** The CloudTrail event id, else the EventBridge event id, else null: whatever identifies a rejected event. */
    private static String idOf(JsonObject root) {
        if (root.get("detail") instanceof JsonObject detail
                && detail.get("eventID") instanceof JsonString cloudTrailId) {
            return cloudTrailId.value();
        }
        return root.get("id") instanceof JsonString eventBridgeId ? eventBridgeId.value() : null;
    }

    private CreateClusterCall parseFields(JsonObject root) {
        JsonFields envelope = new JsonFields(root, "");
        JsonFields detail = CloudTrailEnvelope.eksDetail(envelope, WHAT);
        CloudTrailEnvelope.expect(detail, "eventName", CreateClusterEventPattern.EVENT_NAME, WHAT);

        Optional<JsonFields> request = detail.optionalObject("requestParameters");
        Optional<String> requestedName = request.flatMap(r -> r.optionalText("name").or(() -> r.optionalText("clusterName")));
        Optional<String> errorCode = detail.optionalText("errorCode");
        if (errorCode.isPresent()) {
            return new CreateClusterCall.Failed(detail.optionalText("eventID").orElse(null), requestedName.orElse(null),
                    errorCode.get(), detail.optionalText("errorMessage").orElse(null));
        }

        String eventId = detail.text("eventID");
        Instant eventTime = CloudTrailEnvelope.instant(detail, "eventTime");
        Creator creator = creators.resolve(detail.value("userIdentity"));
        Optional<JsonFields> cluster = detail.optionalObject("responseElements").flatMap(r -> r.optionalObject("cluster"));
        String name = requestedName.or(() -> cluster.flatMap(c -> c.optionalText("name")))
                .orElseThrow(() -> new MalformedEventException(
                        "detail.requestParameters.name (or clusterName) is missing"));
        if (!ClusterRef.isValidName(name)) {
            throw new MalformedEventException("detail.requestParameters.name is not a valid EKS cluster name: " + name);
        }
        ClusterRef ref = clusterRef(envelope, detail, cluster, name);

        Optional<JsonFields> responseAccess = cluster.flatMap(c -> c.optionalObject("accessConfig"));
        Optional<JsonFields> requestAccess = request.flatMap(r -> r.optionalObject("accessConfig"));
        Optional<String> responseMode = responseAccess.flatMap(a -> a.optionalText("authenticationMode"));
        Optional<String> requestMode = requestAccess.flatMap(a -> a.optionalText("authenticationMode"));
        Optional<Boolean> responseFlag = responseAccess.flatMap(a -> a.optionalBoolean("bootstrapClusterCreatorAdminPermissions"));
        Optional<Boolean> requestFlag = requestAccess.flatMap(a -> a.optionalBoolean("bootstrapClusterCreatorAdminPermissions"));
        AuthenticationMode mode = responseMode.or(() -> requestMode)
                .map(value -> AuthenticationMode.of(value).orElseThrow(() -> new MalformedEventException(
                        (responseMode.isPresent() ? "detail.responseElements.cluster" : "detail.requestParameters")
                                + ".accessConfig.authenticationMode is not CONFIG_MAP, API_AND_CONFIG_MAP or API: " + value)))
                .orElse(DEFAULT_MODE);
        boolean flag = responseFlag.or(() -> requestFlag).orElse(DEFAULT_BOOTSTRAP_CREATOR_ADMIN);
        AccessConfigOrigin origin = responseMode.isPresent() ? AccessConfigOrigin.RESPONSE
                : requestMode.isPresent() ? AccessConfigOrigin.REQUEST : AccessConfigOrigin.EKS_DEFAULT;

        String source = Optional.ofNullable(creator.invokedBy()).or(() -> detail.optionalText("userAgent")).orElse(null);
        return new ClusterCreated(ref, creator, eventId, eventTime, source, mode, flag, origin);
    }

    private static ClusterRef clusterRef(JsonFields envelope, JsonFields detail, Optional<JsonFields> cluster, String name) {
        String account = CloudTrailEnvelope.account(envelope, detail);
        String region = CloudTrailEnvelope.region(envelope, detail);
        Optional<String> arn = cluster.flatMap(c -> c.optionalText("arn"));
        if (arn.isEmpty()) {
            return new ClusterRef(ClusterRef.partitionOf(region), region, account, name);
        }
        ClusterRef ref = ClusterRef.parseArn(arn.get()).orElseThrow(() -> new MalformedEventException(
                "detail.responseElements.cluster.arn is not an EKS cluster ARN: " + arn.get()));
        // A response that names another cluster than the envelope and request describe is not trustworthy.
        if (!ref.name().equals(name) || !ref.accountId().equals(account) || !ref.region().equals(region)) {
            throw new MalformedEventException("detail.responseElements.cluster.arn " + arn.get()
                    + " does not match the event's cluster " + name + " in account " + account + " and region " + region);
        }
        return ref;
    }
}
