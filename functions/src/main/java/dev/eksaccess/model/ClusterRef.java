package dev.eksaccess.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifies one EKS cluster: partition, region, account and name. The cluster ARN is derived from these.
 */
public record ClusterRef(String partition, String region, String accountId, String name) {

    private static final Pattern ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):eks:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):cluster/([0-9A-Za-z][A-Za-z0-9\\-_]{0,99})");
    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}");

    public ClusterRef {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(name, "name");
    }

    /** The cluster's ARN, {@code arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME}. */
    public String arn() {
        return "arn:" + partition + ":eks:" + region + ":" + accountId + ":cluster/" + name;
    }

    /** Parses an EKS cluster ARN; empty when {@code arn} is not one. */
    public static Optional<ClusterRef> parseArn(String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        Matcher m = ARN.matcher(arn);
        return m.matches() ? Optional.of(new ClusterRef(m.group(1), m.group(2), m.group(3), m.group(4))) : Optional.empty();
    }

    /** Whether {@code name} is a valid EKS cluster name (1–100 characters, letters, digits, hyphens, underscores). */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The partition that a region belongs to. */
    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    @Override
    public String toString() {
        return arn();
    }
}
