package dev.eksaccess.contract;

import static dev.eksaccess.request.AccessRequest.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sorts the grant processor's rejections into those the contract's JSON Schema must make too and those it cannot
 * ({@link ProcessorOnlyRule}). A rejection that no rule here recognises counts as one the schema must make: a new
 * processor-only rule has to be named here (and in docs/grant-requests.md) before the agreement tests pass.
 */
public final class Rejections {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> AUDIT_TEXT = Set.of(REQUESTED_BY, REASON, USERNAME);
    private static final int MAX_TEXT = 1024;
    private static final int MAX_GROUP = 255;
    /** The shape of an instant, each part any number of digits: how far the parts lie in their ranges is checked below. */
    private static final Pattern INSTANT_PARTS = Pattern.compile("([+-]?)([0-9]+)-([0-9]+)-([0-9]+)[Tt]([0-9]+):([0-9]+):"
            + "([0-9]+)(?:\\.([0-9]*))?(?:[Zz]|[+-]([0-9]+):([0-9]+)(?::([0-9]+))?)");
    /** What java.time.Duration reads (the JDK's own pattern); the numbers may still overflow. */
    private static final Pattern DURATION_SYNTAX = Pattern.compile("[-+]?P(?:[-+]?[0-9]+D)?(T(?:[-+]?[0-9]+H)?"
            + "(?:[-+]?[0-9]+M)?(?:[-+]?[0-9]+(?:[.,][0-9]{0,9})?S)?)?", Pattern.CASE_INSENSITIVE);

    private Rejections() {
    }

    /** The parser's errors on {@code body} that the schema must make too. */
    public static List<FieldError> schemaExpressible(String body, List<FieldError> errors) {
        return errors.stream().filter(error -> processorOnlyRule(body, error).isEmpty()).toList();
    }

    /** The processor-only rule behind {@code error} on {@code body}, or empty when the schema can express it. */
    public static Optional<ProcessorOnlyRule> processorOnlyRule(String body, FieldError error) {
        String field = error.field();
        String problem = error.problem();
        if (field.equals(FieldError.MESSAGE)) {
            if (body != null && body.getBytes(StandardCharsets.UTF_8).length > AccessRequest.MAX_MESSAGE_BYTES) {
                return Optional.of(ProcessorOnlyRule.MESSAGE_SIZE);
            }
            return RequestSchema.hasDuplicateKeys(body) ? Optional.of(ProcessorOnlyRule.DUPLICATE_KEYS) : Optional.empty();
        }
        JsonNode message = RequestSchema.readTree(body).orElseThrow();
        String value = message.path(field).isTextual() ? message.path(field).asText() : null;
        if (field.equals(ACCESS_POLICY) && problem.contains("is not allowed")) {
            return Optional.of(ProcessorOnlyRule.ALLOWED_POLICIES);
        }
        if (problem.contains("further away than the maximum grant duration")) {
            return Optional.of(ProcessorOnlyRule.LONGEST_GRANT);
        }
        if (problem.endsWith("is in the past")) {
            return Optional.of(ProcessorOnlyRule.EXPIRY_IN_THE_PAST);
        }
        if (field.equals(REQUESTED_AT) && problem.startsWith("lies in the future")) {
            return Optional.of(ProcessorOnlyRule.REQUESTED_AT_IN_THE_FUTURE);
        }
        if (field.equals(PRINCIPAL_ARN) && problem.startsWith("is in partition") && !message.path(CLUSTER_ARN).isTextual()) {
            return Optional.of(ProcessorOnlyRule.PARTITION_OF_A_CLUSTER_BY_NAME);
        }
        if (AUDIT_TEXT.contains(field) && problem.startsWith("is longer than") && value != null
                && value.codePointCount(0, value.length()) <= MAX_TEXT) {
            return Optional.of(ProcessorOnlyRule.UTF16_LENGTH);
        }
        if (field.equals(KUBERNETES_GROUPS) && longOnlyInUtf16(message.path(KUBERNETES_GROUPS), problem)) {
            return Optional.of(ProcessorOnlyRule.UTF16_LENGTH);
        }
        if (value != null && problem.contains("is not an ISO-8601 instant") && instantThatDoesNotExist(value)) {
            return Optional.of(ProcessorOnlyRule.INSTANT_THAT_DOES_NOT_EXIST);
        }
        if (value != null && problem.contains("is not an ISO-8601 duration") && durationOutOfRange(value)) {
            return Optional.of(ProcessorOnlyRule.DURATION_OUT_OF_RANGE);
        }
        if (field.equals(DURATION) && problem.equals("must be positive") && value != null && hasNegativeParts(value)) {
            return Optional.of(ProcessorOnlyRule.DURATION_WITH_NEGATIVE_PARTS);
        }
        return Optional.empty();
    }

    /**
     * Whether {@code value} is written as an instant with every part in its range (year of 4 digits, or 5-10 with a
     * sign, not -0000; month 1-12; day 1-31; hour 0-24; minute 0-59; second 0-60; fraction of at most 9 digits;
     * offset up to 18:59, seconds optional) and yet {@link Instant#parse} refuses it: a date that does not exist
     * (2026-02-30), 24:00 that is not exactly midnight, a leap second other than 23:59:60, an offset beyond 18:00, or
     * an instant outside java.time's years of +-1,000,000,000.
     */
    public static boolean instantThatDoesNotExist(String value) {
        Matcher parts = INSTANT_PARTS.matcher(value);
        if (!parts.matches() || parses(value)) {
            return false;
        }
        String sign = parts.group(1);
        String year = parts.group(2);
        boolean yearWritten = sign.isEmpty() ? year.length() == 4
                : year.length() >= (sign.equals("+") ? 5 : 4) && year.length() <= 10
                        && !(sign.equals("-") && year.matches("0+"));
        String fraction = parts.group(8);
        String offsetSeconds = parts.group(11);
        return yearWritten && inRange(parts.group(3), 1, 12) && inRange(parts.group(4), 1, 31)
                && inRange(parts.group(5), 0, 24) && inRange(parts.group(6), 0, 59) && inRange(parts.group(7), 0, 60)
                && (fraction == null || fraction.length() <= 9)
                && (parts.group(9) == null || inRange(parts.group(9), 0, 18) && inRange(parts.group(10), 0, 59)
                        && (offsetSeconds == null || inRange(offsetSeconds, 0, 59)));
    }

    /** Whether {@code value} is written as java.time.Duration reads it, but its numbers overflow. */
    public static boolean durationOutOfRange(String value) {
        if (!DURATION_SYNTAX.matcher(value).matches()) {
            return false;
        }
        try {
            Duration.parse(value);
            return false;
        } catch (DateTimeException e) {
            return true;
        }
    }

    /**
     * Whether the sign of duration {@code value} takes arithmetic: it has a minus sign after its start and more than
     * one part (P1DT-2H, -P1DT-2H). A leading minus alone, or one part with a minus, is plainly negative.
     */
    public static boolean hasNegativeParts(String value) {
        return value.indexOf('-', 1) > 0 && value.replaceAll("[^DdHhMmSs]", "").length() >= 2;
    }

    private static boolean parses(String instant) {
        try {
            Instant.parse(instant);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Two digits from {@code min} to {@code max}. */
    private static boolean inRange(String digits, int min, int max) {
        return digits.length() == 2 && Integer.parseInt(digits) >= min && Integer.parseInt(digits) <= max;
    }

    /** Whether {@code problem} is about a group that is too long in UTF-16 code units but not in characters. */
    private static boolean longOnlyInUtf16(JsonNode groups, String problem) {
        for (JsonNode group : groups) {
            String text = group.asText();
            if (group.isTextual() && text.length() > MAX_GROUP && text.codePointCount(0, text.length()) <= MAX_GROUP
                    && problem.startsWith("'" + JSON.valueToTree(text) + "'")) {
                return true;
            }
        }
        return false;
    }
}
