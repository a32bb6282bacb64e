package dev.eksaccess.creation;

import dev.eksaccess.contract.AccountId;
import dev.eksaccess.contract.CreateClusterEventPattern;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The parts every CloudTrail event from EKS shares, as EventBridge delivers it: the envelope's source and detail-type,
 * the event source, the account, the region, instants. One reading for both event readers (CreateCluster here, the
 * access changes in {@code drift}), each error naming its field.
 */
public final class CloudTrailEnvelope {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private CloudTrailEnvelope() {
    }

    /**
     * The {@code detail} of an EKS CloudTrail event, after checking the envelope says so.
     *
     * @param what the event described in errors, such as "a CloudTrail CreateCluster event from EKS"
     */
    public static JsonFields eksDetail(JsonFields envelope, String what) {
        expect(envelope, "source", CreateClusterEventPattern.SOURCE, what);
        expect(envelope, "detail-type", CreateClusterEventPattern.DETAIL_TYPE, what);
        JsonFields detail = envelope.object("detail");
        expect(detail, "eventSource", CreateClusterEventPattern.EVENT_SOURCE, what);
        return detail;
    }

    /** Fails, naming the field, unless {@code field} holds {@code expected}. */
    public static void expect(JsonFields fields, String field, String expected, String what) {
        String actual = fields.optionalText(field).orElse(null);
        if (!expected.equals(actual)) {
            throw new MalformedEventException("not " + what + ": " + fields.pathOf(field) + " is "
                    + (actual == null ? "missing" : "'" + actual + "'") + ", expected '" + expected + "'");
        }
    }

    /** The account: the envelope's, else {@code detail.recipientAccountId}. */
    public static String account(JsonFields envelope, JsonFields detail) {
        String account = envelope.optionalText("account").or(() -> detail.optionalText("recipientAccountId"))
                .orElseThrow(() -> new MalformedEventException("account and detail.recipientAccountId are both missing"));
        if (!AccountId.isValid(account)) {
            throw new MalformedEventException("account is not a 12-digit AWS account id: " + account);
        }
        return account;
    }

    /** The region: the envelope's, else {@code detail.awsRegion}. */
    public static String region(JsonFields envelope, JsonFields detail) {
        String region = envelope.optionalText("region").or(() -> detail.optionalText("awsRegion"))
                .orElseThrow(() -> new MalformedEventException("region and detail.awsRegion are both missing"));
        if (!REGION.matcher(region).matches()) {
            throw new MalformedEventException("region is not an AWS region: " + region);
        }
        return region;
    }

    /** The ISO-8601 instant at {@code field}, required. */
    public static Instant instant(JsonFields fields, String field) {
        String value = fields.text(field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException(fields.pathOf(field) + " is not an ISO-8601 instant: " + value);
        }
    }
}
