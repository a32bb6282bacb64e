package dev.eksaccess.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The optional customer managed key ({@code kmsKey}) for the queues, the tables, the alarm topic and the functions'
 * log groups: created here ({@code create}) with the key policy below, or an existing key by ARN, whose policy the
 * deployer keeps to the same effect (docs/deploy.md lists the statements).
 *
 * <p>The key policy names no action with a wildcard: the account administers the key and may let its principals use
 * it, through SQS, DynamoDB and SNS only, by their IAM policies (the functions' roles get exactly that); CloudWatch
 * Logs may use it for this account's log groups, CloudWatch for alarm notifications, EventBridge for the dead
 * letters of its rules, and the configured senders of other accounts to send requests.
 */
final class DataKey {

    /** The context value that asks the stack to create the key. */
    static final String CREATE = "create";

    /** What the account's administrators may do with the key (everything but using it). */
    static final List<String> ADMIN_ACTIONS = List.of(
            "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:ListKeyPolicies",
            "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:DisableKeyRotation",
            "kms:EnableKey", "kms:DisableKey", "kms:UpdateKeyDescription",
            "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
            "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource",
            "kms:ListGrants", "kms:RevokeGrant",
            "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion");

    /** What encrypting and decrypting through SQS, DynamoDB or SNS takes of a caller. */
    static final List<String> USE_ACTIONS = List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
            "kms:DescribeKey");

    /** What CloudWatch Logs needs to encrypt and read log groups (AWS's list, spelled out). */
    static final List<String> LOGS_ACTIONS = List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom",
            "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey");

    private DataKey() {
    }

    /** The key {@code kmsKey} names: a new one for {@link #CREATE}, else the existing key of that ARN. */
    static IKey of(Construct scope, String kmsKey, List<IPrincipal> senders) {
        if (!CREATE.equals(kmsKey)) {
            return Key.fromKeyArn(scope, "DataKey", kmsKey);
        }
        return Key.Builder.create(scope, "DataKey")
                .description("Encrypts the EKS access queues, tables, alarm topic and function logs")
                .enableKeyRotation(true)
                .policy(PolicyDocument.Builder.create().statements(policy(Stack.of(scope), senders)).build())
                .build();
    }

    private static List<PolicyStatement> policy(Stack stack, List<IPrincipal> senders) {
        String region = stack.getRegion();
        String account = stack.getAccount();
        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(PolicyStatement.Builder.create()
                .sid("KeyAdministration")
                .principals(List.of(new AccountRootPrincipal()))
                .actions(ADMIN_ACTIONS)
                .resources(List.of("*"))
                .build());
        statements.add(PolicyStatement.Builder.create()
                .sid("AccountUsesTheKeyThroughItsServices")
                .principals(List.of(new AccountRootPrincipal()))
                .actions(USE_ACTIONS)
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of(
                        "kms:CallerAccount", account,
                        "kms:ViaService", viaServices(region))))
                .build());
        // DynamoDB keeps grants on the table key for its own use; creating the tables creates them.
        statements.add(PolicyStatement.Builder.create()
                .sid("AccountLetsDynamoDbKeepGrants")
                .principals(List.of(new AccountRootPrincipal()))
                .actions(List.of("kms:CreateGrant"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "StringEquals", Map.of("kms:CallerAccount", account,
                                "kms:ViaService", "dynamodb." + region + ".amazonaws.com"),
                        "Bool", Map.of("kms:GrantIsForAWSResource", "true")))
                .build());
        statements.add(PolicyStatement.Builder.create()
                .sid("LogsEncryptThisAccountsLogGroups")
                .principals(List.of(new ServicePrincipal("logs." + region + ".amazonaws.com")))
                .actions(LOGS_ACTIONS)
                .resources(List.of("*"))
                .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                        "arn:" + stack.getPartition() + ":logs:" + region + ":" + account + ":log-group:*")))
                .build());
        for (String service : List.of("cloudwatch.amazonaws.com", "events.amazonaws.com")) {
            statements.add(PolicyStatement.Builder.create()
                    .sid(service.startsWith("cloudwatch") ? "CloudWatchPublishesAlarms" : "EventBridgeSendsDeadLetters")
                    .principals(List.of(new ServicePrincipal(service)))
                    .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
                    .resources(List.of("*"))
                    .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", account)))
                    .build());
        }
        if (!senders.isEmpty()) {
            statements.add(PolicyStatement.Builder.create()
                    .sid("ConfiguredSendersEncryptRequests")
                    .principals(senders)
                    .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
                    .resources(List.of("*"))
                    .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "sqs." + region + ".amazonaws.com")))
                    .build());
        }
        return statements;
    }

    /** The services through which the account's principals use the key. */
    static List<String> viaServices(String region) {
        return List.of("sqs." + region + ".amazonaws.com", "dynamodb." + region + ".amazonaws.com",
                "sns." + region + ".amazonaws.com");
    }

    /**
     * What a function's role needs of the key: data keys for what it writes, decryption of what it reads, through
     * SQS and DynamoDB only.
     */
    static PolicyStatement useThroughQueuesAndTables(IKey key, String region) {
        return PolicyStatement.Builder.create()
                .sid("UseTheDataKeyThroughQueuesAndTables")
                .actions(USE_ACTIONS)
                .resources(List.of(key.getKeyArn()))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService",
                        List.of("sqs." + region + ".amazonaws.com", "dynamodb." + region + ".amazonaws.com"))))
                .build();
    }
}
