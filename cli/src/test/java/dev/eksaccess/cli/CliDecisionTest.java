package dev.eksaccess.cli;

import static dev.eksaccess.cli.CliDryRunTest.QUEUE;
import static dev.eksaccess.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * approve and deny: flags → the contract's decision message ({@code $defs/decision}), checked before sending with
 * every problem listed (exit 3), usage errors (exit 2) and failed sends (exit 4) as for grant and revoke.
 */
class CliDecisionTest {

    static final String CI = "arn:aws:iam::111122223333:role/teams/payments-ci";

    private static JsonNode json(CliHarness.Run result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        return JsonOutput.read(result.out());
    }

    @Test
    void approve_printsTheDecisionMessage_whichTheSchemaAccepts() {
        JsonNode message = json(run("approve", "payments-admin-42", "--dry-run", "--reason", "INC-4711 checked",
                "--request-id", "approval-1"));

        assertThat(message).isEqualTo(JsonOutput.read("""
                {"action":"approve","pendingRequestId":"payments-admin-42","requestId":"approval-1",
                 "requestedBy":"alice","reason":"INC-4711 checked"}"""));
        assertThat(DecisionSchema.errors(message)).isEmpty();
    }

    @Test
    void deny_withRequester_carriesIt_andTheRequestIdIsANewUuidUnlessGiven() {
        JsonNode first = json(run("deny", "payments-admin-42", "--dry-run", "--requester", CI,
                "--requested-by", "bob"));
        JsonNode second = json(run("deny", "payments-admin-42", "--dry-run"));

        assertThat(first.get("action").asText()).isEqualTo("deny");
        assertThat(first.get("requester").asText()).isEqualTo(CI);
        assertThat(first.get("requestedBy").asText()).isEqualTo("bob");
        assertThat(first.has("reason")).isFalse();
        assertThat(first.get("requestId").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                .isNotEqualTo(second.get("requestId").asText());
        assertThat(DecisionSchema.errors(first)).isEmpty();
        assertThat(DecisionSchema.errors(second)).isEmpty();
    }

    @Test
    void everyProblem_isListedAtOnce_withItsFlag_andNothingIsPrinted() {
        CliHarness.Run result = run("approve", "payments admin!", "--dry-run",
                "--requester", "arn:aws:sts::111122223333:assumed-role/payments-ci/run-7",
                "--request-id", "expiry:forged", "--reason", " ", "--requested-by", "x".repeat(1025));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("""
                eks-access: the approve request is invalid (5 problems):
                  PENDING_REQUEST_ID (pendingRequestId): 'payments admin!' must be 1-128 letters, digits or any \
                of _:.@/+=-
                  --requester (requester): is an STS assumed-role session ARN; send the IAM role ARN with its path \
                instead, e.g. arn:aws:iam::ACCOUNT:role/PATH/payments-ci (aws iam get-role --role-name payments-ci shows it)
                  --request-id (requestId): 'expiry:forged' starts with expiry:, which is reserved for the system's \
                own requests: the grant processor rejects it from anyone else
                  --requested-by (requestedBy): is longer than 1024 characters
                  --reason (reason): must not be blank
                """);
    }

    @Test
    void reservedPrefixes_areRefusedForThePendingId_whateverTheirCase() {
        CliHarness.Run result = run("deny", "Bootstrap:4b1c", "--dry-run");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
        assertThat(result.err()).contains("PENDING_REQUEST_ID (pendingRequestId): 'Bootstrap:4b1c' starts with "
                + "bootstrap:, which is reserved for the system's own requests: none of the system's own requests "
                + "waits for approval");
    }

    @Test
    void whatTheCliRefusesForItsForm_theSchemaRefusesToo() {
        // The CLI's own check of an id and the schema's pattern agree; the reserved prefixes are the grant
        // processor's rule alone (the schema describes them in words).
        for (String id : new String[] {"with space", "x".repeat(129), "a#b", "ünï"}) {
            assertThat(run("approve", id, "--dry-run").exitCode()).as(id).isEqualTo(ExitCodes.INVALID_REQUEST);
            assertThat(DecisionSchema.errors(JsonOutput.read(
                    "{\"action\":\"approve\",\"pendingRequestId\":" + JsonOutput.JSON.valueToTree(id) + "}")))
                    .as(id).isNotEmpty();
        }
        String longest = "a:b.c@d/e+f=g-h_".repeat(8);
        assertThat(DecisionSchema.errors(json(run("approve", longest, "--dry-run", "--request-id", longest))))
                .isEmpty();
    }

    @Test
    void usageErrors_exitWith2() {
        CliHarness.Run noQueue = run("approve", "payments-admin-42");
        CliHarness.Run noId = run("deny", "--dry-run");

        assertThat(noQueue.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noQueue.err()).isEqualTo("eks-access: no grant queue: give --queue-url or set EKS_ACCESS_QUEUE_URL "
                + "(or --dry-run to only print the message)\nTry 'eks-access approve --help' for more information.\n");
        assertThat(noId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noId.err()).contains("Missing required parameter: 'PENDING_REQUEST_ID'");
        assertThat(run("approve", "x", "--dry-run", "--queue-url", "https://sqs.eu-west-1.amazonaws.com/q")
                .exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("approve", "x", "--dry-run", "--policy", "AmazonEKSViewPolicy").err())
                .contains("Unknown options: '--policy'");
    }

    @Test
    void failedSend_exitsWith4AndSaysWhy() {
        SqsConnector unreachable = (region, endpoint) -> {
            throw CliHarness.noCredentials();
        };
        CliContext context = CliHarness.sending(CliHarness.CLOCK, Map.of(CliContext.QUEUE_URL_VARIABLE, QUEUE),
                unreachable);

        CliHarness.Run result = CliHarness.run(context, "deny", "payments-admin-42");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("eks-access: could not send the request to " + QUEUE
                + ": Unable to load credentials from any of the providers in the chain\n");
    }

    @Test
    void help_saysWhoseDecisionCounts_andListsTheFlags() {
        CliHarness.Run result = run("approve", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("PENDING_REQUEST_ID", "--requester=ARN", "--queue-url=URL", "--dry-run",
                "--request-id=ID", "3 invalid request");
    }
}
