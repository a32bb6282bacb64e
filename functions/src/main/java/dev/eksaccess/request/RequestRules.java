package dev.eksaccess.request;

import dev.eksaccess.contract.AccessPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The configurable part of validation, and where clusters given by name live.
 *
 * @param allowedPolicies  policy short names that requests may ask for
 * @param maxGrantDuration the longest time-bound grant
 * @param homeRegion       region of a cluster given by {@code clusterName}
 * @param homeAccountId    account of a cluster given by {@code clusterName}
 */
public record RequestRules(List<String> allowedPolicies, Duration maxGrantDuration, String homeRegion,
                           String homeAccountId) {

    /** Default for {@link dev.eksaccess.contract.Setting#MAX_GRANT_DURATION}. */
    public static final Duration DEFAULT_MAX_GRANT_DURATION = Duration.ofDays(7);

    public RequestRules {
        allowedPolicies = List.copyOf(allowedPolicies);
        Objects.requireNonNull(maxGrantDuration, "maxGrantDuration");
        Objects.requireNonNull(homeRegion, "homeRegion");
        Objects.requireNonNull(homeAccountId, "homeAccountId");
    }

    /** Rules with the default policy set and maximum duration. */
    public static RequestRules defaults(String homeRegion, String homeAccountId) {
        return new RequestRules(AccessPolicies.DEFAULT_ALLOWED, DEFAULT_MAX_GRANT_DURATION, homeRegion, homeAccountId);
    }
}
