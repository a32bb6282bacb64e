package dev.eksaccess.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.RequestSchema;
import dev.eksaccess.model.ClusterRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drift function's restore message: its wire form read back, and each malformed part named. */
class RestoreRequestParsingTest {

    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    private static final MessageMeta META = new MessageMeta("msg-1", NOW, "AROADRIFT", 1);
    private static final ClusterRef PAYMENTS = ClusterRef.parseArn(
            "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod").orElseThrow();
    private static final String ROLE = "arn:aws:iam::111122223333:role/teams/payments-dev";
    private static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    private final RequestParser parser = new RequestParser(RequestRules.defaults("eu-west-1", "111122223333"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static RestoreRequest restore() {
        return new RestoreRequest(PAYMENTS, ROLE, List.of(new RestoreRequest.Grant(VIEW, "req-7")), "ev-1",
                RestoreRequest.requestIdFor("ev-1"), NOW.minusSeconds(5), RestoreRequest.REQUESTED_BY);
    }

    @Test
    void theWireForm_isReadBack_andTheSchemasRestoreDefinitionAcceptsIt() {
        String body = restore().toJson();

        assertThat(parser.parse(body, META)).isEqualTo(new ParsedMessage.Restore(restore()));
        assertThat(RequestSchema.validateQueueMessage(body).accepted()).isTrue();
        assertThat(RequestSchema.validate(body).accepted()).as("not a team message").isFalse();
    }

    @Test
    void everyMalformedPart_isNamed_andNothingIsAcceptedThatTheSchemaRefuses() {
        String body = "{\"action\":\"restore\",\"clusterArn\":\"arn:aws:eks:eu-west-1:111122223333:cluster/p\","
                + "\"principalArn\":\"" + ROLE + "\",\"grants\":[{\"policyArn\":\"arn:aws-cn:eks::aws:cluster-access-"
                + "policy/AmazonEKSViewPolicy\",\"grantRequestId\":\"r\"},{\"policyArn\":\"" + VIEW + "\"}],"
                + "\"causeEventId\":\"ev-1\",\"requestId\":\"eks-access:restore:ev-2\",\"accessScope\":{}}";

        ParsedMessage.Invalid invalid = (ParsedMessage.Invalid) parser.parse(body, META);

        assertThat(invalid.errors()).extracting(FieldError::toString).containsExactly(
                "accessScope: unknown field",
                "requestId: must be eks-access:restore:<causeEventId> for a restore, one per change undone",
                "grants: item 0 policyArn 'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' is not an "
                        + "EKS access policy ARN in the cluster's partition",
                "grants: item 1 must be {\"policyArn\": ..., \"grantRequestId\": ...} and nothing else");
        assertThat(RequestSchema.validateQueueMessage(body).accepted()).isFalse();
    }

    @Test
    void aRestoreWithoutGrantsOrCause_isRefused() {
        ParsedMessage.Invalid invalid = (ParsedMessage.Invalid) parser.parse("{\"action\":\"restore\",\"clusterArn\":"
                + "\"" + PAYMENTS.arn() + "\",\"principalArn\":\"" + ROLE + "\",\"grants\":[]}", META);

        assertThat(invalid.rejectionReason()).contains("causeEventId: is required for restore")
                .contains("grants: must be a list of 1 to 20 grants");
    }
}
