package dev.eksaccess.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.Tables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipalOpts;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.pipes.CfnPipe;
import software.constructs.Construct;

/**
 * The alarm on a changed or deleted audit record: the ledger's stream, filtered by an EventBridge Pipe to the
 * {@code MODIFY} and {@code REMOVE} records of audit partitions ({@link Tables#LEDGER_AUDIT_PARTITION_PREFIX}), sent to
 * the alarm topic. The functions never change an audit record (each is a conditional put of a new item, and IAM
 * denies UpdateItem and DeleteItem on them); what this catches is what IAM cannot refuse: a plain PutItem over an
 * existing record by a compromised function, and any change by someone with table administration. Inserting a record
 * is an {@code INSERT} and passes nothing; the mutable partitions (grant states, leases, pending grants) change all
 * the time and pass nothing either. The ledger has no TTL (and the functions may not set one), so no deletion by the
 * service is expected: should one occur, it is a {@code REMOVE} like any other and raises the alarm too.
 *
 * <p>No Lambda code: the Pipe filters and publishes itself. The stream carries the keys only ({@code KEYS_ONLY}): the
 * filter needs nothing else, and the record's content stays out of the alarm topic and its e-mail (point-in-time
 * recovery restores the record as it was, docs/deploy.md).
 */
final class LedgerTamperAlarm extends Construct {

    /** The stream events that change or delete an item; an INSERT (a new record) is the ledger working. */
    static final List<String> CHANGES = List.of("MODIFY", "REMOVE");
    /** What reading a DynamoDB stream takes (EventBridge Pipes' documented list, ListStreams apart). */
    static final List<String> STREAM_READ_ACTIONS = List.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
            "dynamodb:GetShardIterator");

    private final Role role;
    private final CfnPipe pipe;

    /** @param dataKey the deployment's customer managed key, which then encrypts the ledger and its stream */
    LedgerTamperAlarm(Construct scope, String id, Table ledger, Monitoring monitoring, Optional<IKey> dataKey) {
        super(scope, id);
        Stack stack = Stack.of(this);
        this.role = Role.Builder.create(this, "PipeRole")
                .description("Reads the ledger's stream and publishes changed or deleted audit records as alarms")
                .assumedBy(new ServicePrincipal("pipes.amazonaws.com", ServicePrincipalOpts.builder()
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", stack.getAccount())))
                        .build()))
                .build();
        String streamArn = ledger.getTableStreamArn();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReadTheLedgerStream")
                .actions(STREAM_READ_ACTIONS)
                .resources(List.of(streamArn))
                .build());
        // Listed by EventBridge Pipes for a DynamoDB source; IAM has no resource for it (names streams, reads nothing).
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ListStreams")
                .actions(List.of("dynamodb:ListStreams"))
                .resources(List.of("*"))
                .build());
        // With the deployment's key, the stream's records are encrypted with it: decrypted through DynamoDB only.
        dataKey.ifPresent(key -> role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("DecryptTheLedgerStream")
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("StringEquals",
                        Map.of("kms:ViaService", "dynamodb." + stack.getRegion() + ".amazonaws.com")))
                .build()));
        monitoring.allowPublishing(role);
        this.pipe = CfnPipe.Builder.create(this, "Pipe")
                .description("Alarms when an audit record of the ledger is changed or deleted")
                .roleArn(role.getRoleArn())
                .source(streamArn)
                .sourceParameters(CfnPipe.PipeSourceParametersProperty.builder()
                        .dynamoDbStreamParameters(CfnPipe.PipeSourceDynamoDBStreamParametersProperty.builder()
                                .startingPosition("LATEST")
                                .batchSize(1)
                                .build())
                        .filterCriteria(CfnPipe.FilterCriteriaProperty.builder()
                                .filters(List.of(CfnPipe.FilterProperty.builder().pattern(filterPattern()).build()))
                                .build())
                        .build())
                .target(monitoring.topic().getTopicArn())
                .targetParameters(CfnPipe.PipeTargetParametersProperty.builder()
                        .inputTemplate(MESSAGE)
                        .build())
                .build();
        pipe.getNode().addDependency(role);
    }

    /**
     * The alarm's text: which record, what happened, when, and who did it when the service did (a TTL deletion);
     * who else did it is in CloudTrail (the table's data events, when the trail records them).
     */
    static final String MESSAGE = "EKS access ledger: an audit record was changed or deleted (<$.eventName>)."
            + " Partition <$.dynamodb.Keys." + Tables.LEDGER_PARTITION_KEY + ".S>, record <$.dynamodb.Keys."
            + Tables.LEDGER_SORT_KEY + ".S>, at <$.dynamodb.ApproximateCreationDateTime> (epoch seconds), table"
            + " <$.eventSourceARN>. See docs/deploy.md, \"The ledger tamper alarm\".";

    /**
     * The Pipe's filter, as EventBridge Pipes matches it against each DynamoDB stream record: a change or deletion
     * ({@link #CHANGES}) of an item whose partition key starts with {@link Tables#LEDGER_AUDIT_PARTITION_PREFIX}.
     */
    static String filterPattern() {
        Map<String, Object> pattern = new LinkedHashMap<>();
        pattern.put("eventName", CHANGES);
        pattern.put("dynamodb", Map.of("Keys", Map.of(Tables.LEDGER_PARTITION_KEY,
                Map.of("S", List.of(Map.of("prefix", Tables.LEDGER_AUDIT_PARTITION_PREFIX))))));
        try {
            return new ObjectMapper().writeValueAsString(pattern);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Role role() {
        return role;
    }

    CfnPipe pipe() {
        return pipe;
    }
}
