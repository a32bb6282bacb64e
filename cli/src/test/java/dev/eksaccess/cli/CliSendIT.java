package dev.eksaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.cli.CliHarness.Run;
import dev.eksaccess.config.SqsQueueUrl;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.request.Action;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.EmulatedAws;
import dev.eksaccess.testsupport.UniqueNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The CLI sends through the real SDK client, the URL-connection HTTP stack and the SDK's default credentials chain
 * (credentials from the {@code aws.accessKeyId} system properties) to emulated SQS; what arrives parses in the grant
 * processor's parser to the request the flags describe. Approve and deny arrive as the contract's decision message.
 */
@Tag("integration")
@ExtendWith(EmulatedAws.class)
class CliSendIT {

    static final String DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";

    private final AwsBackend aws;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private String queueUrl;

    CliSendIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createQueueAndExposeCredentialsToTheDefaultChain() {
        queueUrl = aws.sqs().createQueue(r -> r.queueName(UniqueNames.unique("cli-grants"))).queueUrl();
        CliHarness.exposeToDefaultChain(aws);
    }

    @AfterEach
    void forgetCredentials() {
        CliHarness.forgetDefaultChainCredentials();
    }

    private Run cli(String... args) {
        return CliHarness.run(CliHarness.sending(clock, Map.of("USER", "alice"), SqsConnector.defaultChain()),
                args);
    }

    private Message receiveOne() {
        List<Message> messages = aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5)
                .maxNumberOfMessages(10).messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP))
                .messages();
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    /** The grant processor's view of a received message, with its default rules and the queue's account. */
    private ParsedMessage parseAsTheGrantProcessor(Message message) {
        String account = SqsQueueUrl.parse(queueUrl).accountId();
        Instant sentAt = Instant.ofEpochMilli(Long.parseLong(
                message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)));
        return new RequestParser(RequestRules.defaults(aws.region().id(), account), clock)
                .parse(message.body(), new MessageMeta(message.messageId(), sentAt, null, 1));
    }

    @Test
    void grant_arrivesOnTheQueue_asTheRequestTheFlagsDescribe() {
        Run result = cli("grant", "--cluster", "payments-prod", "--principal", DEV, "--policy", "AmazonEKSEditPolicy",
                "--namespace", "payments", "--duration", "PT8H", "--reason", "INC-4711", "--request-id", "it-grant-1",
                "--queue-url", queueUrl, "--region", aws.region().id(), "--endpoint-url", aws.sqsEndpoint().toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        Message message = receiveOne();
        assertThat(result.out()).isEqualTo("messageId: " + message.messageId() + "\nrequestId: it-grant-1\n");
        String account = SqsQueueUrl.parse(queueUrl).accountId();
        ClusterRef cluster = new ClusterRef("aws", aws.region().id(), account, "payments-prod");
        assertThat(parseAsTheGrantProcessor(message)).isEqualTo(new ParsedMessage.Access(new AccessRequest(
                Action.GRANT, cluster, DEV, "AmazonEKSEditPolicy", AccessScope.namespaces(List.of("payments")), null,
                null, now.plus(Duration.ofHours(8)), "it-grant-1", now, "alice", "INC-4711")));
    }

    @Test
    void revokeOfEverything_arrivesAsARevokeWithoutPolicy() {
        String clusterArn = "arn:aws:eks:eu-west-1:444455556666:cluster/payments-prod";

        Run result = cli("revoke", "--cluster", clusterArn, "--principal", DEV, "--all-policies",
                "--queue-url", queueUrl, "--region", aws.region().id(), "--endpoint-url", aws.sqsEndpoint().toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        ParsedMessage parsed = parseAsTheGrantProcessor(receiveOne());
        assertThat(parsed).isInstanceOfSatisfying(ParsedMessage.Access.class, access -> {
            assertThat(access.request().revokesAll()).isTrue();
            assertThat(access.request().cluster().arn()).isEqualTo(clusterArn);
            assertThat(access.request().requestedBy()).isEqualTo("alice");
        });
    }

    @Test
    void approve_arrivesAsTheContractsDecisionMessage_andSaysHowToFollowIt() {
        Run result = cli("approve", "payments-admin-42", "--reason", "INC-4711 checked", "--request-id", "it-approve-1",
                "--queue-url", queueUrl, "--region", aws.region().id(), "--endpoint-url", aws.sqsEndpoint().toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        Message message = receiveOne();
        assertThat(result.out()).isEqualTo("messageId: " + message.messageId() + "\nrequestId: it-approve-1\n"
                + "follow the request:  eks-access status payments-admin-42\n"
                + "follow the decision: eks-access status it-approve-1\n");
        JsonNode body = JsonOutput.read(message.body());
        assertThat(body).isEqualTo(JsonOutput.read("""
                {"action":"approve","pendingRequestId":"payments-admin-42","requestId":"it-approve-1",
                 "requestedBy":"alice","reason":"INC-4711 checked"}"""));
        assertThat(DecisionSchema.errors(body)).isEmpty();
    }

    @Test
    void deny_withTheQueueFromTheEnvironment_namesTheRequester() {
        Run result = CliHarness.run(CliHarness.sending(clock, Map.of(CliContext.QUEUE_URL_VARIABLE, queueUrl),
                SqsConnector.defaultChain()), "deny", "deploy-1", "--requester", DEV, "--reason", "not today",
                "--region", aws.region().id(), "--endpoint-url", aws.sqsEndpoint().toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode body = JsonOutput.read(receiveOne().body());
        assertThat(body.get("action").asText()).isEqualTo("deny");
        assertThat(body.get("requester").asText()).isEqualTo(DEV);
        assertThat(body.has("requestedBy")).as("no USER in this environment").isFalse();
        assertThat(DecisionSchema.errors(body)).isEmpty();
    }

    @Test
    void invalidDecision_sendsNothing() {
        Run result = cli("approve", "eks-access:anything", "--queue-url", queueUrl, "--region", aws.region().id(),
                "--endpoint-url", aws.sqsEndpoint().toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
        assertThat(aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1)).messages()).isEmpty();
    }

    @Test
    void invalidRequest_sendsNothing() {
        Run result = cli("grant", "--cluster", "payments-prod", "--principal", DEV, "--policy", "AmazonEKSEditPolicy",
                "--group", "system:masters", "--queue-url", queueUrl, "--region", aws.region().id(),
                "--endpoint-url", aws.sqsEndpoint().toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
        assertThat(aws.sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1)).messages()).isEmpty();
    }

    @Test
    void missingQueue_exitsWith4AndNamesTheQueue() {
        String missing = queueUrl + "-missing";

        Run result = cli("revoke", "--cluster", "payments-prod", "--principal", DEV, "--policy", "AmazonEKSViewPolicy",
                "--queue-url", missing, "--region", aws.region().id(), "--endpoint-url", aws.sqsEndpoint().toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(result.err()).startsWith("eks-access: could not send the request to " + missing + ": ")
                .doesNotContain("\tat ");
        assertThat(result.out()).isEmpty();
    }
}
