package dev.eksaccess.aws;

import dev.eksaccess.eks.AccessEntry;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.eks.ClusterState;
import dev.eksaccess.eks.EksAccess;
import dev.eksaccess.eks.EksAccessDeniedException;
import dev.eksaccess.eks.EksInvalidParameterException;
import dev.eksaccess.eks.EksInvalidRequestException;
import dev.eksaccess.eks.EksLimitExceededException;
import dev.eksaccess.eks.EksNotFoundException;
import dev.eksaccess.eks.EksResourceInUseException;
import dev.eksaccess.eks.EksTransientException;
import dev.eksaccess.eks.NewAccessEntry;
import dev.eksaccess.model.ClusterRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessDeniedException;
import software.amazon.awssdk.services.eks.model.AccessScopeType;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.InvalidRequestException;
import software.amazon.awssdk.services.eks.model.NotFoundException;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;
import software.amazon.awssdk.services.eks.model.ResourceLimitExceededException;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * {@link EksAccess} over the AWS SDK's {@link EksClient}: translates domain types to requests and each SDK error to
 * the port's exception for its failure mode (404 not found, 409 in use, 400 parameter or request, limits, 403, and
 * throttling / 5xx / network as transient).
 */
public final class SdkEksAccess implements EksAccess {

    private static final int PAGE_SIZE = 100;

    private final EksClient eks;
    /** Every request's credentials when they are not the client's own (a member account's role session), or null. */
    private final AwsRequestOverrideConfiguration session;

    /** Calls with the client's own credentials. */
    public SdkEksAccess(EksClient eks) {
        this(eks, null);
    }

    /**
     * Calls with {@code credentials} on every request, not the client's own: one client per region serves every
     * role session (one per request in member accounts), so that a session costs no client.
     *
     * @param credentials null: the client's own
     */
    public SdkEksAccess(EksClient eks, AwsCredentialsProvider credentials) {
        this.eks = eks;
        this.session = credentials == null ? null
                : AwsRequestOverrideConfiguration.builder().credentialsProvider(credentials).build();
    }

    /** The request with this access's credentials. */
    @SuppressWarnings("unchecked")
    private <B extends AwsRequest.Builder> B on(B request) {
        return session == null ? request : (B) request.overrideConfiguration(session);
    }

    @Override
    public ClusterState describeCluster(ClusterRef cluster) {
        Cluster described = call(() -> eks.describeCluster(r -> on(r).name(cluster.name())).cluster());
        String mode = described.accessConfig() == null || described.accessConfig().authenticationMode() == null
                ? ClusterState.CONFIG_MAP : described.accessConfig().authenticationModeAsString();
        return new ClusterState(described.statusAsString(), mode, described.tags(), described.arn(),
                described.createdAt());
    }

    @Override
    public Optional<AccessEntry> describeAccessEntry(ClusterRef cluster, String principalArn) {
        try {
            return Optional.of(toEntry(call(() -> eks.describeAccessEntry(r -> on(r).clusterName(cluster.name())
                    .principalArn(principalArn)).accessEntry())));
        } catch (EksNotFoundException e) {
            // 404 here means "no entry" only when the cluster exists; callers check the cluster first.
            return Optional.empty();
        }
    }

    @Override
    public AccessEntry createAccessEntry(ClusterRef cluster, NewAccessEntry entry) {
        return toEntry(call(() -> eks.createAccessEntry(r -> {
            on(r).clusterName(cluster.name()).principalArn(entry.principalArn()).type(entry.type())
                    .tags(entry.tags()).clientRequestToken(entry.clientRequestToken());
            if (!entry.kubernetesGroups().isEmpty()) {
                r.kubernetesGroups(entry.kubernetesGroups());
            }
            if (entry.username() != null) {
                r.username(entry.username());
            }
        }).accessEntry()));
    }

    @Override
    public AccessEntry updateAccessEntry(ClusterRef cluster, String principalArn, List<String> kubernetesGroups,
                                         String username) {
        return toEntry(call(() -> eks.updateAccessEntry(r -> {
            on(r).clusterName(cluster.name()).principalArn(principalArn).kubernetesGroups(kubernetesGroups);
            if (username != null) {
                r.username(username);
            }
        }).accessEntry()));
    }

    @Override
    public void deleteAccessEntry(ClusterRef cluster, String principalArn) {
        call(() -> eks.deleteAccessEntry(r -> on(r).clusterName(cluster.name()).principalArn(principalArn)));
    }

    @Override
    public void associateAccessPolicy(ClusterRef cluster, String principalArn, String policyArn, AccessScope scope) {
        call(() -> eks.associateAccessPolicy(r -> on(r).clusterName(cluster.name()).principalArn(principalArn)
                .policyArn(policyArn).accessScope(s -> {
                    s.type(scope.type().wireName());
                    if (scope.type() == AccessScope.Type.NAMESPACE) {
                        s.namespaces(scope.namespaces());
                    }
                })));
    }

    @Override
    public void disassociateAccessPolicy(ClusterRef cluster, String principalArn, String policyArn) {
        call(() -> eks.disassociateAccessPolicy(r -> on(r).clusterName(cluster.name()).principalArn(principalArn)
                .policyArn(policyArn)));
    }

    @Override
    public List<AssociatedPolicy> listAssociatedAccessPolicies(ClusterRef cluster, String principalArn) {
        return call(() -> {
            List<AssociatedPolicy> policies = new ArrayList<>();
            for (AssociatedAccessPolicy policy : eks.listAssociatedAccessPoliciesPaginator(r -> on(r)
                    .clusterName(cluster.name()).principalArn(principalArn).maxResults(PAGE_SIZE))
                    .associatedAccessPolicies()) {
                policies.add(new AssociatedPolicy(policy.policyArn(), toScope(policy.accessScope())));
            }
            return policies;
        });
    }

    @Override
    public List<String> listAccessEntries(ClusterRef cluster, String associatedPolicyArn) {
        return call(() -> {
            List<String> principals = new ArrayList<>();
            eks.listAccessEntriesPaginator(r -> on(r).clusterName(cluster.name())
                    .associatedPolicyArn(associatedPolicyArn)
                    .maxResults(PAGE_SIZE)).accessEntries().forEach(principals::add);
            return principals;
        });
    }

    @Override
    public void updateAuthenticationMode(ClusterRef cluster, String authenticationMode) {
        call(() -> eks.updateClusterConfig(r -> on(r).name(cluster.name())
                .accessConfig(a -> a.authenticationMode(AuthenticationMode.fromValue(authenticationMode)))));
    }

    private static AccessEntry toEntry(software.amazon.awssdk.services.eks.model.AccessEntry entry) {
        return new AccessEntry(entry.principalArn(), entry.type() == null ? AccessEntry.STANDARD : entry.type(),
                entry.hasKubernetesGroups() ? entry.kubernetesGroups() : List.of(), entry.username(),
                entry.hasTags() ? entry.tags() : null);
    }

    private static AccessScope toScope(software.amazon.awssdk.services.eks.model.AccessScope scope) {
        if (scope == null || scope.type() == AccessScopeType.CLUSTER) {
            return AccessScope.cluster();
        }
        return AccessScope.namespaces(scope.hasNamespaces() ? scope.namespaces() : List.of());
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(e);
        }
    }

    /** One port exception per failure mode; the SDK has already retried throttling and 5xx a few times. */
    static RuntimeException translate(SdkException e) {
        String message = messageOf(e);
        if (e instanceof ResourceInUseException) {
            return new EksResourceInUseException(message, e);
        }
        if (e instanceof ResourceNotFoundException || e instanceof NotFoundException) {
            return new EksNotFoundException(message, e);
        }
        if (e instanceof InvalidParameterException) {
            return new EksInvalidParameterException(message, e);
        }
        if (e instanceof InvalidRequestException) {
            return new EksInvalidRequestException(message, e);
        }
        if (e instanceof ResourceLimitExceededException) {
            return new EksLimitExceededException(message, e);
        }
        if (e instanceof AccessDeniedException) {
            return new EksAccessDeniedException(message, e);
        }
        if (e instanceof AwsServiceException service) {
            if (service.isThrottlingException() || service.statusCode() >= 500) {
                return new EksTransientException(message, e);
            }
            if (denied(service)) {
                return new EksAccessDeniedException(message, e);
            }
            if (service.statusCode() == 404) {
                return new EksNotFoundException(message, e);
            }
            return new EksInvalidParameterException(message, e);
        }
        // The credentials for the call could not be had: in a member account, STS refused AssumeRole (the hub's role
        // may not assume the spoke role, or its trust policy does not name the hub). The SDK may wrap STS's answer in
        // a client exception; a denial is a configuration error like EKS's own, not an outage to retry for an hour.
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            if (cause instanceof AwsServiceException service && denied(service)) {
                return new EksAccessDeniedException("credentials for the call could not be obtained: "
                        + messageOf(service), e);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        // SdkClientException and the rest: the call did not reach EKS or its answer was lost; worth a retry.
        return new EksTransientException(message, e);
    }

    /** A 403, or an error code naming a denial (STS answers AccessDenied, EKS AccessDeniedException). */
    private static boolean denied(AwsServiceException service) {
        String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
        return service.statusCode() == 403 || (code != null && code.startsWith("AccessDenied"));
    }

    private static String messageOf(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorMessage() != null) {
            return service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }
}
