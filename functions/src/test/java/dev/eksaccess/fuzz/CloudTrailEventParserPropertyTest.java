package dev.eksaccess.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.creation.CloudTrailEventParser;
import dev.eksaccess.creation.CreateClusterCall;
import dev.eksaccess.creation.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for the CloudTrail {@code CreateCluster} parser ({@link CloudTrailEventParser} with the
 * {@code CreatorResolver}): it returns a call or throws only {@link MalformedEventException} with a reason naming
 * the field; changes CloudTrail may make on its own do not change the result; malformed fields are rejected by path.
 */
class CloudTrailEventParserPropertyTest {

    static final CloudTrailEventParser PARSER = new CloudTrailEventParser();
    /** A reason about the whole event, or one naming a field of the event by name or dotted path. */
    private static final Pattern NAMES_A_FIELD = Pattern.compile(
            "^the event .*|.*\\b(source|detail-type|detail|account|region|eventID|eventTime|eventSource|eventName"
                    + "|userIdentity|requestParameters|responseElements|errorCode|recipientAccountId|awsRegion)\\b.*",
            Pattern.DOTALL);

    @Test
    void anyBytes_areParsedOrRejectedAsMalformed_withAReason() {
        Gen<byte[]> bytes = Gen.oneOf(
                Gen.lists(Gen.ints(-128, 127), 0, 400).map(CloudTrailEventParserPropertyTest::bytes),
                Gen.strings("{}[]\":,.-0123456789truefalsn detail", 0, 300).map(CloudTrailEventParserPropertyTest::utf8),
                Hostile.ODD_TEXT.map(CloudTrailEventParserPropertyTest::utf8));
        Property.forAll("cloudtrail parser: any bytes", bytes, CloudTrailEventParserPropertyTest::parseOrReject);
    }

    @Test
    void randomJsonTrees_withCloudTrailFieldNames_areParsedOrRejectedNamingTheField() {
        Gen<String> names = Gen.oneOf(Gen.elements("source", "detail-type", "detail", "account", "region",
                "eventSource", "eventName", "eventID", "eventTime", "userIdentity", "type", "arn", "sessionContext",
                "sessionIssuer", "requestParameters", "responseElements", "cluster", "name", "accessConfig",
                "authenticationMode", "errorCode"), Hostile.ODD_TEXT);
        Gen<JsonNode> trees = Hostile.trees(names, 5);
        Property.forAll("cloudtrail parser: random JSON trees", trees.map(tree -> utf8(JsonText.write(tree))),
                CloudTrailEventParserPropertyTest::parseOrReject);
    }

    @Test
    void changesCloudTrailMayMake_leaveTheResultAsItWas() {
        Property.forAll("cloudtrail parser: neutral changes of samples", CloudTrailMutations.NEUTRAL, mutant -> {
            ObjectNode original = CloudTrailMutations.SAMPLES.stream().filter(s -> s.name().equals(mutant.sample()))
                    .findFirst().orElseThrow().json();

            assertThat(PARSER.parse(utf8(mutant.body()))).isEqualTo(PARSER.parse(original));
        });
    }

    @Test
    void malformedFields_areRejected_withAReasonNamingTheFieldsPath() {
        Property.forAll("cloudtrail parser: malformed fields of samples", CloudTrailMutations.REJECTED, mutant ->
                assertThatThrownBy(() -> PARSER.parse(utf8(mutant.body())))
                        .isInstanceOf(MalformedEventException.class)
                        .hasMessageContaining(mutant.expectedPath()));
    }

    @Test
    void stackedRandomChanges_areParsedOrRejectedNamingTheField() {
        Property.forAll("cloudtrail parser: stacked changes of samples", CloudTrailMutations.STACKED,
                mutant -> parseOrReject(utf8(mutant.body())));
    }

    /** The parser's contract for any input: a call, or a {@link MalformedEventException} whose reason names a field. */
    static void parseOrReject(byte[] event) {
        Throwable thrown = catchThrowable(() -> assertThat(PARSER.parse(event)).isInstanceOf(CreateClusterCall.class));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(MalformedEventException.class);
            assertThat(thrown.getMessage()).isNotBlank().matches(NAMES_A_FIELD);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(List<Integer> values) {
        byte[] raw = new byte[values.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = values.get(i).byteValue();
        }
        return raw;
    }
}
