package dev.eksaccess.contract;

import java.util.List;
import java.util.Optional;

/**
 * Request ids that only the system's own functions may use. A team's request whose id starts with one of these
 * prefixes is rejected, so no sender can pass for the cluster-creation function or the expiry sweep, or take an id
 * they will use.
 */
public final class RequestIds {

    /** Bootstrap requests, sent by the cluster-creation function: {@code bootstrap:} and the CloudTrail event id. */
    public static final String BOOTSTRAP = "bootstrap:";
    /** Expiry revokes and approval expiries, sent by the expiry sweep. */
    public static final String EXPIRY = "expiry:";
    /** Kept for the system's future messages. */
    public static final String SYSTEM = "eks-access:";

    /** Every reserved prefix. */
    public static final List<String> RESERVED_PREFIXES = List.of(BOOTSTRAP, EXPIRY, SYSTEM);

    private RequestIds() {
    }

    /** The reserved prefix {@code requestId} starts with (case-insensitively), if any. */
    public static Optional<String> reservedPrefixOf(String requestId) {
        if (requestId == null) {
            return Optional.empty();
        }
        return RESERVED_PREFIXES.stream()
                .filter(prefix -> requestId.regionMatches(true, 0, prefix, 0, prefix.length())).findFirst();
    }
}
