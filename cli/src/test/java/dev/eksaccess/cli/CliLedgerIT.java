package dev.eksaccess.cli;

import static dev.eksaccess.cli.LedgerFixture.CI;
import static dev.eksaccess.cli.LedgerFixture.SRE_LEAD;
import static dev.eksaccess.cli.LedgerFixture.SRE_ONCALL;
import static dev.eksaccess.cli.LedgerFixture.SRE_ONCALL_SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.cli.CliHarness.Run;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * status and pending read a ledger table created from the contract's {@code Tables.LEDGER} (with its byRequest index)
 * on emulated DynamoDB, through the real SDK client, the URL-connection HTTP stack and the SDK's default credentials
 * chain, from items seeded in the layout the grant processor writes. The caller's identity is given: the emulators
 * have no STS (see {@link CallerIdentity}).
 */
@Tag("integration")
@ExtendWith(EmulatedAws.class)
class CliLedgerIT {

    private final AwsBackend aws;
    private String table;

    CliLedgerIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTheLedger_andExposeCredentialsToTheDefaultChain() {
        table = DynamoDbTables.createUnique(aws.dynamoDb(), "cli-ledger", Tables.LEDGER);
        seed(LedgerFixture.scenario());
        CliHarness.exposeToDefaultChain(aws);
    }

    @AfterEach
    void forgetCredentials() {
        CliHarness.forgetDefaultChainCredentials();
    }

    private void seed(List<Map<String, AttributeValue>> items) {
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = items.subList(from, Math.min(items.size(), from + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                    .toList();
            Map<String, List<WriteRequest>> unprocessed = Map.of(table, batch);
            while (!unprocessed.isEmpty()) {
                Map<String, List<WriteRequest>> request = unprocessed;
                unprocessed = aws.dynamoDb().batchWriteItem(r -> r.requestItems(request)).unprocessedItems();
            }
        }
    }

    /** The CLI as a team member runs it, the table from the environment, as {@code caller} for STS. */
    private Run cli(String caller, String... args) {
        CliContext context = CliHarness.reading(table, DynamoDbConnector.defaultChain(), region -> caller);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--region", aws.region().id(), "--endpoint-url", aws.dynamoDbEndpoint().toString()));
        return CliHarness.run(context, all.toArray(String[]::new));
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(item -> item.get("requestId").asText()).toList();
    }

    @Test
    void status_findsEverySendersRecord_throughTheIndex_andWhatWaitsUnderTheIdAlone() {
        Run result = cli(SRE_ONCALL_SESSION, "status", "payments-admin-42", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode document = JsonOutput.read(result.out());
        assertThat(document.get("records")).extracting(r -> r.get("sender").get("arn").asText())
                .as("oldest first").containsExactly(CI, LedgerFixture.OPS);
        assertThat(document.get("records")).extracting(r -> r.get("outcome").asText())
                .containsExactly("pending-approval", "rejected");
        assertThat(ids(document.get("pending"))).as("not payments-admin-420").containsExactly("payments-admin-42");
        assertThat(document.get("pending").get(0).get("approval").get("approvedBy"))
                .extracting(JsonNode::asText).containsExactly(SRE_LEAD);
    }

    @Test
    void status_printsTheSameTextAsFromAnyLedger() {
        Run result = cli(SRE_ONCALL_SESSION, "status", "payments-admin-42");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("request payments-admin-42: 2 audit records, 1 pending approval\n\n"
                        + "audit record of request payments-admin-42\n"
                        + "  outcome:     pending-approval: held for 2 approvals (rule payments-admin)\n")
                .contains("  sender:      arn:aws:iam::111122223333:role/teams/ops-ci, session nightly\n")
                .contains("  approved by: " + SRE_LEAD + "\n")
                .contains("  approvers:   " + SRE_LEAD + "\n               " + SRE_ONCALL + "\n")
                .endsWith("  expires:     2026-11-29T09:00:00.000Z (in 23h 0m)\n"
                        + "  decide:      eks-access approve|deny payments-admin-42\n");
    }

    @Test
    void status_ofAnUnknownId_exitsWith5() {
        Run result = cli(SRE_ONCALL_SESSION, "status", "payments-admin-4");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).startsWith("eks-access: the ledger (table " + table + ") has no record of request "
                + "payments-admin-4");
    }

    @Test
    void pending_listsWhatTheCallerMayApprove_orEverything() {
        Run mine = cli(SRE_ONCALL_SESSION, "pending", "--json");
        Run lead = cli(SRE_ONCALL_SESSION, "pending", "--approver", SRE_LEAD);
        Run all = cli(SRE_ONCALL_SESSION, "pending", "--all", "--json");

        assertThat(mine.exitCode()).as(mine.err()).isZero();
        assertThat(ids(JsonOutput.read(mine.out()).get("pending")))
                .containsExactly("deploy-1", "deploy-1", "lead-6", "payments-admin-42", "payments-admin-420");
        assertThat(lead.out()).startsWith("1 request waiting for your approval (as " + SRE_LEAD + ")\n"
                + "(6 more that you cannot approve now: eks-access pending --all)\n\npending request oncall-5\n");
        assertThat(ids(JsonOutput.read(all.out()).get("pending"))).hasSize(7).startsWith("old-3");
    }

    @Test
    void pending_readsEveryPageOfALargePartition() {
        // About 20 KB an item: 60 of them take two pages of DynamoDB's 1 MB.
        seed(IntStream.range(0, 60).mapToObj(i -> {
            Map<String, AttributeValue> item = new HashMap<>(LedgerFixture.pending(String.format("bulk-%02d", i),
                    CI, "bulk", LedgerFixture.DEV, List.of(SRE_ONCALL), 1, List.of(), "2026-11-29T00:00:00.000Z",
                    "2026-11-28T00:00:00.000Z"));
            item.put("reason", AttributeValue.fromS("r".repeat(20_000)));
            return item;
        }).toList());

        Run all = cli(SRE_ONCALL_SESSION, "pending", "--all", "--json");

        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(JsonOutput.read(all.out()).get("pending")).hasSize(67);
    }
}
