package dev.eksaccess.cli;

import static dev.eksaccess.cli.CliHarness.NOW;
import static dev.eksaccess.cli.CliHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flags → message: what {@code --dry-run} prints is the contract-v1 message that would be sent. */
class CliDryRunTest {

    static final String CLUSTER_ARN = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    static final String DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";
    static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/111122223333/eks-access-grants";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void grantWithNamespaces_printsANamespaceScopedGrantWithEveryGivenField() throws Exception {
        CliHarness.Run result = run("grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--policy", "AmazonEKSEditPolicy", "--namespace", "payments", "--namespace", "payments-*",
                "--group", "payments-devs", "--username", "payments:{{SessionName}}", "--duration", "PT8H",
                "--reason", "INC-4711", "--request-id", "req-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        JsonNode message = json.readTree(result.out());
        assertThat(message).isEqualTo(json.readTree("""
                {"action":"grant","clusterArn":"%s","principalArn":"%s","accessPolicy":"AmazonEKSEditPolicy",
                 "accessScope":{"type":"namespace","namespaces":["payments","payments-*"]},
                 "kubernetesGroups":["payments-devs"],"username":"payments:{{SessionName}}",
                 "expiresAt":"2026-11-28T18:00:00Z","requestId":"req-1","requestedAt":"2026-11-28T10:00:00Z",
                 "requestedBy":"alice","reason":"INC-4711"}""".formatted(CLUSTER_ARN, DEV)));
        assertThat(result.out()).as("pretty-printed for people").contains("\n  \"action\"");
    }

    @Test
    void grantWithoutNamespaces_isClusterScoped_andCommaSeparatedListsAreSplit() throws Exception {
        CliHarness.Run result = run("grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--policy", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "--group", "a,b",
                "--expires-at", "2026-11-29T10:00:00Z");

        JsonNode message = json.readTree(result.out());
        assertThat(message.get("accessScope")).isEqualTo(json.readTree("{\"type\":\"cluster\"}"));
        assertThat(message.get("accessPolicy").asText()).as("ARN normalised to the short name")
                .isEqualTo("AmazonEKSViewPolicy");
        assertThat(message.get("kubernetesGroups")).isEqualTo(json.readTree("[\"a\",\"b\"]"));
        assertThat(message.get("expiresAt").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(message.has("username")).isFalse();
        assertThat(message.has("reason")).isFalse();
    }

    @Test
    void clusterName_resolvesInTheQueuesAccountAndRegion_asTheGrantProcessorDoes() throws Exception {
        CliHarness.Run result = run("grant", "--dry-run", "--cluster", "payments-prod", "--principal", DEV,
                "--policy", "AmazonEKSViewPolicy", "--queue-url", QUEUE);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(json.readTree(result.out()).get("clusterArn").asText()).isEqualTo(CLUSTER_ARN);
    }

    @Test
    void queueUrlAndRequester_comeFromTheEnvironmentWhenNotGiven() throws Exception {
        CliContext context = CliHarness.sending(CliHarness.CLOCK,
                Map.of(CliContext.QUEUE_URL_VARIABLE, QUEUE, "USERNAME", "bob"), CliHarness.NO_SQS);

        CliHarness.Run result = CliHarness.run(context, "grant", "--dry-run", "--cluster", "payments-prod",
                "--principal", DEV, "--policy", "AmazonEKSViewPolicy");

        JsonNode message = json.readTree(result.out());
        assertThat(message.get("clusterArn").asText()).isEqualTo(CLUSTER_ARN);
        assertThat(message.get("requestedBy").asText()).isEqualTo("bob");
    }

    @Test
    void requestId_isANewUuidUnlessGiven() throws Exception {
        String first = json.readTree(run("revoke", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--all-policies").out()).get("requestId").asText();
        String second = json.readTree(run("revoke", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--all-policies").out()).get("requestId").asText();

        assertThat(first).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void revokeOfOnePolicy_andOfAllPolicies_carryNoGrantFields() throws Exception {
        JsonNode one = json.readTree(run("revoke", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--policy", "AmazonEKSEditPolicy", "--request-id", "r-1", "--requested-by", "carol").out());
        JsonNode all = json.readTree(run("revoke", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--all-policies", "--request-id", "r-2").out());

        assertThat(one).isEqualTo(json.readTree("""
                {"action":"revoke","clusterArn":"%s","principalArn":"%s","accessPolicy":"AmazonEKSEditPolicy",
                 "requestId":"r-1","requestedAt":"2026-11-28T10:00:00Z","requestedBy":"carol"}"""
                .formatted(CLUSTER_ARN, DEV)));
        assertThat(all.has("accessPolicy")).isFalse();
        assertThat(all.get("action").asText()).isEqualTo("revoke");
    }

    @Test
    void printedMessage_parsesInTheGrantProcessorToTheRequestTheFlagsDescribe() {
        CliHarness.Run result = run("grant", "--dry-run", "--cluster", CLUSTER_ARN, "--principal", DEV,
                "--policy", "AmazonEKSViewPolicy", "--namespace", "payments", "--duration", "P1D",
                "--request-id", "req-9");

        ParsedMessage parsed = new RequestParser(RequestRules.defaults("us-east-1", "999988887777"), CliHarness.CLOCK)
                .parse(result.out(), new MessageMeta("sqs-message-id", NOW.plusSeconds(3), null, 1));

        assertThat(parsed).isInstanceOf(ParsedMessage.Access.class);
        AccessRequest request = ((ParsedMessage.Access) parsed).request();
        assertThat(request.action()).isEqualTo(Action.GRANT);
        assertThat(request.cluster().arn()).isEqualTo(CLUSTER_ARN);
        assertThat(request.scope()).isEqualTo(AccessScope.namespaces(List.of("payments")));
        assertThat(request.expiresAt()).isEqualTo(NOW.plusSeconds(86_400));
        assertThat(request.requestId()).isEqualTo("req-9");
        assertThat(request.requestedAt()).as("stamped by the CLI, not the queue").isEqualTo(NOW);
    }
}
