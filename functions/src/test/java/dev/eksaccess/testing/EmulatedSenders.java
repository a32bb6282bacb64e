package dev.eksaccess.testing;

import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.aws.IamPrincipalIds;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.IamEmulator;
import dev.eksaccess.testsupport.SdkClients;
import dev.eksaccess.testsupport.SenderIdentities;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Senders as AWS knows them, for integration tests that go through the real SQS path: each sender is an IAM role
 * created in the {@link IamEmulator} (which hands out its unique id) and declared in {@link SenderIdentities} with
 * the {@code SenderId} SQS would give a session of that role ({@code AROA…:session}), so that the grant processor
 * resolves it with the production adapter {@link IamPrincipalIds} over HTTP, as deployed.
 *
 * <p>The {@link TestSenders} roles (team, approver, cluster creation, expiry sweep, grant processor, stranger) exist from the start;
 * {@link #role} adds others.
 */
public final class EmulatedSenders implements AutoCloseable {

    private final IamEmulator iam = IamEmulator.start();
    private final SenderIdentities identities;
    private final Map<String, IamClient> clients = new ConcurrentHashMap<>();
    private final Map<String, String> ids = new ConcurrentHashMap<>();

    public final SenderIdentities.Sender team;
    public final SenderIdentities.Sender approver;
    public final SenderIdentities.Sender clusterCreation;
    public final SenderIdentities.Sender expirySweep;
    /** The grant processor's own role: it sends a bootstrap that waits for its cluster again. */
    public final SenderIdentities.Sender grantProcessor;
    /** A real role that no configuration names. */
    public final SenderIdentities.Sender stranger;

    private EmulatedSenders(AwsBackend aws) {
        identities = SenderIdentities.start(aws);
        team = role(TestSenders.TEAM, "ci");
        approver = role(TestSenders.APPROVER, "alice");
        clusterCreation = role(TestSenders.CLUSTER_CREATION, "cluster-creation");
        expirySweep = role(TestSenders.EXPIRY_SWEEP, "expiry-sweep");
        grantProcessor = role(TestSenders.GRANT_PROCESSOR, "grant-processor");
        stranger = role(TestSenders.STRANGER, "mallory");
    }

    /** Starts IAM and the sender registry on {@code aws}'s SQS; the caller closes both with this. */
    public static EmulatedSenders start(AwsBackend aws) {
        return new EmulatedSenders(aws);
    }

    /**
     * Creates role {@code arn} in IAM (once per ARN) and declares a sender signing with a session
     * {@code session} of it.
     */
    public SenderIdentities.Sender role(String arn, String session) {
        String id = ids.computeIfAbsent(arn, iam::createRole);
        return identities.roleSession(id, session);
    }

    /** The IAM unique id of role {@code arn}, created by {@link #role}. */
    public String idOf(String arn) {
        return ids.get(arn);
    }

    /** The production adapter on the emulated IAM, one client per account as deployed. */
    public PrincipalIds principalIds() {
        return new IamPrincipalIds(account -> clients.computeIfAbsent(account,
                a -> SdkClients.iamBuilder(iam, a).build()));
    }

    public SenderIdentities identities() {
        return identities;
    }

    public IamEmulator iam() {
        return iam;
    }

    @Override
    public void close() {
        try {
            List.copyOf(clients.values()).forEach(IamClient::close);
            identities.close();
        } finally {
            iam.close();
        }
    }
}
