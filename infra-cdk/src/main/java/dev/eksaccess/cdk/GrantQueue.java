package dev.eksaccess.cdk;

import dev.eksaccess.contract.AccountId;
import dev.eksaccess.contract.GrantQueueSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The grant queue (grant/revoke requests, admin bootstrap, expiry revocations) and its dead-letter queue.
 *
 * <p>The redrive's {@link GrantQueueSettings#MAX_RECEIVE_COUNT} is shared with the local sandbox; why it fits the
 * processor's retry backoff is explained there and in docs/deploy.md.
 */
public final class GrantQueue extends Construct {

    /** Dead letters are evidence of a failure someone must look at; keep them as long as SQS allows. */
    public static final Duration DLQ_RETENTION = Duration.days(14);

    /** What consuming a queue takes: only the grant processor may do it on the grant queue. */
    public static final List<String> CONSUMER_ACTIONS =
            List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility");

    private final Queue queue;
    private final Queue deadLetterQueue;

    /**
     * @param visibilityTimeout at least six times the processor's timeout (AWS's guidance for SQS event sources)
     */
    public GrantQueue(Construct scope, String id, Duration visibilityTimeout, Optional<IKey> key) {
        super(scope, id);
        this.deadLetterQueue = secureQueue(this, "DeadLetters", DLQ_RETENTION, key);
        Queue.Builder builder = Queue.Builder.create(this, "Queue");
        encrypt(builder, key);
        this.queue = builder
                .enforceSsl(true)
                .visibilityTimeout(visibilityTimeout)
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetterQueue)
                        .maxReceiveCount(GrantQueueSettings.MAX_RECEIVE_COUNT).build())
                .build();
        denyPurge(queue);
    }

    /**
     * An encrypted (with the key when there is one, else SQS managed), TLS-only queue; used for every dead-letter
     * queue of the system.
     */
    static Queue secureQueue(Construct scope, String id, Duration retention, Optional<IKey> key) {
        Queue.Builder builder = Queue.Builder.create(scope, id);
        encrypt(builder, key);
        Queue queue = builder
                .enforceSsl(true)
                .retentionPeriod(retention)
                .build();
        denyPurge(queue);
        return queue;
    }

    private static void encrypt(Queue.Builder builder, Optional<IKey> key) {
        key.ifPresentOrElse(k -> builder.encryption(QueueEncryption.KMS).encryptionMasterKey(k),
                () -> builder.encryption(QueueEncryption.SQS_MANAGED));
    }

    /**
     * Nobody may purge: a purge would silently drop requests, or the evidence of failed ones, without a ledger
     * record. Whoever really must first changes the queue policy, which CloudTrail records.
     */
    private static void denyPurge(Queue queue) {
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("DenyPurge")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("sqs:PurgeQueue"))
                .resources(List.of(queue.getQueueArn()))
                .build());
    }

    /**
     * Only the grant processor takes messages off the grant queue: a principal that could receive, delete or hide
     * messages (change their visibility) could drop a revoke, or read requests meant for the processor, before the
     * ledger records them. An explicit deny for every other principal, whatever its own IAM policy allows.
     */
    public void onlyConsumer(IRole processor) {
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("DenyConsumingButTheGrantProcessor")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(CONSUMER_ACTIONS)
                .resources(List.of(queue.getQueueArn()))
                .conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", processor.getRoleArn())))
                .build());
    }

    /**
     * Lets the configured senders (IAM principal ARNs or whole accounts) send requests. Their own IAM policies
     * must allow it too; the resource policy is what makes a cross-account send possible at all.
     */
    public void allowSenders(List<String> senders) {
        if (senders.isEmpty()) {
            return;
        }
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowConfiguredSenders")
                .principals(principalsOf(senders))
                .actions(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"))
                .resources(List.of(queue.getQueueArn()))
                .build());
    }

    /**
     * Lets every principal of the organization send requests ({@code aws:PrincipalOrgID}): one statement however many
     * accounts, where listing principals stops at SQS's 50 per policy. Sending gives nothing by itself: the grant
     * processor judges every message by its sender against the eligibility document.
     */
    public void allowOrganization(String organizationId) {
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowOrganizationSenders")
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"))
                .resources(List.of(queue.getQueueArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:PrincipalOrgID", organizationId)))
                .build());
    }

    /** The configured senders as principals: an account id is the account, anything else an IAM ARN. */
    static List<IPrincipal> principalsOf(List<String> senders) {
        return senders.stream()
                .map(sender -> AccountId.isValid(sender) ? (IPrincipal) new AccountPrincipal(sender) : new ArnPrincipal(sender))
                .toList();
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }
}
