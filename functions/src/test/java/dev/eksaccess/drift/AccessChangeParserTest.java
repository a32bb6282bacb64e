package dev.eksaccess.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.contract.AccessChangeEventPattern;
import dev.eksaccess.creation.MalformedEventException;
import dev.eksaccess.drift.AccessChange.Kind;
import dev.eksaccess.drift.AccessChangeParser.Change;
import dev.eksaccess.drift.AccessChangeParser.NotAChange;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.model.ClusterRef;
import dev.eksaccess.testing.EventFiles;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AccessChangeParserTest {

    private static final ClusterRef PAYMENTS = new ClusterRef("aws", "eu-west-1", "111122223333", "payments-dev");
    private static final String TEAM = "arn:aws:iam::111122223333:role/teams/payments-developers";
    private static final String ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    private static final String SSO_ADMIN = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/"
            + "AWSReservedSSO_AdministratorAccess_0123456789abcdef";

    private final AccessChangeParser parser = new AccessChangeParser();

    static List<String> samples() {
        return EventFiles.list("cloudtrail/access-changes");
    }

    private AccessChange change(String sample) {
        return ((Change) parser.parse(EventFiles.bytes("cloudtrail/access-changes/" + sample))).change();
    }

    @Test
    void theKinds_areExactlyTheEventNamesThePatternSelects() {
        assertThat(Arrays.stream(Kind.values()).map(Kind::eventName).toList())
                .isEqualTo(AccessChangeEventPattern.EVENT_NAMES);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySample_isReadAsAChangeOrSaysWhyNot_carryingItsEventId(String sample) {
        ObjectNode event = EventFiles.json(sample);

        AccessChangeParser.Parsed parsed = parser.parse(EventFiles.bytes(sample));

        String eventId = event.at("/detail/eventID").asText();
        switch (parsed) {
            case Change change -> {
                assertThat(change.change().eventId()).isEqualTo(eventId);
                assertThat(change.change().kind().eventName()).isEqualTo(event.at("/detail/eventName").asText());
                assertThat(change.change().cluster()).isEqualTo(PAYMENTS);
            }
            case NotAChange not -> assertThat(not.eventId()).isEqualTo(eventId);
        }
    }

    @Test
    void deleteBySsoAdmin_namesThePrincipalTheClusterAndTheRoleWithItsPath() {
        AccessChange change = change("delete-access-entry.json");

        assertThat(change.kind()).isEqualTo(Kind.DELETE_ENTRY);
        assertThat(change.principalArn()).isEqualTo(TEAM);
        assertThat(change.eventTime()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(change.actor().principalArn()).isEqualTo(SSO_ADMIN);
        assertThat(change.actor().sessionName()).isEqualTo("carol@example.com");
        assertThat(change.summary()).isEqualTo("DeleteAccessEntry " + TEAM);
    }

    @Test
    void aUrlEncodedPrincipal_andTheNameParameter_areReadLikeThePlainOnes() {
        assertThat(change("delete-access-entry-url-encoded.json"))
                .usingRecursiveComparison().ignoringFields("eventId").isEqualTo(change("delete-access-entry.json"));
    }

    @Test
    void associate_carriesPolicyAndScope() {
        AccessChange admin = change("associate-cluster-admin.json");
        AccessChange view = change("associate-view-namespaces.json");

        assertThat(admin.policyArn()).isEqualTo(ADMIN);
        assertThat(admin.scope()).isEqualTo(AccessScope.cluster());
        assertThat(view.scope()).isEqualTo(AccessScope.namespaces(List.of("payments", "payments-*")));
        assertThat(view.summary()).isEqualTo("AssociateAccessPolicy AmazonEKSViewPolicy (namespaces [payments, "
                + "payments-*]) to " + TEAM);
    }

    @Test
    void updateEntry_carriesItsGroups_andTheModeChangeItsMode() {
        assertThat(change("update-access-entry-groups.json").kubernetesGroups()).containsExactly("payments-admins");
        AccessChange mode = change("update-cluster-config-api.json");
        assertThat(mode.kind()).isEqualTo(Kind.AUTHENTICATION_MODE);
        assertThat(mode.authenticationMode()).isEqualTo("API");
        assertThat(mode.principalArn()).isNull();
    }

    @Test
    void aFailedCall_andAConfigUpdateWithoutAccessConfig_areNotChanges_withTheReason() {
        NotAChange denied = (NotAChange) parser.parse(EventFiles.bytes("cloudtrail/access-changes/disassociate-denied.json"));
        NotAChange logging = (NotAChange) parser.parse(
                EventFiles.bytes("cloudtrail/access-changes/update-cluster-config-logging.json"));

        assertThat(denied.reason()).isEqualTo("the call failed (AccessDeniedException), so nothing changed");
        assertThat(logging.reason()).isEqualTo("UpdateClusterConfig without accessConfig.authenticationMode changes no access");
    }

    @Test
    void aCreateClusterEvent_isRefusedNamingTheEventName() {
        assertThatThrownBy(() -> parser.parse(EventFiles.bytes("cloudtrail/create-cluster/iam-user.json")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("detail.eventName is 'CreateCluster', not one of " + AccessChangeEventPattern.EVENT_NAMES);
    }

    @Test
    void missingOrMalformedFields_areNamedByTheirPath_withTheEventId() {
        ObjectNode noPrincipal = EventFiles.json("cloudtrail/access-changes/delete-access-entry.json");
        ((ObjectNode) noPrincipal.at("/detail/requestParameters")).remove("principalArn");
        ObjectNode badScope = EventFiles.json("cloudtrail/access-changes/associate-cluster-admin.json");
        ((ObjectNode) badScope.at("/detail/requestParameters/accessScope")).put("type", "galaxy");
        ObjectNode noCluster = EventFiles.json("cloudtrail/access-changes/disassociate-cluster-admin.json");
        ((ObjectNode) noCluster.at("/detail/requestParameters")).remove("clusterName");

        assertThatThrownBy(() -> parser.parse(EventFiles.bytes(noPrincipal)))
                .hasMessage("detail.requestParameters.principalArn is missing")
                .extracting(e -> ((MalformedEventException) e).eventId().orElseThrow())
                .isEqualTo("a0b1c2d3-e4f5-4a67-9c89-000000000001");
        assertThatThrownBy(() -> parser.parse(EventFiles.bytes(badScope)))
                .hasMessage("detail.requestParameters.accessScope.type is not cluster or namespace: galaxy");
        assertThatThrownBy(() -> parser.parse(EventFiles.bytes(noCluster)))
                .hasMessage("detail.requestParameters.name (or clusterName) is missing");
    }
}
