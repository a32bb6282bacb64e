package dev.eksaccess.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.creation.CloudTrailEventParser;
import dev.eksaccess.creation.CreateClusterCall;
import dev.eksaccess.creation.Creator;
import dev.eksaccess.creation.CreatorResolver;
import dev.eksaccess.creation.MalformedEventException;
import dev.eksaccess.testing.EventFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for the CloudTrail {@code CreateCluster} parser ({@link CloudTrailEventParser} with the
 * {@link CreatorResolver}): it returns a call or throws only {@link MalformedEventException} with a reason naming
 * the field; only IAM users and roles become creators that may get an access entry; changes CloudTrail may make on its own do not change the result; malformed fields are rejected by path.
 */
class CloudTrailEventParserPropertyTest {

    static final CloudTrailEventParser PARSER = new CloudTrailEventParser();
    /**
     * Every field the parser and the creator resolver read, by its exact dotted path: a reason must start with one of
     * them (after the "not a CloudTrail CreateCluster event from EKS: " of the envelope checks) and go on with a
     * space, so that a reason naming a field by its bare name ("eventTime" for "detail.eventTime") fails.
     */
    static final List<String> FIELD_PATHS = List.of("source", "detail-type", "account", "region", "detail",
            "detail.eventSource", "detail.eventName", "detail.eventID", "detail.eventTime", "detail.errorCode",
            "detail.errorMessage", "detail.recipientAccountId", "detail.awsRegion", "detail.userAgent",
            "detail.requestParameters", "detail.requestParameters.name", "detail.requestParameters.clusterName",
            "detail.requestParameters.accessConfig", "detail.requestParameters.accessConfig.authenticationMode",
            "detail.requestParameters.accessConfig.bootstrapClusterCreatorAdminPermissions",
            "detail.responseElements", "detail.responseElements.cluster", "detail.responseElements.cluster.name",
            "detail.responseElements.cluster.arn", "detail.responseElements.cluster.accessConfig",
            "detail.responseElements.cluster.accessConfig.authenticationMode",
            "detail.responseElements.cluster.accessConfig.bootstrapClusterCreatorAdminPermissions",
            "detail.userIdentity", "detail.userIdentity.type", "detail.userIdentity.arn",
            "detail.userIdentity.principalId", "detail.userIdentity.invokedBy", "detail.userIdentity.accountId",
            "detail.userIdentity.sessionContext", "detail.userIdentity.sessionContext.sessionIssuer",
            "detail.userIdentity.sessionContext.sessionIssuer.type",
            "detail.userIdentity.sessionContext.sessionIssuer.arn", "detail.userIdentity.onBehalfOf",
            "detail.userIdentity.onBehalfOf.userId", "detail.userIdentity.onBehalfOf.identityStoreArn");
    /** A reason about the whole event, or one that starts with the exact path of a field the parser reads. */
    static final Pattern NAMES_A_FIELD = Pattern.compile("^(the event .*|(not a CloudTrail CreateCluster event from "
            + "EKS: )?(" + String.join("|", FIELD_PATHS.stream().map(Pattern::quote).toList()) + ") .*)$",
            Pattern.DOTALL);
    /** As {@link #NAMES_A_FIELD}, for a path under {@code detail.userIdentity}. */
    private static final Pattern NAMES_A_USER_IDENTITY_FIELD = Pattern.compile("^(" + String.join("|",
            FIELD_PATHS.stream().filter(path -> path.startsWith("detail.userIdentity")).map(Pattern::quote).toList())
            + ") .*$", Pattern.DOTALL);

    private static final Pattern IAM_USER_OR_ROLE = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:(user|role)/[\\w+=,.@/-]+");

    private static final Gen<String> ARNS = Gen.oneOf(Hostile.ODD_TEXT, Gen.elements("arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:role/platform/Admin", "arn:aws:sts::111122223333:assumed-role/Admin/alice",
            "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS",
            "arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/"));
    private static final Gen<JsonNode> VALUES = Gen.oneOf(ARNS.map(Hostile.NODES::textNode), Hostile.ANY_VALUE);
    /** Random userIdentity objects: every type, ARNs of every kind, any JSON in any place. */
    static final Gen<JsonNode> USER_IDENTITIES = random -> {
        ObjectNode identity = Hostile.NODES.objectNode();
        identity.set("type", random.nextInt(5) == 0 ? VALUES.next(random) : Hostile.NODES.textNode(
                Gen.elements("IAMUser", "AssumedRole", "Root", "FederatedUser", "IdentityCenterUser", "AWSService",
                        "SAMLUser", "").next(random)));
        for (String field : List.of("arn", "principalId", "invokedBy", "accountId")) {
            if (random.nextBoolean()) {
                identity.set(field, VALUES.next(random));
            }
        }
        if (random.nextBoolean()) {
            ObjectNode issuer = Hostile.NODES.objectNode();
            issuer.set("type", random.nextBoolean() ? Hostile.NODES.textNode("Role") : VALUES.next(random));
            issuer.set("arn", VALUES.next(random));
            identity.putObject("sessionContext").set("sessionIssuer", random.nextInt(8) == 0
                    ? VALUES.next(random) : issuer);
        }
        return random.nextInt(20) == 0 ? VALUES.next(random) : identity;
    };

    /** Any bytes, near-JSON and odd text. */
    static final Gen<byte[]> ANY_BYTES = Gen.oneOf(
            Gen.lists(Gen.ints(-128, 127), 0, 400).map(CloudTrailEventParserPropertyTest::bytes),
            Gen.strings("{}[]\":,.-0123456789truefalsn detail", 0, 300).map(CloudTrailEventParserPropertyTest::utf8),
            Hostile.ODD_TEXT.map(CloudTrailEventParserPropertyTest::utf8));

    private static final Gen<String> EVENT_NAMES = Gen.oneOf(Gen.elements("source", "detail-type", "detail", "account",
            "region", "eventSource", "eventName", "eventID", "eventTime", "userIdentity", "type", "arn", "sessionContext",
            "sessionIssuer", "requestParameters", "responseElements", "cluster", "name", "accessConfig",
            "authenticationMode", "errorCode"), Hostile.ODD_TEXT);
    private static final Gen<JsonNode> EVENT_TREES = Hostile.trees(EVENT_NAMES, 5);
    /** Random JSON trees with CloudTrail's field names; half carry the right envelope, to get past the first checks. */
    static final Gen<byte[]> RANDOM_EVENTS = random -> {
        JsonNode tree = EVENT_TREES.next(random);
        if (random.nextBoolean()) {
            ObjectNode event = Hostile.NODES.objectNode().put("source", "aws.eks")
                    .put("detail-type", "AWS API Call via CloudTrail");
            ObjectNode detail = tree.isObject() ? (ObjectNode) tree : Hostile.NODES.objectNode();
            event.set("detail", detail.put("eventSource", "eks.amazonaws.com").put("eventName", "CreateCluster"));
            tree = event;
        }
        return utf8(JsonText.write(tree));
    };

    @Test
    void anyBytes_areParsedOrRejectedAsMalformed_withAReason() {
        Property.forAll("cloudtrail parser: any bytes", ANY_BYTES, CloudTrailEventParserPropertyTest::parseOrReject);
    }

    @Test
    void randomJsonTrees_withCloudTrailFieldNames_areParsedOrRejectedNamingTheField() {
        Property.forAll("cloudtrail parser: random JSON trees", RANDOM_EVENTS,
                CloudTrailEventParserPropertyTest::parseOrReject);
    }

    @Test
    void randomUserIdentities_resolveToAnIamPrincipalOnlyWhenTheyAreOne_orAreRejectedNamingTheField() {
        CreatorResolver resolver = new CreatorResolver();
        Property.forAll("creator resolver: random user identities", USER_IDENTITIES, identity -> {
            Throwable thrown = catchThrowable(() -> {
                Creator creator = resolver.resolve(EventFiles.value(identity));
                if (creator.accessEntryPrincipal()) {
                    // Only IAM users and roles may ever get an access entry: never a session, a wildcard or root.
                    assertThat(creator.principalArn()).matches(IAM_USER_OR_ROLE).doesNotContain("*", ":assumed-role/");
                    assertThat(creator.limitation()).isNull();
                } else {
                    assertThat(creator.limitation()).isNotBlank();
                }
            });
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(MalformedEventException.class);
                assertThat(thrown.getMessage()).matches(NAMES_A_USER_IDENTITY_FIELD);
            }
        });
    }

    @Test
    void changesCloudTrailMayMake_leaveTheResultAsItWas() {
        Property.forAll("cloudtrail parser: neutral changes of samples", CloudTrailMutations.NEUTRAL, mutant -> {
            ObjectNode original = CloudTrailMutations.SAMPLES.stream().filter(s -> s.name().equals(mutant.sample()))
                    .findFirst().orElseThrow().json();

            assertThat(PARSER.parse(utf8(mutant.body()))).isEqualTo(PARSER.parse(utf8(JsonText.write(original))));
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

    static byte[] bytes(List<Integer> values) {
        byte[] raw = new byte[values.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = values.get(i).byteValue();
        }
        return raw;
    }
}
