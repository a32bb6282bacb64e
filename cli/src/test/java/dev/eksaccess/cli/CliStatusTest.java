package dev.eksaccess.cli;

import static dev.eksaccess.cli.LedgerFixture.CI;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.contract.Tables;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** status: flags → the ledger's two queries → text or JSON, and its exit codes; the ledger in memory. */
class CliStatusTest {

    private final InMemoryLedger ledger = new InMemoryLedger(LedgerFixture.scenario());

    private CliHarness.Run status(String... args) {
        CliContext context = CliHarness.reading("ledger", ledger.connector(), CliHarness.NO_STS);
        String[] all = new String[args.length + 3];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--region";
        all[args.length + 2] = "eu-west-1";
        return CliHarness.run(context, all);
    }

    @Test
    void aPendingRequest_showsEveryAuditRecordWithItsSender_andTheApprovalsSoFar() {
        CliHarness.Run result = status("payments-admin-42");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("""
                request payments-admin-42: 2 audit records, 1 pending approval

                audit record of request payments-admin-42
                  outcome:     pending-approval: held for 2 approvals (rule payments-admin)
                  action:      grant
                  cluster:     arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod
                  principal:   arn:aws:iam::111122223333:role/teams/payments-dev
                  policy:      AmazonEKSClusterAdminPolicy
                  sender:      arn:aws:iam::111122223333:role/teams/payments-ci, session run-7
                  requested:   2026-11-28T09:00:00.000Z by alice
                  reason:      INC-4711
                  rule:        payments-admin
                  recorded:    2026-11-28T09:00:00.123Z

                audit record of request payments-admin-42
                  outcome:     rejected: not eligible: no rule of arn:aws:iam::111122223333:role/teams/ops-ci allows \
                AmazonEKSClusterAdminPolicy
                  action:      grant
                  cluster:     arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod
                  principal:   arn:aws:iam::111122223333:role/teams/payments-dev
                  policy:      AmazonEKSClusterAdminPolicy
                  sender:      arn:aws:iam::111122223333:role/teams/ops-ci, session nightly
                  requested:   2026-11-28T09:30:00.000Z by alice
                  reason:      INC-4711
                  recorded:    2026-11-28T09:30:00.000Z

                pending request payments-admin-42
                  state:       waiting for approval: 1 of 2 approvals
                  cluster:     arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod
                  principal:   arn:aws:iam::111122223333:role/teams/payments-dev
                  policy:      AmazonEKSClusterAdminPolicy
                  requester:   arn:aws:iam::111122223333:role/teams/payments-ci, session run-7
                  requested:   2026-11-28T09:00:00.123Z by alice
                  reason:      INC-4711
                  rule:        payments-admin
                  approved by: arn:aws:iam::111122223333:role/platform/sre-lead
                  approvers:   arn:aws:iam::111122223333:role/platform/sre-lead
                               arn:aws:iam::111122223333:role/platform/sre-oncall
                               arn:aws:iam::111122223333:user/auditors/carol
                  expires:     2026-11-29T09:00:00.000Z (in 23h 0m)
                  decide:      eks-access approve|deny payments-admin-42
                """);
    }

    @Test
    void theQueries_areTheByRequestIndex_andThePendingPartitionUnderTheIdAndAHash() {
        status("payments-admin-42");

        assertThat(ledger.queries).hasSize(2);
        QueryRequest byRequest = ledger.queries.get(0);
        assertThat(byRequest.tableName()).isEqualTo("ledger");
        assertThat(byRequest.indexName()).isEqualTo(Tables.LEDGER_BY_REQUEST_INDEX);
        QueryRequest pending = ledger.queries.get(1);
        assertThat(pending.indexName()).isNull();
        assertThat(pending.keyConditionExpression()).isEqualTo("#pk = :pending AND begins_with(#sk, :prefix)");
        assertThat(pending.expressionAttributeValues().get(":prefix").s()).isEqualTo("payments-admin-42#");
    }

    @Test
    void twoSendersPendingUnderOneId_eachDecisionNamesItsRequester() {
        CliHarness.Run result = status("deploy-1");

        assertThat(result.out()).startsWith("request deploy-1: 0 audit records, 2 pending approvals\n")
                .contains("  decide:      eks-access approve|deny deploy-1 --requester " + CI + "\n")
                .contains("  decide:      eks-access approve|deny deploy-1 --requester " + LedgerFixture.OPS + "\n");
    }

    @Test
    void anExpiredRequest_saysSo_andOffersNoDecision() {
        CliHarness.Run result = status("old-3");

        assertThat(result.out())
                .contains("  state:       expired, not approved in time (the expiry sweep rejects it shortly)\n")
                .contains("  expires:     2026-11-28T09:59:00.000Z (1m ago)\n")
                .doesNotContain("decide:");
    }

    @Test
    void json_hasEveryFieldOfEveryItem_withNullsForWhatTheLedgerLacks() {
        CliHarness.Run result = status("payments-admin-42", "--json");

        assertThat(result.exitCode()).isZero();
        JsonNode document = JsonOutput.read(result.out());
        assertThat(document.get("requestId").asText()).isEqualTo("payments-admin-42");
        assertThat(document.get("records")).hasSize(2);
        assertThat(document.get("records").get(1)).isEqualTo(JsonOutput.read("""
                {"requestId":"payments-admin-42","action":"grant","outcome":"rejected",
                 "outcomeReason":"not eligible: no rule of arn:aws:iam::111122223333:role/teams/ops-ci allows AmazonEKSClusterAdminPolicy",
                 "clusterArn":"arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod",
                 "principalArn":"arn:aws:iam::111122223333:role/teams/payments-dev","policy":"AmazonEKSClusterAdminPolicy",
                 "sender":{"arn":"arn:aws:iam::111122223333:role/teams/ops-ci","session":"nightly",
                           "id":"AROAOPSEXAMPLE000001:nightly"},
                 "requestedBy":"alice","reason":"INC-4711","requestedAt":"2026-11-28T09:30:00.000Z","ruleId":null,
                 "recordedAt":"2026-11-28T09:30:00.000Z"}"""));
        assertThat(document.get("pending")).hasSize(1);
        assertThat(document.get("pending").get(0)).isEqualTo(JsonOutput.read("""
                {"requestId":"payments-admin-42","state":"pending-approval",
                 "clusterArn":"arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod",
                 "principalArn":"arn:aws:iam::111122223333:role/teams/payments-dev","policy":"AmazonEKSClusterAdminPolicy",
                 "requester":{"arn":"arn:aws:iam::111122223333:role/teams/payments-ci","session":"run-7"},
                 "requestedBy":"alice","reason":"INC-4711","ruleId":"payments-admin",
                 "approval":{"required":2,"approvedBy":["arn:aws:iam::111122223333:role/platform/sre-lead"],
                             "approvers":["arn:aws:iam::111122223333:role/platform/sre-lead",
                                          "arn:aws:iam::111122223333:role/platform/sre-oncall",
                                          "arn:aws:iam::111122223333:user/auditors/carol"]},
                 "createdAt":"2026-11-28T09:00:00.123Z","expiresAt":"2026-11-29T09:00:00.000Z"}"""));
    }

    @Test
    void nothingFound_exitsWith5_sayingWhyItMayBeSo() {
        CliHarness.Run text = status("payments-admin-4");
        CliHarness.Run json = status("payments-admin-4", "--json");

        assertThat(text.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(text.out()).isEmpty();
        assertThat(text.err()).startsWith("eks-access: the ledger (table ledger) has no record of request "
                + "payments-admin-4, and nothing waits for approval under that id. A request sent moments ago may "
                + "not be processed yet");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(JsonOutput.read(json.out())).isEqualTo(JsonOutput.read(
                "{\"requestId\":\"payments-admin-4\",\"records\":[],\"pending\":[]}"));
    }

    @Test
    void theSystemsOwnIds_canBeLookedUp_butMalformedIdsAreUsageErrors() {
        assertThat(status("bootstrap:4b1c0d").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);

        CliHarness.Run malformed = status("payments admin");
        assertThat(malformed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.err()).startsWith("eks-access: REQUEST_ID: 'payments admin' is not a request id");
        assertThat(ledger.queries).hasSize(2);
    }

    @Test
    void noLedgerTable_orAMalformedOne_isAUsageError() {
        CliContext noTable = new CliContext(CliHarness.CLOCK, Map.of(), CliHarness.NO_SQS, CliHarness.NO_DYNAMODB,
                CliHarness.NO_STS);

        CliHarness.Run none = CliHarness.run(noTable, "status", "x", "--region", "eu-west-1");
        CliHarness.Run bad = CliHarness.run(noTable, "status", "x", "--region", "eu-west-1",
                "--ledger-table", "arn:aws:dynamodb:eu-west-1:111122223333:table/ledger");

        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).startsWith("eks-access: no ledger table: give --ledger-table or set "
                + "EKS_ACCESS_LEDGER_TABLE (the stack output LedgerTableName)\n");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("is not a DynamoDB table name");
    }

    @Test
    void unreadableLedger_exitsWith4AndSaysWhy() {
        DynamoDbConnector refused = (region, endpoint) -> {
            throw CliHarness.noCredentials();
        };
        CliContext context = new CliContext(CliHarness.CLOCK, Map.of(), CliHarness.NO_SQS, refused,
                CliHarness.NO_STS);

        CliHarness.Run result = CliHarness.run(context, "status", "x", "--ledger-table", "ledger",
                "--region", "eu-west-1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(result.err()).isEqualTo("eks-access: could not read the ledger table ledger: Unable to load "
                + "credentials from any of the providers in the chain\n");
    }
}
