package dev.eksaccess.cdk;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The grant queue (grant/revoke requests, admin bootstrap, expiry revocations) and its dead-letter queue.
 *
 * <p>{@link #MAX_RECEIVE_COUNT}: a bootstrap request usually arrives while its cluster is still CREATING (10–15
 * minutes) and may then wait for an authentication-mode update; the processor returns such a message with a
 * growing delay (capped at about 15 minutes) and each return costs one receive. Ten receives cover roughly an
 * hour of waiting, which is several times the slowest creation plus a mode switch, while a message that keeps
 * failing for another reason reaches the dead-letter queue (and its alarm) within that hour.
 */
public final class GrantQueue extends Construct {

    public static final int MAX_RECEIVE_COUNT = 10;
    /** Dead letters are evidence of a failure someone must look at; keep them as long as SQS allows. */
    public static final Duration DLQ_RETENTION = Duration.days(14);

    private final Queue queue;
    private final Queue deadLetterQueue;

    /**
     * @param visibilityTimeout at least six times the processor's timeout (AWS's guidance for SQS event sources)
     */
    public GrantQueue(Construct scope, String id, Duration visibilityTimeout) {
        super(scope, id);
        this.deadLetterQueue = secureQueue(this, "DeadLetters", DLQ_RETENTION);
        this.queue = Queue.Builder.create(this, "Queue")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(visibilityTimeout)
                .retentionPeriod(Duration.days(4))
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetterQueue).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .build();
    }

    /** An SQS-encrypted, TLS-only queue; used for every dead-letter queue of the system. */
    static Queue secureQueue(Construct scope, String id, Duration retention) {
        return Queue.Builder.create(scope, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(retention)
                .build();
    }

    /**
     * Lets the configured senders (IAM principal ARNs or whole accounts) send requests. Their own IAM policies
     * must allow it too; the resource policy is what makes a cross-account send possible at all.
     */
    public void allowSenders(List<String> senders) {
        if (senders.isEmpty()) {
            return;
        }
        List<IPrincipal> principals = senders.stream()
                .map(sender -> sender.matches("\\d{12}") ? (IPrincipal) new AccountPrincipal(sender) : new ArnPrincipal(sender))
                .toList();
        queue.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowConfiguredSenders")
                .principals(principals)
                .actions(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"))
                .resources(List.of(queue.getQueueArn()))
                .build());
    }

    public Queue queue() {
        return queue;
    }

    public Queue deadLetterQueue() {
        return deadLetterQueue;
    }
}
