package dev.eksaccess.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.eligibility.Eligibility;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.request.MessageMeta;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import dev.eksaccess.request.RequestRules;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testing.RepoFiles;
import dev.eksaccess.testing.TestSenders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthorizerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Sender TEAM = new Sender(TestSenders.TEAM, Optional.of("ci"), TestSenders.TEAM_SENDER);
    private static final Sender CREATION = new Sender(TestSenders.CLUSTER_CREATION, Optional.of("fn"), "x");
    private static final Sender SWEEP = new Sender(TestSenders.EXPIRY_SWEEP, Optional.of("fn"), "y");
    private static final Sender PROCESSOR = new Sender(TestSenders.GRANT_PROCESSOR, Optional.of("fn"), "z");

    private final RequestParser parser = new RequestParser(RequestRules.defaults("eu-west-1", "111122223333"),
            new MutableClock(NOW));
    private final List<ClusterRef> tagsRead = new ArrayList<>();
    private final List<dev.eksaccess.eks.ActingFor> tagsReadFor = new ArrayList<>();
    private final Authorizer authorizer = new Authorizer(Optional.of(new Eligibility(TestSenders.document())),
            TestSenders.INTERNAL, (cluster, actingFor) -> {
        tagsRead.add(cluster);
        tagsReadFor.add(actingFor);
        return Optional.of(Map.of("environment", "prod"));
    });

    private ParsedMessage parse(String body) {
        return parser.parse(body, new MessageMeta("m-1", NOW, "x", 1));
    }

    private static String grant(String policy, String extra) {
        return "{\"action\":\"grant\",\"clusterName\":\"payments-prod\",\"principalArn\":\""
                + "arn:aws:iam::111122223333:role/payments-dev\",\"accessPolicy\":\"" + policy + "\","
                + "\"accessScope\":{\"type\":\"cluster\"}" + extra + "}";
    }

    @Test
    void bootstrap_isTrustedOnlyFromTheClusterCreationRole_andTheGrantProcessorsOwnForItsWaitingCopies() {
        ParsedMessage bootstrap = parse(RepoFiles.request("bootstrap.json"));

        assertThat(authorizer.authorize(bootstrap, CREATION)).isInstanceOf(Authorization.Permit.class);
        assertThat(authorizer.authorize(bootstrap, PROCESSOR)).isInstanceOf(Authorization.Permit.class);
        Authorizer withoutOwnRole = new Authorizer(Optional.of(new Eligibility(TestSenders.document())),
                new InternalSenders(Optional.of(TestSenders.CLUSTER_CREATION), Optional.of(TestSenders.EXPIRY_SWEEP)),
                (cluster, actingFor) -> Optional.empty());
        assertThat(withoutOwnRole.authorize(bootstrap, PROCESSOR)).isInstanceOf(Authorization.Refuse.class);
        assertThat(authorizer.authorize(bootstrap, TEAM)).isInstanceOfSatisfying(Authorization.Refuse.class,
                r -> assertThat(r.reason()).startsWith("bootstrap messages are accepted only from the "
                        + "cluster-creation function's role (CLUSTER_CREATION_ROLE_ARN)"));
        assertThat(authorizer.authorize(bootstrap, SWEEP)).isInstanceOf(Authorization.Refuse.class);
    }

    @Test
    void bootstrap_fromTheAdoptionRole_isTrustedOnlyWhenConfigured_andActsForTheAdoptionFunction() {
        ParsedMessage bootstrap = parse(RepoFiles.request("bootstrap.json"));
        String adoptionRole = "arn:aws:iam::111122223333:role/eks-access/adoption";
        Sender adoption = new Sender(adoptionRole, Optional.of("fn"), "a");
        Authorizer withAdoption = new Authorizer(Optional.of(new Eligibility(TestSenders.document())),
                new InternalSenders(Optional.of(TestSenders.CLUSTER_CREATION), Optional.of(TestSenders.EXPIRY_SWEEP),
                        Optional.of(TestSenders.GRANT_PROCESSOR)).withAdoption(adoptionRole),
                (cluster, actingFor) -> Optional.empty());

        assertThat(withAdoption.authorize(bootstrap, adoption)).isEqualTo(Authorization.Permit.internal(Authorizer.ADOPTION));
        assertThat(withAdoption.actingFor(adoption, "bootstrap:x"))
                .isEqualTo(dev.eksaccess.eks.ActingFor.function("adoption", "bootstrap:x"));
        assertThat(authorizer.authorize(bootstrap, adoption)).isInstanceOfSatisfying(Authorization.Refuse.class,
                r -> assertThat(r.reason()).contains("the adoption function's (ADOPTION_ROLE_ARN)"));
        // The adoption role sends bootstraps only: a grant from it is judged like any sender's (no rule names it).
        assertThat(withAdoption.authorize(parse(grant("AmazonEKSViewPolicy", "")), adoption))
                .isInstanceOf(Authorization.Refuse.class);
    }

    @Test
    void anExpiryRevoke_isTrustedOnlyFromTheSweep_andOtherwiseItsReservedIdIsRefused() {
        ParsedMessage expiry = parse("{\"action\":\"revoke\",\"clusterName\":\"payments-prod\",\"principalArn\":"
                + "\"arn:aws:iam::111122223333:role/payments-dev\",\"accessPolicy\":\"AmazonEKSViewPolicy\","
                + "\"requestId\":\"expiry:0123abcd\"}");

        assertThat(authorizer.authorize(expiry, SWEEP)).isEqualTo(Authorization.Permit.internal(Authorizer.EXPIRY_SWEEP));
        assertThat(authorizer.authorize(expiry, TEAM)).isInstanceOfSatisfying(Authorization.Refuse.class,
                r -> assertThat(r.reason()).contains("request id expiry:0123abcd starts with expiry:, which is "
                        + "reserved for the system's own functions"));
    }

    @Test
    void everyReservedPrefix_isRefusedFromATeam_inAnyCase() {
        for (String id : List.of("bootstrap:x", "expiry:x", "eks-access:x", "BOOTSTRAP:x", "Expiry:x")) {
            ParsedMessage grant = parse(grant("AmazonEKSViewPolicy", ",\"requestId\":\"" + id + "\""));
            assertThat(authorizer.authorize(grant, TEAM)).as(id).isInstanceOf(Authorization.Refuse.class);
        }
    }

    @Test
    void theSweep_mayNotGrant_norRevokeEverything_withAnExpiryId() {
        ParsedMessage grant = parse(grant("AmazonEKSViewPolicy", ",\"requestId\":\"expiry:1\""));
        ParsedMessage revokeAll = parse("{\"action\":\"revoke\",\"clusterName\":\"payments-prod\",\"principalArn\":"
                + "\"arn:aws:iam::111122223333:role/payments-dev\",\"requestId\":\"expiry:2\"}");

        assertThat(authorizer.authorize(grant, SWEEP)).isInstanceOf(Authorization.Refuse.class);
        assertThat(authorizer.authorize(revokeAll, SWEEP)).isInstanceOf(Authorization.Refuse.class);
    }

    @Test
    void withoutADocument_everyTeamRequestIsDenied_butInternalMessagesStillWork() {
        Authorizer none = new Authorizer(Optional.empty(), TestSenders.INTERNAL, (cluster, actingFor) -> Optional.empty());

        assertThat(none.authorize(parse(grant("AmazonEKSViewPolicy", "")), TEAM))
                .isEqualTo(new Authorization.Refuse("no eligibility document is deployed (ELIGIBILITY_FILE): every "
                        + "team request is denied"));
        assertThat(none.authorize(parse(RepoFiles.request("bootstrap.json")), CREATION))
                .isInstanceOf(Authorization.Permit.class);
    }

    @Test
    void anAdminGrant_isHeld_andAViewGrantPermitted_withoutReadingTags() {
        assertThat(authorizer.authorize(parse(grant("AmazonEKSClusterAdminPolicy", ",\"duration\":\"PT1H\"")), TEAM))
                .isInstanceOfSatisfying(Authorization.Hold.class, h -> assertThat(h.approval().ruleId())
                        .isEqualTo("team-admin-with-approval"));
        assertThat(authorizer.authorize(parse(grant("AmazonEKSViewPolicy", "")), TEAM))
                .isEqualTo(new Authorization.Permit("team-self-service", false, Optional.empty()));
        assertThat(tagsRead).as("no rule of the sender selects by tag").isEmpty();
    }

    @Test
    void tags_areReadOnlyForSendersWithARuleThatSelectsByTag() {
        String sre = "arn:aws:iam::111122223333:role/platform/sre";
        Authorizer example = new Authorizer(Optional.of(new Eligibility(EligibilityDocument.parse(
                new String(dev.eksaccess.testing.EventFiles.bytes("eligibility/example.json"),
                        java.nio.charset.StandardCharsets.UTF_8)))), TestSenders.INTERNAL, (cluster, actingFor) -> {
            tagsRead.add(cluster);
            tagsReadFor.add(actingFor);
            return Optional.of(Map.of("environment", "prod"));
        });

        Authorization decided = example.authorize(parse(grant("AmazonEKSClusterAdminPolicy",
                ",\"duration\":\"PT1H\"").replace("role/payments-dev", "role/platform/sre")),
                new Sender(sre, Optional.of("s"), "z"));

        assertThat(decided).isInstanceOf(Authorization.Hold.class);
        assertThat(tagsRead).extracting(ClusterRef::name).containsExactly("payments-prod");
        // read for the sender and its request, so a member account's session names them
        assertThat(tagsReadFor).containsExactly(dev.eksaccess.eks.ActingFor.sender(sre, "m-1"));
    }

    @Test
    void aRestore_isTrustedOnlyFromTheDriftFunctionsRole_andActsForIt() {
        Sender drift = new Sender(TestSenders.DRIFT_FUNCTION, Optional.of("fn"), "d");
        ParsedMessage restore = new ParsedMessage.Restore(new dev.eksaccess.request.RestoreRequest(
                ClusterRef.parseArn("arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod").orElseThrow(),
                TestSenders.TEAM, List.of(new dev.eksaccess.request.RestoreRequest.Grant(
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "r-1")), "ev-1",
                dev.eksaccess.request.RestoreRequest.requestIdFor("ev-1"), NOW, "drift"));

        assertThat(authorizer.authorize(restore, drift)).isEqualTo(Authorization.Permit.internal("internal:drift"));
        for (Sender other : List.of(TEAM, CREATION, SWEEP, PROCESSOR)) {
            assertThat(authorizer.authorize(restore, other)).isEqualTo(new Authorization.Refuse("restore messages are "
                    + "accepted only from the drift function's role (DRIFT_FUNCTION_ROLE_ARN); " + other.arn()
                    + " is not it"));
        }
        Authorizer withoutDriftRole = new Authorizer(Optional.of(new Eligibility(TestSenders.document())),
                new InternalSenders(Optional.of(TestSenders.CLUSTER_CREATION), Optional.of(TestSenders.EXPIRY_SWEEP),
                        Optional.of(TestSenders.GRANT_PROCESSOR)), (cluster, actingFor) -> Optional.empty());
        assertThat(withoutDriftRole.authorize(restore, drift)).isInstanceOf(Authorization.Refuse.class);
        assertThat(authorizer.actingFor(drift, "eks-access:restore:ev-1"))
                .isEqualTo(dev.eksaccess.eks.ActingFor.function("access-changes", "eks-access:restore:ev-1"));
    }

    @Test
    void actingFor_namesTheFunction_forTheSystemsOwnRoles_andTheSenderOtherwise() {
        assertThat(authorizer.actingFor(CREATION, "bootstrap:e-1"))
                .isEqualTo(dev.eksaccess.eks.ActingFor.function("cluster-creation", "bootstrap:e-1"));
        assertThat(authorizer.actingFor(PROCESSOR, "bootstrap:e-1")).as("a waiting bootstrap's copy")
                .isEqualTo(dev.eksaccess.eks.ActingFor.function("cluster-creation", "bootstrap:e-1"));
        assertThat(authorizer.actingFor(SWEEP, "expiry:x"))
                .isEqualTo(dev.eksaccess.eks.ActingFor.function("expiry-sweep", "expiry:x"));
        assertThat(authorizer.actingFor(TEAM, "r-9"))
                .isEqualTo(dev.eksaccess.eks.ActingFor.sender(TestSenders.TEAM, "r-9"));
    }

    @Test
    void configuredSenders_areTheRulesSendersAndApprovers_andTheInternalRoles() {
        // The built-in document's migration rule (the sandbox's legacy scenario) names the migration role.
        assertThat(authorizer.configuredSenders()).containsExactlyInAnyOrder(TestSenders.CLUSTER_CREATION,
                TestSenders.EXPIRY_SWEEP, TestSenders.GRANT_PROCESSOR, TestSenders.DRIFT_FUNCTION, TestSenders.TEAM,
                TestSenders.APPROVER, "arn:aws:iam::111122223333:role/platform/aws-auth-migrator");
    }
}
