package dev.eksaccess.emulator.eks;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What an emulated cluster starts as, the equivalent of a CreateCluster call.
 *
 * <p>Defaults follow EKS for clusters created through the API: {@code CONFIG_MAP} authentication and
 * {@code bootstrapClusterCreatorAdminPermissions = true}. When the bootstrap flag is set and the mode allows
 * access entries, the creator gets a STANDARD entry with AmazonEKSClusterAdminPolicy at cluster scope.
 *
 * @param creatorPrincipalArn IAM user or role ARN of the creator (a role ARN keeps its path); null for none
 * @param activationDelay     how long the cluster stays CREATING; null means the emulator's default
 * @param updateDelay         how long an access-config update keeps the cluster UPDATING; null means the default
 * @param createdAt                     when the cluster was created, for one that existed before a test starts; null:
 *                                      the emulator's time when it is created
 * @param creatorEntryOnLeavingConfigMap whether a CONFIG_MAP cluster with the bootstrap flag gets the creator's
 *                            entry when it switches to access entries. AWS does not document this either way, so
 *                            tests can cover both; the default is true
 */
public record ClusterSpec(
        String name,
        String accountId,
        String region,
        AuthenticationMode authenticationMode,
        boolean bootstrapClusterCreatorAdminPermissions,
        String creatorPrincipalArn,
        Duration activationDelay,
        Duration updateDelay,
        String version,
        Map<String, String> tags,
        boolean creatorEntryOnLeavingConfigMap,
        Instant createdAt) {

    public static final String DEFAULT_ACCOUNT = "111122223333";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_VERSION = "1.33";

    public ClusterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(authenticationMode, "authenticationMode");
        Objects.requireNonNull(version, "version");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        if (!name.matches("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}")) {
            throw new IllegalArgumentException("not a valid EKS cluster name: " + name);
        }
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("accountId must be 12 digits: " + accountId);
        }
    }

    /** A builder with EKS's API defaults, account {@value #DEFAULT_ACCOUNT} and region {@value #DEFAULT_REGION}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link ClusterSpec}; every setter is optional. */
    public static final class Builder {
        private final String name;
        private String accountId = DEFAULT_ACCOUNT;
        private String region = DEFAULT_REGION;
        private AuthenticationMode authenticationMode = AuthenticationMode.CONFIG_MAP;
        private boolean bootstrap = true;
        private String creatorPrincipalArn;
        private boolean creatorSet;
        private Duration activationDelay;
        private Duration updateDelay;
        private String version = DEFAULT_VERSION;
        private Map<String, String> tags = Map.of();
        private boolean creatorEntryOnLeavingConfigMap = true;
        private Instant createdAt;

        private Builder(String name) {
            this.name = name;
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder authenticationMode(AuthenticationMode mode) {
            this.authenticationMode = mode;
            return this;
        }

        public Builder bootstrapClusterCreatorAdminPermissions(boolean bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        /** The creator; without this call it is {@code arn:aws:iam::ACCOUNT:role/cluster-creator}. */
        public Builder creatorPrincipalArn(String arn) {
            this.creatorPrincipalArn = arn;
            this.creatorSet = true;
            return this;
        }

        public Builder activationDelay(Duration delay) {
            this.activationDelay = delay;
            return this;
        }

        public Builder updateDelay(Duration delay) {
            this.updateDelay = delay;
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder creatorEntryOnLeavingConfigMap(boolean create) {
            this.creatorEntryOnLeavingConfigMap = create;
            return this;
        }

        /** A cluster created at {@code at}, before now: ACTIVE once its activation delay has passed since then. */
        public Builder createdAt(Instant at) {
            this.createdAt = at;
            return this;
        }

        public ClusterSpec build() {
            String creator = creatorSet ? creatorPrincipalArn : "arn:aws:iam::" + accountId + ":role/cluster-creator";
            return new ClusterSpec(name, accountId, region, authenticationMode, bootstrap, creator,
                    activationDelay, updateDelay, version, tags, creatorEntryOnLeavingConfigMap, createdAt);
        }
    }
}
