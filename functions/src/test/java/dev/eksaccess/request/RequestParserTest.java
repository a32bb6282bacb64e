package dev.eksaccess.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.testing.RepoFiles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParserTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final Instant SENT = Instant.parse("2026-11-28T09:59:58Z");
    static final MessageMeta META = new MessageMeta("msg-1", SENT, "AIDASENDER", 1);
    static final String ROLE = "arn:aws:iam::111122223333:role/payments-dev";

    private final RequestParser parser = new RequestParser(RequestRules.defaults("eu-west-1", "111122223333"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    // ---- valid samples from events/requests ----

    @Test
    void grantClusterView_byName_usesTheFunctionsAccountAndRegion_andDefaultsFromTheQueue() {
        AccessRequest request = valid(RepoFiles.request("grant-cluster-view.json"));

        assertThat(request.action()).isEqualTo(Action.GRANT);
        assertThat(request.cluster().arn()).isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod");
        assertThat(request.principalArn()).isEqualTo(ROLE);
        assertThat(request.policyArn()).isEqualTo("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
        assertThat(request.scope()).isEqualTo(AccessScope.cluster());
        assertThat(request.requestId()).isEqualTo("msg-1");
        assertThat(request.requestedAt()).isEqualTo(SENT);
        assertThat(request.requestedBy()).isEqualTo("alice@example.com");
        assertThat(request.reason()).isEqualTo("on-call read access");
        assertThat(request.expiresAt()).isNull();
        assertThat(request.kubernetesGroups()).isNull();
    }

    @Test
    void grantNamespaceWildcard_keepsThePathOfTheRoleAndTheWildcard() {
        AccessRequest request = valid(RepoFiles.request("grant-namespace-wildcard.json"));

        assertThat(request.principalArn()).isEqualTo("arn:aws:iam::111122223333:role/teams/payments-deployer");
        assertThat(request.scope()).isEqualTo(AccessScope.namespaces(List.of("payments", "payments-*")));
        assertThat(request.policyName()).isEqualTo(AccessPolicies.EDIT);
    }

    @Test
    void grantWithGroupsAndUsername_acceptsPolicyArnAndSessionNameAfterAColon() {
        AccessRequest request = valid(RepoFiles.request("grant-with-groups-username.json"));

        assertThat(request.policyName()).isEqualTo(AccessPolicies.VIEW);
        assertThat(request.kubernetesGroups()).containsExactly("payments-readers");
        assertThat(request.username()).isEqualTo("payments-readers:{{SessionName}}");
        assertThat(request.requestId()).isEqualTo("CHG-2026-1142");
    }

    @Test
    void grantTimeBoundDuration_expiresThatLongAfterRequestedAt() {
        AccessRequest request = valid(RepoFiles.request("grant-time-bound-duration.json"));

        assertThat(request.expiresAt()).isEqualTo(SENT.plus(Duration.ofHours(8)));
    }

    @Test
    void grantExpiresAt_keepsTheInstant() {
        assertThat(valid(RepoFiles.request("grant-expires-at.json")).expiresAt())
                .isEqualTo(Instant.parse("2026-12-01T18:00:00Z"));
    }

    @Test
    void grantByClusterArn_takesRegionAndAccountFromTheArn_andAllowsCrossAccountPrincipals() {
        AccessRequest request = valid(RepoFiles.request("grant-by-cluster-arn.json"));

        assertThat(request.cluster().region()).isEqualTo("eu-west-1");
        assertThat(request.cluster().accountId()).isEqualTo("111122223333");
        assertThat(request.principalArn()).startsWith("arn:aws:iam::444455556666:");
    }

    @Test
    void revokePolicy_andRevokeAll() {
        AccessRequest one = valid(RepoFiles.request("revoke-policy.json"));
        AccessRequest all = valid(RepoFiles.request("revoke-all.json"));

        assertThat(one.action()).isEqualTo(Action.REVOKE);
        assertThat(one.revokesAll()).isFalse();
        assertThat(all.revokesAll()).isTrue();
        assertThat(all.policyArn()).isNull();
    }

    @Test
    void bootstrap_isParsedAsTheInternalRequest() {
        ParsedMessage parsed = parser.parse(RepoFiles.request("bootstrap.json"), META);

        assertThat(parsed).isInstanceOfSatisfying(ParsedMessage.Bootstrap.class, b -> {
            assertThat(b.request().clusterArn()).isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod");
            assertThat(b.request().requestId()).isEqualTo("bootstrap:7f0c2a51-3c4e-4d1b-9a77-2b1f0e9d6c11");
            assertThat(b.request().requestedAt()).isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
        });
    }

    @Test
    void bootstrap_writtenByBootstrapRequest_parsesBackToTheSameRequest() {
        BootstrapRequest original = BootstrapRequest.forEvent(
                "arn:aws:eks:eu-west-1:111122223333:cluster/x", "evt-9", Instant.parse("2026-11-28T09:00:00Z"));

        assertThat(parser.parse(original.toJson(), META)).isEqualTo(new ParsedMessage.Bootstrap(original));
    }

    // ---- invalid samples from events/requests ----

    @Test
    void stsSessionArn_isRejectedWithTheHintToSendTheRoleArn() {
        assertThat(errors(RepoFiles.request("invalid-sts-session-arn.json")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("principalArn");
                    assertThat(e.problem()).contains("STS assumed-role session ARN", "role ARN with its path",
                            "payments-dev");
                });
    }

    @Test
    void systemGroup_isRejected() {
        assertThat(errors(RepoFiles.request("invalid-system-group.json")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("kubernetesGroups");
                    assertThat(e.problem()).contains("system:masters", "reserved");
                });
    }

    @Test
    void unknownPolicy_isRejectedListingTheAllowedOnes() {
        assertThat(errors(RepoFiles.request("invalid-unknown-policy.json")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("accessPolicy");
                    assertThat(e.problem()).contains("AmazonEKSSuperUserPolicy", "not allowed", "AmazonEKSViewPolicy");
                });
    }

    @Test
    void namespaceScopeWithoutNamespaces_isRejected() {
        assertThat(errors(RepoFiles.request("invalid-namespace-scope-without-namespaces.json")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("accessScope.namespaces");
                    assertThat(e.problem()).contains("non-empty list");
                });
    }

    @Test
    void unknownField_isReportedByName() {
        assertThat(errors(RepoFiles.request("invalid-unknown-field.json")))
                .containsExactly(new FieldError("acessEntryType", "unknown field"));
    }

    @Test
    void unknownFieldWithABlankOrOddName_isNamedAsAJsonString_soTheReasonStillShowsIt() {
        assertThat(errors("{\"action\":\"revoke\",\"clusterName\":\"payments-prod\",\"principalArn\":\"" + ROLE
                + "\",\"\":1,\"a; principalArn\":2}"))
                .containsExactly(new FieldError("\"\"", "unknown field"),
                        new FieldError("\"a; principalArn\"", "unknown field"));
    }

    @Test
    void durationBeyondTheEndOfTime_isRejectedAsTooLong_notThrown() {
        // Found by RequestParserPropertyTest: requestedAt + duration overflowed and the exception failed the batch.
        assertThat(errors("{\"action\":\"grant\",\"clusterName\":\"payments-prod\",\"principalArn\":\"" + ROLE
                + "\",\"accessPolicy\":\"AmazonEKSViewPolicy\",\"accessScope\":{\"type\":\"cluster\"},"
                + "\"duration\":\"P106751991167300D\"}"))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("duration");
                    assertThat(e.problem()).contains("further away than the maximum grant duration");
                });
    }

    @Test
    void requestedAtNearTheEndOfTime_withADuration_isRejectedAsInTheFuture_notThrown() {
        // Found by RequestParserPropertyTest: requestedAt + duration went past Instant.MAX and the exception failed
        // the whole batch. The expiry is measured from the requestedAt capped to the sending time, so only the
        // requestedAt is wrong.
        assertThat(errors(grantWith("\"requestedAt\":\"+1000000000-12-31T23:59:59.999999999Z\",\"duration\":\"PT8H\"")))
                .singleElement().extracting(FieldError::field).isEqualTo("requestedAt");
    }

    @Test
    void malformedJson_isRejectedAsAWhole() {
        ParsedMessage parsed = parser.parse(RepoFiles.request("invalid-malformed-json.json"), META);

        assertThat(parsed).isInstanceOfSatisfying(ParsedMessage.Invalid.class, invalid -> {
            assertThat(invalid.errors()).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("message");
                assertThat(e.problem()).startsWith("is not valid JSON");
            });
            assertThat(invalid.requestId()).isEqualTo("msg-1");
        });
    }

    @Test
    void expiryInThePast_isRejected() {
        assertThat(errors(RepoFiles.request("invalid-expiry-in-the-past.json")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("expiresAt");
                    assertThat(e.problem()).contains("in the past");
                });
    }

    // ---- every rule ----

    @Test
    void unknownAction_isRejected() {
        assertThat(errors(grantWith("\"action\":\"delete\"")))
                .contains(new FieldError("action", "unknown action 'delete'; expected grant, revoke, approve, deny, migrate or recover"));
    }

    @Test
    void missingAction_isRejected() {
        assertThat(errors("{\"clusterName\":\"c\",\"principalArn\":\"" + ROLE + "\"}"))
                .contains(new FieldError("action", "is required (grant or revoke)"));
    }

    @Test
    void missingCluster_isRejected() {
        assertThat(errors("{\"action\":\"revoke\",\"principalArn\":\"" + ROLE + "\"}"))
                .containsExactly(new FieldError("clusterName", "clusterName or clusterArn is required"));
    }

    @Test
    void bothClusterNameAndArn_areRejected() {
        assertThat(errors(grantWith("\"clusterArn\":\"arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod\"")))
                .extracting(FieldError::problem).containsExactly("give clusterName or clusterArn, not both");
    }

    @Test
    void malformedClusterArnAndName_areRejected() {
        assertThat(errors("{\"action\":\"revoke\",\"clusterArn\":\"arn:aws:ec2:eu-west-1:1:x\",\"principalArn\":\""
                + ROLE + "\"}")).extracting(FieldError::field).containsExactly("clusterArn");
        assertThat(errors("{\"action\":\"revoke\",\"clusterName\":\"-bad name\",\"principalArn\":\"" + ROLE + "\"}"))
                .extracting(FieldError::field).containsExactly("clusterName");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "arn:aws:iam::111122223333:group/devs",
            "arn:aws:iam::11112222333:role/too-short-account",
            "arn:aws:iam::111122223333:role/",
            "arn:aws-iso:iam::111122223333:role/x",
            "payments-dev",
            "arn:aws:sts::111122223333:federated-user/bob"})
    void principalThatIsNotAnIamUserOrRoleArn_isRejected(String principal) {
        assertThat(errors(grantWith("\"principalArn\":\"" + principal + "\"")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("principalArn");
                    assertThat(e.problem()).startsWith("must be an IAM user or role ARN");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:user/dev-?"})
    void principalWithWildcards_isRejected(String principal) {
        assertThat(errors(grantWith("\"principalArn\":\"" + principal + "\"")))
                .containsExactly(new FieldError("principalArn", "must not contain wildcards"));
    }

    @Test
    void oversizedPrincipal_isRejected() {
        String principal = "arn:aws:iam::111122223333:role/" + "p/".repeat(600) + "x";

        assertThat(errors(grantWith("\"principalArn\":\"" + principal + "\"")))
                .singleElement().extracting(FieldError::problem).asString().contains("the limit is 1024");
    }

    @Test
    void serviceLinkedRole_isRejected() {
        assertThat(errors(grantWith("\"principalArn\":\"arn:aws:iam::111122223333:role/aws-service-role/"
                + "eks.amazonaws.com/AWSServiceRoleForAmazonEKS\"")))
                .singleElement().extracting(FieldError::problem).asString().contains("service-linked");
    }

    @Test
    void principalsOfEveryPartition_areAccepted_whenTheyMatchTheCluster() {
        String cn = "{\"action\":\"revoke\",\"clusterArn\":\"arn:aws-cn:eks:cn-north-1:111122223333:cluster/c\","
                + "\"principalArn\":\"arn:aws-cn:iam::111122223333:user/u\"}";
        String gov = "{\"action\":\"revoke\",\"clusterArn\":\"arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/c\","
                + "\"principalArn\":\"arn:aws-us-gov:iam::111122223333:role/r\"}";

        assertThat(valid(cn).cluster().partition()).isEqualTo("aws-cn");
        assertThat(valid(gov).cluster().partition()).isEqualTo("aws-us-gov");
        assertThat(errors(grantWith("\"principalArn\":\"arn:aws-cn:iam::111122223333:user/u\"")))
                .extracting(FieldError::problem).containsExactly("is in partition aws-cn but the cluster is in aws");
    }

    @Test
    void policyOutsideAConfiguredAllowedSet_isRejected_butMayStillBeRevoked() {
        RequestParser viewOnly = new RequestParser(new RequestRules(List.of(AccessPolicies.VIEW), Duration.ofDays(1),
                "eu-west-1", "111122223333"), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(viewOnly.parse(grantWith("\"accessPolicy\":\"AmazonEKSEditPolicy\""), META))
                .isInstanceOf(ParsedMessage.Invalid.class);
        assertThat(viewOnly.parse("{\"action\":\"revoke\",\"clusterName\":\"c\",\"principalArn\":\"" + ROLE
                + "\",\"accessPolicy\":\"AmazonEKSEditPolicy\"}", META)).isInstanceOf(ParsedMessage.Access.class);
    }

    @Test
    void somethingThatIsNotAPolicy_isRejected() {
        assertThat(errors(grantWith("\"accessPolicy\":\"arn:aws:iam::aws:policy/AdministratorAccess\"")))
                .extracting(FieldError::problem).singleElement().asString().contains("not an EKS access policy");
    }

    @Test
    void grantWithoutPolicyOrScope_isRejected() {
        assertThat(errors("{\"action\":\"grant\",\"clusterName\":\"c\",\"principalArn\":\"" + ROLE + "\"}"))
                .extracting(FieldError::field).containsExactlyInAnyOrder("accessPolicy", "accessScope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Payments", "pay_ments", "-payments", "payments-", "pay*ments", "*", "pay**",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void namespaceThatIsNotADns1123Label_isRejected(String namespace) {
        assertThat(errors(grantWith("\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"" + namespace + "\"]}")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("accessScope.namespaces");
                    assertThat(e.problem()).contains("DNS-1123");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"payments", "p", "payments-*", "team-a1", "payments*"})
    void dns1123LabelsWithAnOptionalTrailingWildcard_areAccepted(String namespace) {
        assertThat(valid(grantWith("\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"" + namespace + "\"]}"))
                .scope().namespaces()).containsExactly(namespace);
    }

    @Test
    void scopeProblems_areReported() {
        assertThat(errors(grantWith("\"accessScope\":{\"type\":\"account\"}")))
                .containsExactly(new FieldError("accessScope.type", "must be cluster or namespace"));
        assertThat(errors(grantWith("\"accessScope\":{\"type\":\"cluster\",\"namespaces\":[\"a\"]}")))
                .containsExactly(new FieldError("accessScope.namespaces", "must be absent for cluster scope"));
        assertThat(errors(grantWith("\"accessScope\":{\"type\":\"cluster\",\"name\":\"x\"}")))
                .containsExactly(new FieldError("accessScope.name", "unknown field"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"system:admin", "eks:me", "aws:me", "amazon:me", "iam:me"})
    void reservedUsernamePrefixes_areRejected(String username) {
        assertThat(errors(grantWith("\"username\":\"" + username + "\"")))
                .singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo("username");
                    assertThat(e.problem()).contains("reserved prefix");
                });
    }

    @Test
    void sessionNameWithoutAColonBeforeIt_isRejected() {
        assertThat(errors(grantWith("\"username\":\"{{SessionName}}\"")))
                .extracting(FieldError::problem).singleElement().asString().contains("needs a colon before it");
    }

    @Test
    void expiryBeyondTheMaximum_isRejected_forExpiresAtAndForDuration() {
        assertThat(errors(grantWith("\"expiresAt\":\"2026-12-05T10:00:01Z\"")))
                .extracting(FieldError::field, FieldError::problem).singleElement().asString()
                .contains("expiresAt", "maximum grant duration PT168H");
        assertThat(errors(grantWith("\"duration\":\"P8D\"")))
                .extracting(FieldError::field).containsExactly("duration");
    }

    @Test
    void expiresAtAndDurationTogether_areRejected() {
        assertThat(errors(grantWith("\"expiresAt\":\"2026-11-29T10:00:00Z\",\"duration\":\"PT1H\"")))
                .containsExactly(new FieldError("duration", "give expiresAt or duration, not both"));
    }

    @Test
    void malformedTimes_areRejected() {
        assertThat(errors(grantWith("\"duration\":\"8 hours\""))).extracting(FieldError::field).containsExactly("duration");
        assertThat(errors(grantWith("\"duration\":\"-PT1H\""))).containsExactly(new FieldError("duration", "must be positive"));
        assertThat(errors(grantWith("\"expiresAt\":\"tomorrow\""))).extracting(FieldError::field).containsExactly("expiresAt");
        assertThat(errors(grantWith("\"requestedAt\":\"2026-11-28T10:06:00Z\"")))
                .extracting(FieldError::field).containsExactly("requestedAt");
    }

    @Test
    void requestedAtAfterTheSentTimestamp_isCappedToIt_andTheCapIsNoted() {
        ParsedMessage parsed = parser.parse(grantWith("\"requestedAt\":\"2026-11-28T10:04:00Z\""), META);

        assertThat(parsed).isInstanceOfSatisfying(ParsedMessage.Access.class, access -> {
            assertThat(access.request().requestedAt()).isEqualTo(SENT);
            assertThat(access.requestedAtAsSent()).contains(Instant.parse("2026-11-28T10:04:00Z"));
            assertThat(access.requestedAtNote()).contains("requestedAt 2026-11-28T10:04:00Z lay after the message's "
                    + "SQS SentTimestamp; 2026-11-28T09:59:58Z was used instead");
        });
        assertThat(parser.parse(grantWith("\"requestedAt\":\"2026-11-28T09:00:00Z\""), META))
                .isInstanceOfSatisfying(ParsedMessage.Access.class,
                        access -> assertThat(access.requestedAtAsSent()).isEmpty());
    }

    @Test
    void grantOnlyFieldsOnARevoke_areRejected() {
        assertThat(errors("{\"action\":\"revoke\",\"clusterName\":\"c\",\"principalArn\":\"" + ROLE
                + "\",\"duration\":\"PT1H\",\"accessScope\":{\"type\":\"cluster\"}}"))
                .extracting(FieldError::field).containsExactlyInAnyOrder("duration", "accessScope");
    }

    @Test
    void oversizedMessage_isRefusedBeforeParsing() {
        String body = grantWith("\"reason\":\"" + "x".repeat(AccessRequest.MAX_MESSAGE_BYTES) + "\"");

        assertThat(errors(body)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("message");
            assertThat(e.problem()).contains("the limit is 16384");
        });
    }

    @Test
    void nonObjectsAndDuplicateKeysAndWrongTypes_areRejected() {
        assertThat(errors("[1,2]")).containsExactly(new FieldError("message", "must be a JSON object"));
        assertThat(errors("{\"action\":\"grant\",\"action\":\"revoke\"}")).extracting(FieldError::problem)
                .singleElement().asString().startsWith("is not valid JSON");
        assertThat(errors(grantWith("\"requestedBy\":42"))).containsExactly(new FieldError("requestedBy", "must be a string"));
        assertThat(errors(grantWith("\"requestId\":\"has spaces\""))).extracting(FieldError::field).containsExactly("requestId");
    }

    @Test
    void malformedJsonAndDuplicateKeys_areRejectedWithTheJsonParsersReason() {
        assertThat(errors("{\"action\":")).containsExactly(new FieldError("message",
                "is not valid JSON (Unexpected end-of-input within/between Object entries)"));
        assertThat(errors(grantWith("\"reason\":\"r\",\"reason\":\"r\""))).containsExactly(new FieldError("message",
                "is not valid JSON (Duplicate field 'reason')"));
    }

    @Test
    void bodiesWithoutAJsonObject_areRejected_andSoIsTextAfterTheObject() {
        for (String body : List.of("", " \n\t", "null", "\"grant\"", "42", "[]")) {
            assertThat(errors(body)).as(body).containsExactly(new FieldError("message", "must be a JSON object"));
        }
        String grant = grantWith("\"reason\":\"r\"");
        assertThat(valid(grant + " \n")).isEqualTo(valid(grant));
        // Two messages in one body are not taken for the first: the sender would believe both were applied.
        assertThat(errors(grant + "\n" + grant)).containsExactly(new FieldError("message",
                "is not valid JSON (text after the JSON value at line 2, column 1)"));
        assertThat(errors(grant + " x")).singleElement().satisfies(error -> assertThat(error.problem())
                .startsWith("is not valid JSON (Unrecognized token 'x'"));
    }

    @Test
    void nestingUpToTheJsonParsersLimit_isRead_andDeeperNestingIsInvalidJson() {
        // The message object itself is the first level.
        assertThat(errors(grantWith("\"deep\":" + "[".repeat(999) + "]".repeat(999))))
                .containsExactly(new FieldError("deep", "unknown field"));
        assertThat(errors(grantWith("\"deep\":" + "[".repeat(1000) + "]".repeat(1000))))
                .containsExactly(new FieldError("message", "is not valid JSON (Document nesting depth (1001) exceeds "
                        + "the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`))"));
    }

    @Test
    void listItemsThatAreNotNames_areShownAsJson() {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("7", "7");
        shown.put("-12345678901234567890123", "-12345678901234567890123");
        shown.put("1.50", "1.5");
        shown.put("1e2", "100.0");
        shown.put("-0.0", "-0.0");
        shown.put("1e400", "\"Infinity\"");
        shown.put("false", "false");
        shown.put("null", "null");
        shown.put("[\"a\", []]", "[\"a\",[]]");
        shown.put("{ \"b\" : \"\\u0001\\\"\u00e9\", \"c\": {} }", "{\"b\":\"\\u0001\\\"\u00e9\",\"c\":{}}");
        shown.forEach((sent, inReason) -> {
            assertThat(errors(grantWith("\"kubernetesGroups\":[" + sent + "]"))).containsExactly(new FieldError(
                    "kubernetesGroups", "'" + inReason + "' is not a group name (1-255 characters)"));
            assertThat(errors(grantWith("\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[" + sent + "]}")))
                    .containsExactly(new FieldError("accessScope.namespaces", "'" + inReason + "' is not a DNS-1123 "
                            + "label (lower-case letters, digits and '-', at most 63) optionally ending in '*'"));
        });
        assertThat(errors(grantWith("\"kubernetesGroups\":[\" \"]"))).containsExactly(new FieldError(
                "kubernetesGroups", "'\" \"' is not a group name (1-255 characters)"));
    }

    @Test
    void everyProblem_isReportedInOneRejection() {
        ParsedMessage parsed = parser.parse("{\"action\":\"grant\",\"clusterName\":\"payments-prod\","
                + "\"principalArn\":\"arn:aws:sts::111122223333:assumed-role/r/s\",\"accessPolicy\":\"Nope\","
                + "\"accessScope\":{\"type\":\"namespace\"},\"kubernetesGroups\":[\"system:masters\"],"
                + "\"username\":\"eks:x\",\"expiresAt\":\"2020-01-01T00:00:00Z\",\"colour\":\"blue\"}", META);

        assertThat(parsed).isInstanceOfSatisfying(ParsedMessage.Invalid.class, invalid -> {
            assertThat(invalid.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("colour",
                    "principalArn", "accessPolicy", "accessScope.namespaces", "kubernetesGroups", "username",
                    "expiresAt");
            assertThat(invalid.rejectionReason()).contains("colour: unknown field", "; principalArn: ");
            assertThat(invalid.clusterArn()).isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod");
        });
    }

    @Test
    void bootstrapProblems_areRejected() {
        assertThat(errors("{\"action\":\"bootstrap\",\"clusterName\":\"c\"}"))
                .extracting(FieldError::field).containsExactlyInAnyOrder("clusterName", "clusterArn");
    }

    @Test
    void toJson_roundTripsThroughTheParser() {
        AccessRequest original = valid(RepoFiles.request("grant-with-groups-username.json"));
        AccessRequest timeBound = valid(RepoFiles.request("grant-expires-at.json"));

        assertThat(valid(original.toJson())).isEqualTo(original);
        assertThat(valid(timeBound.toJson())).isEqualTo(timeBound);
    }

    private AccessRequest valid(String body) {
        ParsedMessage parsed = parser.parse(body, META);
        assertThat(parsed).isInstanceOf(ParsedMessage.Access.class);
        return ((ParsedMessage.Access) parsed).request();
    }

    private List<FieldError> errors(String body) {
        ParsedMessage parsed = parser.parse(body, META);
        assertThat(parsed).isInstanceOf(ParsedMessage.Invalid.class);
        return ((ParsedMessage.Invalid) parsed).errors();
    }

    /** A valid grant with one field replaced or added. */
    static String grantWith(String field) {
        String name = field.substring(1, field.indexOf('"', 1));
        StringBuilder json = new StringBuilder("{");
        String[][] base = {
                {"action", "\"grant\""}, {"clusterName", "\"payments-prod\""}, {"principalArn", "\"" + ROLE + "\""},
                {"accessPolicy", "\"AmazonEKSViewPolicy\""}, {"accessScope", "{\"type\":\"cluster\"}"}};
        for (String[] pair : base) {
            if (!pair[0].equals(name)) {
                json.append('"').append(pair[0]).append("\":").append(pair[1]).append(',');
            }
        }
        return json.append(field).append('}').toString();
    }
}
