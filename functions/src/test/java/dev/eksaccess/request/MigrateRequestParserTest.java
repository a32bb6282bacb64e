package dev.eksaccess.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.RequestSchema;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.RepoFiles;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Migrate messages ({@code events/requests/migrate/}): the parser accepts only what a migration plan produces, and the
 * contract's {@code $defs/migrate} agrees with it on every sample.
 */
class MigrateRequestParserTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final MessageMeta META = new MessageMeta("msg-1", NOW, "AIDASENDER", 1);
    private final RequestParser parser = new RequestParser(RequestRules.defaults("eu-west-1", "111122223333"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private AccessRequest valid(String name) {
        ParsedMessage parsed = parser.parse(RepoFiles.request("migrate/" + name), META);
        assertThat(parsed).as(name).isInstanceOf(ParsedMessage.Access.class);
        return ((ParsedMessage.Access) parsed).request();
    }

    private List<FieldError> invalid(String name) {
        ParsedMessage parsed = parser.parse(RepoFiles.request("migrate/" + name), META);
        assertThat(parsed).as(name).isInstanceOf(ParsedMessage.Invalid.class);
        return ((ParsedMessage.Invalid) parsed).errors();
    }

    @Test
    void systemMasters_isClusterAdminAtClusterScope_onAStandardEntry() {
        AccessRequest request = valid("migrate-system-masters-role.json");

        assertThat(request.action()).isEqualTo(Action.MIGRATE);
        assertThat(request.policyName()).isEqualTo("AmazonEKSClusterAdminPolicy");
        assertThat(request.scope()).isEqualTo(AccessScope.cluster());
        assertThat(request.username()).isEqualTo("admin");
        assertThat(request.expiresAt()).isNull();
        assertThat(request.migration().entryType()).isEqualTo("STANDARD");
        assertThat(request.migration().awsAuthMapping()).startsWith("mapRoles[1] (line 6)");
        assertThat(request.associatesPolicy()).isTrue();
    }

    @Test
    void aNodeRole_isAnEc2LinuxEntry_withNothingElse() {
        AccessRequest request = valid("migrate-node-role.json");

        assertThat(request.migration().nodeEntry()).isTrue();
        assertThat(request.policyName()).isNull();
        assertThat(request.kubernetesGroups()).isNull();
        assertThat(request.username()).isNull();
        assertThat(request.associatesPolicy()).isFalse();
    }

    @Test
    void aTeamMapping_keepsItsGroupsAndUsername_withoutPolicy() {
        AccessRequest request = valid("migrate-team-groups.json");

        assertThat(request.kubernetesGroups()).containsExactly("payments-deployers");
        assertThat(request.username()).isEqualTo("payments:{{SessionName}}");
        assertThat(request.policyName()).isNull();
        assertThat(request.scope()).isNull();
    }

    @Test
    void anEc2LinuxEntryWithAPolicy_isRefused_namingEachField() {
        assertThat(invalid("invalid-node-role-with-policy.json")).extracting(FieldError::field)
                .containsExactly("accessPolicy", "accessScope");
        assertThat(invalid("invalid-node-role-with-policy.json").get(0).problem())
                .isEqualTo("must be absent for an EC2_LINUX entry: EKS gives a node its groups and username and "
                        + "refuses access policies on it");
    }

    @Test
    void otherEntryTypes_otherPolicies_namespaceScopes_andExpiry_areRefused() {
        assertThat(invalid("invalid-fargate-entry.json")).containsExactly(new FieldError("entryType",
                "'FARGATE_LINUX' is not created by migration; only STANDARD and EC2_LINUX (create others by hand: "
                        + "docs/migration.md)"));
        assertThat(invalid("invalid-namespace-scoped-policy.json")).extracting(FieldError::field)
                .containsExactly("accessPolicy", "duration");
    }

    @Test
    void aMigrateWithoutItsMappingOrType_isRefused() {
        ParsedMessage parsed = parser.parse("{\"action\":\"migrate\",\"clusterName\":\"demo\",\"principalArn\":"
                + "\"arn:aws:iam::111122223333:user/alice\",\"accessScope\":{\"type\":\"cluster\"}}", META);

        assertThat(((ParsedMessage.Invalid) parsed).errors()).extracting(FieldError::field)
                .containsExactly("accessScope", "awsAuthMapping", "entryType");
    }

    @Test
    void anEc2LinuxEntry_isForARole() {
        ParsedMessage parsed = parser.parse("{\"action\":\"migrate\",\"clusterName\":\"demo\",\"principalArn\":"
                + "\"arn:aws:iam::111122223333:user/alice\",\"entryType\":\"EC2_LINUX\",\"awsAuthMapping\":\"m\"}",
                META);

        assertThat(((ParsedMessage.Invalid) parsed).errors()).containsExactly(new FieldError("principalArn",
                "an EC2_LINUX entry is for an IAM role (a node role), not arn:aws:iam::111122223333:user/alice"));
    }

    @Test
    void theWireForm_readsBackAsTheSameRequest() {
        AccessRequest request = valid("migrate-system-masters-role.json");

        assertThat(((ParsedMessage.Access) parser.parse(request.toJson(), META)).request()).isEqualTo(request);
    }

    @Test
    void theSchemasMigrateDefinition_agreesWithTheParser_onEverySample() {
        List<String> samples = EventFiles.list("requests/migrate");
        assertThat(samples).hasSize(6);
        for (String file : samples) {
            String body = new String(EventFiles.bytes(file), java.nio.charset.StandardCharsets.UTF_8);
            boolean parserAccepts = !(parser.parse(body, META) instanceof ParsedMessage.Invalid);
            assertThat(parserAccepts).as(file).isEqualTo(!file.contains("/invalid-"));
            assertThat(RequestSchema.validateQueueMessage(body).accepted()).as(file).isEqualTo(parserAccepts);
        }
    }
}
