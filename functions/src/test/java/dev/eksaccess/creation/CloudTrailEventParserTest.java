package dev.eksaccess.creation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.creation.ClusterCreated.AccessConfigOrigin;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.testing.EventFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CloudTrailEventParserTest {

    private final CloudTrailEventParser parser = new CloudTrailEventParser();

    static List<String> createClusterSamples() {
        return EventFiles.list("cloudtrail/create-cluster");
    }

    /** Every other EKS CloudTrail sample, the access changes among them. */
    static List<String> otherSamples() {
        return Stream.concat(EventFiles.list("cloudtrail/other").stream(),
                EventFiles.list("cloudtrail/access-changes").stream()).toList();
    }

    private ClusterCreated parseCreated(ObjectNode event) {
        return (ClusterCreated) parser.parse(EventFiles.bytes(event));
    }

    private static ObjectNode sample(String name) {
        return EventFiles.json("cloudtrail/create-cluster/" + name);
    }

    @ParameterizedTest
    @MethodSource("createClusterSamples")
    void everyCreateClusterSample_parses_andSuccessfulCallsCarryTheirOwnClusterAndEvent(String sample) {
        ObjectNode event = EventFiles.json(sample);

        CreateClusterCall call = parser.parse(EventFiles.bytes(sample));

        assertThat(call.eventId()).isEqualTo(event.at("/detail/eventID").asText());
        if (call instanceof ClusterCreated created) {
            assertThat(created.clusterArn()).isEqualTo(event.at("/detail/responseElements/cluster/arn").asText());
            assertThat(created.eventTime()).isEqualTo(Instant.parse(event.at("/detail/eventTime").asText()));
        } else {
            assertThat(event.at("/detail/errorCode").isMissingNode()).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("otherSamples")
    void otherEksEvents_areRejectedNamingTheEventName(String sample) {
        String eventName = EventFiles.json(sample).at("/detail/eventName").asText();

        assertThatThrownBy(() -> parser.parse(EventFiles.bytes(sample)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("not a CloudTrail CreateCluster event from EKS: detail.eventName is '" + eventName
                        + "', expected 'CreateCluster'");
    }

    @Test
    void iamUserSample_yieldsEveryField() {
        ClusterCreated created = parseCreated(sample("iam-user.json"));

        assertThat(created.cluster()).isEqualTo(new ClusterRef("aws", "eu-west-1", "111122223333", "payments-dev"));
        assertThat(created.eventId()).isEqualTo("0b9f4e2a-6c1d-4f3b-8e7a-91d2c5a0f3e1");
        assertThat(created.eventTime()).isEqualTo(Instant.parse("2026-11-28T08:12:03Z"));
        assertThat(created.creator().principalArn()).isEqualTo("arn:aws:iam::111122223333:user/alice");
        assertThat(created.source()).startsWith("aws-cli/2.22.4");
        assertThat(created.authenticationMode()).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(created.bootstrapCreatorAdmin()).isTrue();
        assertThat(created.accessConfigOrigin()).isEqualTo(AccessConfigOrigin.RESPONSE);
    }

    @Test
    void sourceIsInvokedBy_whenAServiceCalledOnThePrincipalsBehalf() {
        assertThat(parseCreated(sample("cloudformation.json")).source()).isEqualTo("cloudformation.amazonaws.com");
    }

    @Test
    void configMapSample_takesTheModeFromTheResponse_becauseTheRequestOmitsIt() {
        ObjectNode event = sample("config-map-mode.json");
        assertThat(event.at("/detail/requestParameters/accessConfig").isMissingNode()).isTrue();

        ClusterCreated created = parseCreated(event);

        assertThat(created.authenticationMode()).isEqualTo(AuthenticationMode.CONFIG_MAP);
        assertThat(created.bootstrapCreatorAdmin()).isTrue();
        assertThat(created.accessConfigOrigin()).isEqualTo(AccessConfigOrigin.RESPONSE);
    }

    @Test
    void bootstrapFlagFalse_isRead() {
        assertThat(parseCreated(sample("bootstrap-flag-false.json")).bootstrapCreatorAdmin()).isFalse();
    }

    @Test
    void apiOnlyMode_isRead() {
        assertThat(parseCreated(sample("api-only-mode.json")).authenticationMode()).isEqualTo(AuthenticationMode.API);
    }

    @Test
    void accessConfig_fallsBackToTheRequest_whenTheResponseHasNone() {
        ObjectNode event = sample("bootstrap-flag-false.json");
        ((ObjectNode) event.at("/detail/responseElements/cluster")).remove("accessConfig");

        ClusterCreated created = parseCreated(event);

        assertThat(created.authenticationMode()).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(created.bootstrapCreatorAdmin()).isFalse();
        assertThat(created.accessConfigOrigin()).isEqualTo(AccessConfigOrigin.REQUEST);
    }

    @Test
    void accessConfig_fallsBackToEksDefaults_whenNeitherResponseNorRequestHasOne() {
        ObjectNode event = sample("config-map-mode.json");
        ((ObjectNode) event.at("/detail/responseElements/cluster")).remove("accessConfig");

        ClusterCreated created = parseCreated(event);

        assertThat(created.authenticationMode()).isEqualTo(AuthenticationMode.CONFIG_MAP);
        assertThat(created.bootstrapCreatorAdmin()).isTrue();
        assertThat(created.accessConfigOrigin()).isEqualTo(AccessConfigOrigin.EKS_DEFAULT);
    }

    @Test
    void failedCall_isAFailedCallWithItsError_evenWithoutResponse() {
        CreateClusterCall call = parser.parse(EventFiles.bytes("cloudtrail/create-cluster/failed-call-error-code.json"));

        assertThat(call).isEqualTo(new CreateClusterCall.Failed("f7a8b9c0-d1e2-4f30-8a4b-5c6d7e8f9a0b", "payments-dev",
                "ResourceInUseException", "Cluster already exists with name: payments-dev"));
    }

    @Test
    void otherAccountAndRegion_comeFromTheEvent() {
        ClusterCreated created = parseCreated(sample("other-account-and-region.json"));

        assertThat(created.cluster()).isEqualTo(new ClusterRef("aws", "us-east-2", "444455556666", "ml-training"));
    }

    @Test
    void veryOldEvents_nameTheClusterInClusterName() {
        ObjectNode event = sample("iam-user.json");
        ObjectNode request = (ObjectNode) event.at("/detail/requestParameters");
        request.set("clusterName", request.remove("name"));

        assertThat(parseCreated(event).cluster().name()).isEqualTo("payments-dev");
    }

    @Test
    void arnIsBuiltFromAccountRegionAndName_whenTheResponseHasNone_usingDetailFieldsWhenTheEnvelopeLacksThem() {
        ObjectNode event = sample("other-account-and-region.json");
        ((ObjectNode) event.at("/detail/responseElements/cluster")).remove("arn");
        event.remove("account");
        event.remove("region");

        assertThat(parseCreated(event).clusterArn()).isEqualTo("arn:aws:eks:us-east-2:444455556666:cluster/ml-training");
    }

    @Test
    void partitionFollowsTheRegion_whenTheArnIsBuilt() {
        ObjectNode event = sample("iam-user.json");
        ((ObjectNode) event.at("/detail")).remove("responseElements");
        event.put("region", "cn-north-1");

        assertThat(parseCreated(event).clusterArn()).isEqualTo("arn:aws-cn:eks:cn-north-1:111122223333:cluster/payments-dev");
    }

    @Test
    void responseArnForAnotherCluster_isRejected() {
        ObjectNode event = sample("iam-user.json");
        ((ObjectNode) event.at("/detail/responseElements/cluster")).put("arn",
                "arn:aws:eks:eu-west-1:111122223333:cluster/someone-else");

        assertThatThrownBy(() -> parseCreated(event))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("detail.responseElements.cluster.arn arn:aws:eks:eu-west-1:111122223333:cluster/someone-else"
                        + " does not match the event's cluster payments-dev in account 111122223333 and region eu-west-1");
    }

    @Test
    void malformedResponseArn_isRejected() {
        ObjectNode event = sample("iam-user.json");
        ((ObjectNode) event.at("/detail/responseElements/cluster")).put("arn", "payments-dev");

        assertThatThrownBy(() -> parseCreated(event))
                .hasMessage("detail.responseElements.cluster.arn is not an EKS cluster ARN: payments-dev");
    }

    @Test
    void missingName_isRejectedNamingTheField() {
        ObjectNode event = sample("iam-user.json");
        ((ObjectNode) event.at("/detail/requestParameters")).remove("name");
        ((ObjectNode) event.at("/detail/responseElements/cluster")).remove("name");

        assertThatThrownBy(() -> parseCreated(event))
                .hasMessage("detail.requestParameters.name (or clusterName) is missing");
    }

    @Test
    void missingEventId_isRejectedNamingTheField() {
        ObjectNode event = sample("iam-user.json");
        ((ObjectNode) event.get("detail")).remove("eventID");

        assertThatThrownBy(() -> parseCreated(event)).hasMessage("detail.eventID is missing");
    }

    @Test
    void malformedEventTime_isRejectedNamingTheField() {
        ObjectNode event = sample("iam-user.json");
        ((ObjectNode) event.get("detail")).put("eventTime", "yesterday");

        assertThatThrownBy(() -> parseCreated(event)).hasMessage("detail.eventTime is not an ISO-8601 instant: yesterday");
    }

    @Test
    void unknownAuthenticationMode_isRejectedNamingTheField() {
        ObjectNode event = sample("iam-user.json");
        ((ObjectNode) event.at("/detail/responseElements/cluster/accessConfig")).put("authenticationMode", "IAM");

        assertThatThrownBy(() -> parseCreated(event)).hasMessage(
                "detail.responseElements.cluster.accessConfig.authenticationMode is not CONFIG_MAP, API_AND_CONFIG_MAP or API: IAM");
    }

    @Test
    void nonBooleanBootstrapFlag_isRejectedNamingTheField() {
        ObjectNode event = sample("iam-user.json");
        ((ObjectNode) event.at("/detail/responseElements/cluster/accessConfig"))
                .put("bootstrapClusterCreatorAdminPermissions", "yes");

        assertThatThrownBy(() -> parseCreated(event)).hasMessage(
                "detail.responseElements.cluster.accessConfig.bootstrapClusterCreatorAdminPermissions is not true or false: \"yes\"");
    }

    @Test
    void malformedAccount_isRejected() {
        ObjectNode event = sample("iam-user.json");
        event.put("account", "1111-2222-3333");
        ((ObjectNode) event.at("/detail")).remove("responseElements");

        assertThatThrownBy(() -> parseCreated(event)).hasMessage("account is not a 12-digit AWS account id: 1111-2222-3333");
    }

    @Test
    void eventFromAnotherSource_isRejected() {
        ObjectNode event = sample("iam-user.json").put("source", "aws.ec2");

        assertThatThrownBy(() -> parseCreated(event)).hasMessage(
                "not a CloudTrail CreateCluster event from EKS: source is 'aws.ec2', expected 'aws.eks'");
    }

    @Test
    void eventWithoutDetail_isRejected() {
        ObjectNode event = sample("iam-user.json");
        event.remove("detail");

        assertThatThrownBy(() -> parseCreated(event)).hasMessage("detail is missing");
    }

    @Test
    void bytesThatAreNotJson_areRejected() {
        assertThatThrownBy(() -> parser.parse("{\"source\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("the event is not valid JSON: ");
        assertThatThrownBy(() -> parser.parse("[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("the event is not a JSON object");
    }

    @Test
    void repeatedKeys_areTolerated_andTheLastOneCounts() {
        String event = new String(EventFiles.bytes("cloudtrail/create-cluster/iam-user.json"), StandardCharsets.UTF_8).strip();
        byte[] overridden = ("{\"source\":\"aws.ec2\"," + event.substring(1)).getBytes(StandardCharsets.UTF_8);
        byte[] overriding = (event.substring(0, event.length() - 1) + ",\"source\":\"aws.ec2\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(overridden)).isEqualTo(parser.parse(event.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> parser.parse(overriding)).hasMessageContaining("source is 'aws.ec2'");
    }

    @Test
    void bytesWithoutAJsonObject_areRejected_andTextAfterTheObjectIsNotRead() {
        for (String text : List.of("", " \n", "null", "\"event\"", "7")) {
            assertThatThrownBy(() -> parser.parse(text.getBytes(StandardCharsets.UTF_8)))
                    .hasMessage("the event is not a JSON object");
        }
        byte[] event = EventFiles.bytes("cloudtrail/create-cluster/iam-user.json");
        byte[] trailed = (new String(event, StandardCharsets.UTF_8) + " ]} not read").getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(trailed)).isEqualTo(parser.parse(event));
    }

    @Test
    void nestingBeyondTheJsonParsersLimit_andUnreadableBytes_areRejected() {
        byte[] deep = ("{\"detail\":" + "[".repeat(1000) + "]".repeat(1000) + "}").getBytes(StandardCharsets.UTF_8);
        byte[] badUtf32 = {0, 0, 0, '{', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

        assertThatThrownBy(() -> parser.parse(deep)).hasMessage("the event is not valid JSON: Document nesting depth "
                + "(1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)");
        assertThatThrownBy(() -> parser.parse(badUtf32)).hasMessage("the event could not be read: "
                + "Invalid UTF-32 character 0x7ffeffff (above 0x0010ffff) at char #1, byte #7)");
    }

    @Test
    void nonBooleanBootstrapFlags_areShownAsJson() {
        ObjectNode event = sample("iam-user.json");
        ObjectNode access = (ObjectNode) event.at("/detail/responseElements/cluster/accessConfig");

        access.put("bootstrapClusterCreatorAdminPermissions", 1.0);
        assertThatThrownBy(() -> parseCreated(event)).hasMessageEndingWith(" is not true or false: 1.0");
        access.putArray("bootstrapClusterCreatorAdminPermissions").add(true).addObject().putNull("a");
        assertThatThrownBy(() -> parseCreated(event)).hasMessageEndingWith(" is not true or false: [true,{\"a\":null}]");
    }
}
