package dev.eksaccess.cli;

import static dev.eksaccess.cli.LedgerFixture.CAROL;
import static dev.eksaccess.cli.LedgerFixture.SRE_LEAD;
import static dev.eksaccess.cli.LedgerFixture.SRE_LEAD_SESSION;
import static dev.eksaccess.cli.LedgerFixture.SRE_ONCALL_SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * pending: whose requests it lists (the caller's to approve by default, another approver's, or all), how, and its
 * exit codes; the ledger in memory, the caller's identity given instead of asked of STS.
 */
class CliPendingTest {

    private final InMemoryLedger ledger = new InMemoryLedger(LedgerFixture.scenario());
    private final List<Region> stsRegions = new ArrayList<>();

    /** pending, run as {@code caller} (what STS would answer). */
    private CliHarness.Run pendingAs(String caller, String... args) {
        CallerIdentity identity = region -> {
            stsRegions.add(region);
            return caller;
        };
        CliContext context = CliHarness.reading("ledger", ledger.connector(), identity);
        List<String> all = new ArrayList<>(List.of("pending", "--region", "eu-west-1"));
        all.addAll(List.of(args));
        return CliHarness.run(context, all.toArray(String[]::new));
    }

    private static List<String> ids(CliHarness.Run result) {
        return result.out().lines().filter(line -> line.startsWith("pending request "))
                .map(line -> line.substring("pending request ".length())).toList();
    }

    private static List<String> jsonIds(CliHarness.Run result) {
        JsonNode pending = JsonOutput.read(result.out()).get("pending");
        return StreamSupport.stream(pending.spliterator(), false).map(p -> p.get("requestId").asText()).toList();
    }

    @Test
    void byDefault_listsWhatTheCallerMayApprove_notWhatItSent_grantsIt_approvedOrExpired() {
        CliHarness.Run lead = pendingAs(SRE_LEAD_SESSION);
        CliHarness.Run oncall = pendingAs(SRE_ONCALL_SESSION);
        CliHarness.Run carol = pendingAs(CAROL);

        assertThat(lead.exitCode()).as(lead.err()).isZero();
        // payments-admin-42: approved already; lead-6: grants the lead; old-3: expired; the rest: not an approver.
        assertThat(ids(lead)).containsExactly("oncall-5");
        // oncall-5: sent by on-call itself. Soonest expiry first.
        assertThat(ids(oncall)).containsExactly("deploy-1", "deploy-1", "lead-6", "payments-admin-42",
                "payments-admin-420");
        assertThat(ids(carol)).containsExactly("payments-admin-42");
        assertThat(stsRegions).containsOnly(Region.EU_WEST_1);
    }

    @Test
    void text_namesTheCaller_countsWhatItCannotApprove_andShowsEachRequest() {
        CliHarness.Run result = pendingAs(SRE_LEAD_SESSION);

        assertThat(result.out()).isEqualTo("""
                1 request waiting for your approval (as arn:aws:sts::111122223333:assumed-role/sre-lead/bob@example.com)
                (6 more that you cannot approve now: eks-access pending --all)

                pending request oncall-5
                  state:       waiting for approval: 0 of 1 approvals
                  cluster:     arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod
                  principal:   arn:aws:iam::111122223333:role/teams/payments-dev
                  policy:      AmazonEKSClusterAdminPolicy
                  requester:   arn:aws:iam::111122223333:role/platform/sre-oncall, session dan
                  requested:   2026-11-28T08:00:00.000Z by alice
                  reason:      INC-4711
                  rule:        payments-admin
                  approved by: nobody yet
                  approvers:   arn:aws:iam::111122223333:role/platform/sre-lead
                               arn:aws:iam::111122223333:role/platform/sre-oncall
                  expires:     2026-11-28T18:00:00.000Z (in 8h 0m)
                  decide:      eks-access approve|deny oncall-5
                """);
    }

    @Test
    void twoSendersUnderOneId_theDecisionNamesTheRequester() {
        CliHarness.Run result = pendingAs(SRE_ONCALL_SESSION);

        assertThat(result.out())
                .contains("decide:      eks-access approve|deny deploy-1 --requester " + LedgerFixture.CI + "\n")
                .contains("decide:      eks-access approve|deny deploy-1 --requester " + LedgerFixture.OPS + "\n")
                .contains("decide:      eks-access approve|deny payments-admin-42\n");
    }

    @Test
    void approver_replacesTheCallersIdentity_withoutAskingSts() {
        CliContext context = CliHarness.reading("ledger", ledger.connector(), CliHarness.NO_STS);

        CliHarness.Run byRole = CliHarness.run(context, "pending", "--region", "eu-west-1", "--approver", SRE_LEAD);
        CliHarness.Run bySession = CliHarness.run(context, "pending", "--region", "eu-west-1",
                "--approver", SRE_LEAD_SESSION, "--json");

        assertThat(ids(byRole)).containsExactly("oncall-5");
        assertThat(byRole.out()).startsWith("1 request waiting for your approval (as " + SRE_LEAD + ")\n");
        assertThat(jsonIds(bySession)).containsExactly("oncall-5");
        assertThat(JsonOutput.read(bySession.out()).get("approver").asText()).isEqualTo(SRE_LEAD_SESSION);
    }

    @Test
    void all_listsEveryPendingRequest_expiredOnesToo_withoutAskingSts() {
        CliHarness.Run text = pendingAs(SRE_LEAD_SESSION, "--all");
        CliHarness.Run json = pendingAs(SRE_LEAD_SESSION, "--all", "--json");

        assertThat(text.out()).startsWith("7 requests waiting for approval\n\n");
        assertThat(ids(text)).containsExactly("old-3", "deploy-1", "deploy-1", "lead-6", "oncall-5",
                "payments-admin-42", "payments-admin-420");
        assertThat(jsonIds(json)).hasSize(7);
        JsonNode document = JsonOutput.read(json.out());
        assertThat(document.get("approver").isNull()).isTrue();
        assertThat(document.get("pending").get(0).get("state").asText()).isEqualTo("expired");
        assertThat(document.get("pending").get(1).get("state").asText()).isEqualTo("pending-approval");
        assertThat(stsRegions).isEmpty();
    }

    @Test
    void nothingToApprove_isNoError() {
        CliHarness.Run nobody = pendingAs("arn:aws:sts::111122223333:assumed-role/payments-dev/eve");
        CliHarness.Run root = pendingAs("arn:aws:iam::111122223333:root");

        assertThat(nobody.exitCode()).isZero();
        assertThat(nobody.out()).isEqualTo("no request waits for your approval "
                + "(as arn:aws:sts::111122223333:assumed-role/payments-dev/eve)\n"
                + "(7 more that you cannot approve now: eks-access pending --all)\n");
        assertThat(root.exitCode()).isZero();
        assertThat(root.out()).startsWith("no request waits for your approval (as arn:aws:iam::111122223333:root): "
                + "no approver list can name such an identity (only IAM roles and users)\n");
    }

    @Test
    void stsFailure_exitsWith4_pointingAtApproverAndAll() {
        CallerIdentity failing = region -> {
            throw CliHarness.noCredentials();
        };
        CliContext context = CliHarness.reading("ledger", CliHarness.NO_DYNAMODB, failing);

        CliHarness.Run result = CliHarness.run(context, "pending", "--region", "eu-west-1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("eks-access: could not ask STS who you are (GetCallerIdentity): Unable to "
                + "load credentials from any of the providers in the chain. Give --approver ARN, or --all\n");
    }

    @Test
    void usageErrors_exitWith2_beforeAnyAwsCall() {
        CliHarness.Run both = pendingAs(SRE_LEAD_SESSION, "--all", "--approver", SRE_LEAD);
        CliHarness.Run badApprover = pendingAs(SRE_LEAD_SESSION, "--approver", "sre-lead");

        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(badApprover.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badApprover.err()).startsWith("eks-access: --approver: 'sre-lead' is not an IAM role or user ARN, "
                + "nor an assumed-role session ARN\n");
        assertThat(ledger.queries).isEmpty();
        assertThat(stsRegions).isEmpty();
    }
}
