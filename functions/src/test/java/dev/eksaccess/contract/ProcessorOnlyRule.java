package dev.eksaccess.contract;

/**
 * The grant processor's rules that the contract's JSON Schema does not check, because they depend on the
 * deployment's configuration or clock, on the raw body rather than its JSON value, or cannot be written in JSON
 * Schema. docs/grant-requests.md lists each under its {@link #label}.
 */
public enum ProcessorOnlyRule {
    ALLOWED_POLICIES("allowed policies"),
    LONGEST_GRANT("longest grant"),
    EXPIRY_IN_THE_PAST("expiry in the past"),
    REQUESTED_AT_IN_THE_FUTURE("requestedAt in the future"),
    PARTITION_OF_A_CLUSTER_BY_NAME("partition of a cluster given by name"),
    MESSAGE_SIZE("16 KiB"),
    DUPLICATE_KEYS("duplicate keys"),
    UTF16_LENGTH("lengths in UTF-16"),
    INSTANT_THAT_DOES_NOT_EXIST("instants that do not exist"),
    DURATION_OUT_OF_RANGE("durations out of range"),
    DURATION_WITH_NEGATIVE_PARTS("durations with negative parts");

    private final String label;

    ProcessorOnlyRule(String label) {
        this.label = label;
    }

    /** How docs/grant-requests.md names the rule. */
    public String label() {
        return label;
    }
}
