package dev.eksaccess.emulator.eks;

import com.sun.net.httpserver.HttpServer;
import dev.eksaccess.emulator.eks.internal.ControlFrontend;
import dev.eksaccess.emulator.eks.internal.EksService;
import dev.eksaccess.emulator.eks.internal.FaultInjector;
import dev.eksaccess.emulator.eks.internal.HttpFrontend;
import dev.eksaccess.emulator.eks.internal.RateLimiter;
import dev.eksaccess.emulator.kubernetes.KubernetesApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-JVM emulator of the EKS access-entry API on 127.0.0.1, speaking the wire format of the AWS SDK's EKS
 * client: point a real {@code EksClient} at {@link #endpoint()} with {@code endpointOverride}.
 *
 * <p>Tests and the local sandbox drive it through this Java API: create clusters ({@link #createCluster}),
 * inspect state ({@link #cluster}, {@link #calls}), force states ({@link #setStatus}) and inject faults
 * ({@link #inject}), and optionally throttles calls beyond a rate per account and region ({@link RateLimit}). It serves DescribeCluster, ListClusters, UpdateClusterConfig (access config only),
 * DescribeUpdate, the access-entry operations and ListAccessPolicies, with the validation and errors EKS
 * answers. Thread-safe.
 *
 * <p>The same control operations are also served over HTTP under {@code /_emulator/} for a sandbox driven from
 * outside the JVM (see {@code ControlFrontend}).
 */
public final class EksEmulator implements AutoCloseable {

    /**
     * How the emulator behaves.
     *
     * @param clock            the time cluster status changes are measured against
     * @param activationDelay  how long a new cluster stays CREATING unless its spec says otherwise
     * @param updateDelay      how long an access-config update keeps a cluster UPDATING unless its spec says otherwise
     * @param accessEntryQuota access entries allowed per cluster (EKS: 3,000)
     * @param randomSeed       seed for fault probabilities and generated ids
     * @param rateLimit        the request-rate limit per account and region, or null for none (EKS publishes no
     *                         rate; see {@link RateLimit})
     */
    public record Options(InstantSource clock, Duration activationDelay, Duration updateDelay, int accessEntryQuota,
                          long randomSeed, RateLimit rateLimit) {

        public Options {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(activationDelay, "activationDelay");
            Objects.requireNonNull(updateDelay, "updateDelay");
            if (accessEntryQuota < 1) {
                throw new IllegalArgumentException("accessEntryQuota must be positive");
            }
        }

        /** System clock, clusters ACTIVE and updates finished at once, the EKS quota, seed 0, no rate limit. */
        public static Options defaults() {
            return new Options(InstantSource.system(), Duration.ZERO, Duration.ZERO, EksService.ACCESS_ENTRY_QUOTA, 0L,
                    null);
        }

        public Options withClock(InstantSource clock) {
            return new Options(clock, activationDelay, updateDelay, accessEntryQuota, randomSeed, rateLimit);
        }

        public Options withActivationDelay(Duration delay) {
            return new Options(clock, delay, updateDelay, accessEntryQuota, randomSeed, rateLimit);
        }

        public Options withUpdateDelay(Duration delay) {
            return new Options(clock, activationDelay, delay, accessEntryQuota, randomSeed, rateLimit);
        }

        public Options withAccessEntryQuota(int quota) {
            return new Options(clock, activationDelay, updateDelay, quota, randomSeed, rateLimit);
        }

        public Options withRandomSeed(long seed) {
            return new Options(clock, activationDelay, updateDelay, accessEntryQuota, seed, rateLimit);
        }

        /** Throttles calls beyond {@code limit} per account and region; null for no limit. */
        public Options withRateLimit(RateLimit limit) {
            return new Options(clock, activationDelay, updateDelay, accessEntryQuota, randomSeed, limit);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final EksService eks;
    private final FaultInjector faults;
    private final HttpFrontend frontend;
    private final InstantSource clock;
    private final Map<String, KubernetesApiServer> apiServers = new HashMap<>();

    private EksEmulator(Options options) throws IOException {
        Random random = new Random(options.randomSeed());
        this.eks = new EksService(options.clock(), options.activationDelay(), options.updateDelay(),
                options.accessEntryQuota(), random);
        this.faults = new FaultInjector(random);
        this.clock = options.clock();
        this.frontend = new HttpFrontend(eks, faults, new RateLimiter(options.rateLimit(), System::nanoTime),
                options.clock());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.createContext("/", frontend);
        server.createContext(ControlFrontend.PREFIX, new ControlFrontend(eks, faults, frontend));
        server.setExecutor(executor);
        server.start();
    }

    /** Starts an emulator with {@link Options#defaults()} on a free port. */
    public static EksEmulator start() {
        return start(Options.defaults());
    }

    public static EksEmulator start(Options options) {
        try {
            return new EksEmulator(options);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the EKS emulator", e);
        }
    }

    /**
     * An access key whose requests the emulator takes for {@code accountId}'s: ListClusters then answers with that
     * account's clusters in the region signed for, as EKS does. Requests signed with any other key see every cluster.
     */
    public static String accessKeyOf(String accountId) {
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("not an account id: " + accountId);
        }
        return "AKIA" + accountId + "EKSE";
    }

    /** The base URI to give the SDK as {@code endpointOverride}, for example {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    @Override
    public void close() {
        synchronized (this) {
            apiServers.values().forEach(KubernetesApiServer::close);
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- Kubernetes API

    /**
     * The Kubernetes API server of {@code cluster}, started on first use on its own HTTPS port; from then on
     * DescribeCluster reports its {@code endpoint} and {@code certificateAuthority.data}. Closed with the emulator.
     */
    public synchronized KubernetesApiServer kubernetesApi(String cluster) {
        KubernetesApiServer api = apiServers.get(cluster);
        if (api == null) {
            cluster(cluster);
            api = KubernetesApiServer.start(cluster, clock);
            apiServers.put(cluster, api);
            eks.setApiEndpoint(cluster, new EksService.ApiEndpoint(api.endpoint().toString(),
                    api.certificateAuthorityData(), true));
        }
        return api;
    }

    /**
     * Makes {@code cluster}'s endpoint private only: DescribeCluster says {@code endpointPublicAccess: false} and the
     * API server refuses connections, as it does to anyone outside the cluster's VPC.
     */
    public synchronized void makeEndpointPrivate(String cluster) {
        KubernetesApiServer api = kubernetesApi(cluster);
        api.makeUnreachable();
        eks.setApiEndpoint(cluster, new EksService.ApiEndpoint(api.endpoint().toString(),
                api.certificateAuthorityData(), false));
    }

    // ---------------------------------------------------------------- clusters

    /** Creates a cluster as EKS would after CreateCluster, including the creator's entry when the spec asks for it. */
    public ClusterSnapshot createCluster(ClusterSpec spec) {
        return eks.createCluster(spec);
    }

    public void deleteCluster(String name) {
        eks.deleteCluster(name);
    }

    /** The cluster as it is now; {@link java.util.NoSuchElementException} when there is none. */
    public ClusterSnapshot cluster(String name) {
        return eks.snapshot(name);
    }

    public List<ClusterSnapshot> clusters() {
        return eks.snapshots();
    }

    public ClusterStatus clusterStatus(String name) {
        return cluster(name).status();
    }

    public AuthenticationMode authenticationMode(String name) {
        return cluster(name).authenticationMode();
    }

    /** Forces a status; a forced cluster stays so until an update or another {@code setStatus} moves it. */
    public void setStatus(String name, ClusterStatus status) {
        eks.setStatus(name, status);
    }

    /** Ends CREATING and running updates now, whatever their delays: for a sandbox on the system clock. */
    public void completePendingChanges(String name) {
        eks.completePendingChanges(name);
    }

    /** Forces the authentication mode without an update and without the one-way rule, to set up a scenario. */
    public void setAuthenticationMode(String name, AuthenticationMode mode) {
        eks.setAuthenticationMode(name, mode);
    }

    // ---------------------------------------------------------------- access entries

    public List<AccessEntrySnapshot> accessEntries(String cluster) {
        return cluster(cluster).accessEntries();
    }

    public Optional<AccessEntrySnapshot> accessEntry(String cluster, String principalArn) {
        return cluster(cluster).accessEntry(principalArn);
    }

    /**
     * Adds a STANDARD entry with CreateAccessEntry's validation but whatever the cluster's status and mode, to
     * prepare existing state without HTTP calls.
     */
    public void seedAccessEntry(String cluster, String principalArn, String... kubernetesGroups) {
        eks.seedAccessEntry(cluster, principalArn, List.of(kubernetesGroups));
    }

    /** Associates a policy with AssociateAccessPolicy's validation but whatever the cluster's status and mode. */
    public void seedPolicyAssociation(String cluster, String principalArn, String policyArn, AccessScope scope) {
        eks.seedPolicyAssociation(cluster, principalArn, policyArn, scope);
    }

    /**
     * Declares that an IAM principal exists. EKS refuses a role ARN whose path was stripped ("invalid
     * principal"); the emulator does so for known principals (cluster creators are known automatically).
     */
    public void registerIamPrincipal(String arn) {
        eks.registerIamPrincipal(arn);
    }

    // ---------------------------------------------------------------- calls and faults

    /** Every call received, oldest first, including those answered with errors or injected faults. */
    public List<RecordedCall> calls() {
        return frontend.calls();
    }

    /** The calls of one operation, oldest first. */
    public List<RecordedCall> calls(String operation) {
        return calls().stream().filter(c -> c.operation().equals(operation)).toList();
    }

    public void clearCalls() {
        frontend.clearCalls();
    }

    /** Adds a fault; faults apply in the order added, the first error wins, latencies add up. */
    public void inject(Fault fault) {
        faults.add(fault);
    }

    public void clearFaults() {
        faults.clear();
    }
}
