package dev.eksaccess.drift;

import dev.eksaccess.contract.AccessChangeEventPattern;
import dev.eksaccess.creation.CloudTrailEnvelope;
import dev.eksaccess.creation.Creator;
import dev.eksaccess.creation.CreatorResolver;
import dev.eksaccess.creation.JsonFields;
import dev.eksaccess.creation.MalformedEventException;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a CloudTrail event selected by {@link AccessChangeEventPattern} into an {@link AccessChange}, or says why it
 * is not one (a failed call changed nothing; an {@code UpdateClusterConfig} without {@code accessConfig} changed
 * logging or networking, not access).
 *
 * <p>Every malformed or missing field is reported by its path. The cluster name comes from
 * {@code requestParameters.name}, else {@code clusterName} (EKS's events use both for the path parameter); a principal
 * ARN that arrives URL-encoded, as path parameters sometimes do in CloudTrail, is decoded.
 */
public final class AccessChangeParser {

    private final CreatorResolver identities = new CreatorResolver();

    /** What one event is. */
    public sealed interface Parsed {
    }

    /** A call that changed access. */
    public record Change(AccessChange change) implements Parsed {
    }

    /** A watched call that changed nothing about access, and why. */
    public record NotAChange(String eventId, String eventName, String reason) implements Parsed {
    }

    /**
     * Parses the raw event.
     *
     * @throws MalformedEventException naming the field when the event is not a CloudTrail EKS event of a watched call
     *                                 or a field it needs is missing or malformed
     */
    public Parsed parse(byte[] event) {
        JsonFields envelope = JsonFields.readEvent(event);
        String eventId = envelope.optionalObject("detail").flatMap(d -> d.optionalText("eventID")).orElse(null);
        try {
            return parse(envelope);
        } catch (MalformedEventException e) {
            throw new MalformedEventException(e.getMessage(), eventId);
        }
    }

    private Parsed parse(JsonFields envelope) {
        JsonFields detail = CloudTrailEnvelope.eksDetail(envelope, "a CloudTrail event from EKS");
        String eventName = detail.text("eventName");
        AccessChange.Kind kind = Arrays.stream(AccessChange.Kind.values())
                .filter(k -> k.eventName().equals(eventName)).findFirst()
                .orElseThrow(() -> new MalformedEventException(detail.pathOf("eventName") + " is '" + eventName
                        + "', not one of " + AccessChangeEventPattern.EVENT_NAMES));
        String eventId = detail.text("eventID");
        Optional<String> errorCode = detail.optionalText("errorCode");
        if (errorCode.isPresent()) {
            return new NotAChange(eventId, eventName, "the call failed (" + errorCode.get() + "), so nothing changed");
        }
        JsonFields request = detail.object("requestParameters");
        if (kind == AccessChange.Kind.AUTHENTICATION_MODE) {
            Optional<String> mode = request.optionalObject("accessConfig")
                    .flatMap(access -> access.optionalText("authenticationMode"));
            if (mode.isEmpty()) {
                return new NotAChange(eventId, eventName,
                        "UpdateClusterConfig without accessConfig.authenticationMode changes no access");
            }
            return new Change(new AccessChange(eventId, CloudTrailEnvelope.instant(detail, "eventTime"), cluster(envelope, detail, request),
                    kind, null, null, null, List.of(), mode.get(), actor(detail)));
        }
        String principal = decoded(request.text("principalArn"));
        String policy = kind == AccessChange.Kind.ASSOCIATE_POLICY || kind == AccessChange.Kind.DISASSOCIATE_POLICY
                ? decoded(request.text("policyArn")) : null;
        AccessScope scope = kind == AccessChange.Kind.ASSOCIATE_POLICY ? scope(request.object("accessScope")) : null;
        return new Change(new AccessChange(eventId, CloudTrailEnvelope.instant(detail, "eventTime"), cluster(envelope, detail, request),
                kind, principal, policy, scope, request.optionalStrings("kubernetesGroups"), null, actor(detail)));
    }

    private Creator actor(JsonFields detail) {
        return identities.resolve(detail.value("userIdentity"));
    }

    private static AccessScope scope(JsonFields scope) {
        String type = scope.text("type");
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "cluster" -> AccessScope.cluster();
            case "namespace" -> AccessScope.namespaces(scope.optionalStrings("namespaces"));
            default -> throw new MalformedEventException(scope.pathOf("type") + " is not cluster or namespace: " + type);
        };
    }

    private static ClusterRef cluster(JsonFields envelope, JsonFields detail, JsonFields request) {
        String name = request.optionalText("name").or(() -> request.optionalText("clusterName"))
                .orElseThrow(() -> new MalformedEventException(request.pathOf("name") + " (or clusterName) is missing"));
        if (!ClusterRef.isValidName(name)) {
            throw new MalformedEventException(request.pathOf("name") + " is not a valid EKS cluster name: " + name);
        }
        String account = CloudTrailEnvelope.account(envelope, detail);
        String region = CloudTrailEnvelope.region(envelope, detail);
        return new ClusterRef(ClusterRef.partitionOf(region), region, account, name);
    }

    /** A path parameter as CloudTrail may record it, URL-encoded ({@code arn%3Aaws%3Aiam...}), made plain. */
    static String decoded(String value) {
        return value.contains("%") ? URLDecoder.decode(value, StandardCharsets.UTF_8) : value;
    }
}
