package dev.eksaccess.authz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves SQS sender ids to the ARNs that configuration names (eligibility senders and approvers, the functions'
 * own roles). IAM is asked for each configured ARN's unique id on first need, and again when a sender id is not
 * known, at most once per {@link #REFRESH_INTERVAL}: a role deleted and created again under the same name gets a new
 * id, which is then learned; messages from sessions of the deleted role stay unknown. A sender no configured ARN
 * resolves to is unknown, and its messages are rejected before any EKS call.
 */
public final class Senders {

    /** How often an unknown sender id may trigger asking IAM again. */
    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);

    private final List<String> configured;
    private final PrincipalIds ids;
    private final Clock clock;
    /** Replaced whole on a refresh, so readers never see a half-built map. */
    private volatile Map<String, String> arnByUniqueId = Map.of();
    private Instant refreshedAt;

    public Senders(List<String> configuredArns, PrincipalIds ids, Clock clock) {
        this.configured = List.copyOf(configuredArns);
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * The configured identity that sent a message, or empty when the sender id is malformed or resolves to none.
     *
     * @throws RuntimeException when IAM cannot be asked: the message is retried, not rejected
     */
    public Optional<Sender> resolve(String rawSenderId) {
        Optional<SenderId> id = SenderId.parse(rawSenderId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String arn = arnByUniqueId.get(id.get().uniqueId());
        if (arn == null && refreshAllowed()) {
            arn = arnByUniqueId.get(id.get().uniqueId());
        }
        if (arn == null || isRoleArn(arn) != id.get().isRole()) {
            return Optional.empty();
        }
        return Optional.of(new Sender(arn, id.get().session(), rawSenderId));
    }

    /** Asks IAM for every configured ARN's id, unless it was asked within the refresh interval. */
    private synchronized boolean refreshAllowed() {
        Instant now = clock.instant();
        if (refreshedAt != null && now.isBefore(refreshedAt.plus(REFRESH_INTERVAL))) {
            return false;
        }
        Map<String, String> fresh = new HashMap<>();
        for (String arn : configured) {
            ids.uniqueIdOf(arn).ifPresent(uniqueId -> fresh.put(uniqueId, arn));
        }
        arnByUniqueId = Map.copyOf(fresh);
        refreshedAt = now;
        return true;
    }

    private static boolean isRoleArn(String arn) {
        return arn.contains(":role/");
    }
}
