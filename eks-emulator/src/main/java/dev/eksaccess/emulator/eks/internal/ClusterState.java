package dev.eksaccess.emulator.eks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.emulator.eks.AccessScope;
import dev.eksaccess.emulator.eks.AuthenticationMode;
import dev.eksaccess.emulator.eks.ClusterSpec;
import dev.eksaccess.emulator.eks.ClusterStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The mutable state of one emulated cluster. Not thread-safe: {@link EksService} guards it. */
final class ClusterState {

    final ClusterSpec spec;
    final String arn;
    final Instant createdAt;
    final Duration updateDelay;
    AuthenticationMode mode;
    ClusterStatus status;
    /** When a CREATING cluster turns ACTIVE by itself; null once it did, or when its status was forced. */
    Instant activatesAt;
    /** Whether the status was forced by the control API; a forced status is not moved by the clock. */
    boolean statusForced;
    /** Entries by principal ARN; sorted so that pagination tokens can name the last key. */
    final TreeMap<String, Entry> entries = new TreeMap<>();
    final List<Update> updates = new ArrayList<>();
    final Map<String, Replay> createTokens = new HashMap<>();
    final Map<String, Update> updateTokens = new HashMap<>();

    ClusterState(ClusterSpec spec, Instant createdAt, Duration activationDelay, Duration updateDelay) {
        this.spec = spec;
        this.arn = "arn:aws:eks:" + spec.region() + ":" + spec.accountId() + ":cluster/" + spec.name();
        this.createdAt = createdAt;
        this.updateDelay = updateDelay;
        this.mode = spec.authenticationMode();
        this.status = ClusterStatus.CREATING;
        this.activatesAt = createdAt.plus(activationDelay);
    }

    boolean hasUpdateInProgress() {
        return updates.stream().anyMatch(u -> u.status.equals(Update.IN_PROGRESS));
    }

    /** One access entry. */
    static final class Entry {
        final String principalArn;
        final String type;
        final String accessEntryArn;
        final Instant createdAt;
        String username;
        List<String> groups;
        Map<String, String> tags;
        Instant modifiedAt;
        /** Associations by policy ARN. */
        final TreeMap<String, Association> policies = new TreeMap<>();

        Entry(String principalArn, String type, String accessEntryArn, Instant createdAt, String username,
              List<String> groups, Map<String, String> tags) {
            this.principalArn = principalArn;
            this.type = type;
            this.accessEntryArn = accessEntryArn;
            this.createdAt = createdAt;
            this.modifiedAt = createdAt;
            this.username = username;
            this.groups = List.copyOf(groups);
            this.tags = Map.copyOf(tags);
        }
    }

    /** One policy association of an entry. */
    static final class Association {
        final String policyArn;
        final Instant associatedAt;
        AccessScope scope;
        Instant modifiedAt;

        Association(String policyArn, AccessScope scope, Instant at) {
            this.policyArn = policyArn;
            this.scope = scope;
            this.associatedAt = at;
            this.modifiedAt = at;
        }
    }

    /** An access-config update. */
    static final class Update {
        static final String IN_PROGRESS = "InProgress";
        static final String SUCCESSFUL = "Successful";

        final String id;
        final AuthenticationMode target;
        final Instant createdAt;
        Instant completesAt;
        String status = IN_PROGRESS;

        Update(String id, AuthenticationMode target, Instant createdAt, Instant completesAt) {
            this.id = id;
            this.target = target;
            this.createdAt = createdAt;
            this.completesAt = completesAt;
        }
    }

    /** What a CreateAccessEntry with a client request token answered, to answer its replay the same way. */
    record Replay(JsonNode request, ObjectNode response) {
    }
}
