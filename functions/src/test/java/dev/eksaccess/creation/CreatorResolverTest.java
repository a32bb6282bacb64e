package dev.eksaccess.creation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eksaccess.testing.EventFiles;
import org.junit.jupiter.api.Test;

class CreatorResolverTest {

    private final CreatorResolver resolver = new CreatorResolver();

    private static ObjectNode identityOf(String sample) {
        return (ObjectNode) EventFiles.json("cloudtrail/create-cluster/" + sample).get("detail").get("userIdentity");
    }

    private Creator resolve(String sample) {
        return resolve(identityOf(sample));
    }

    private Creator resolve(JsonNode identity) {
        return resolver.resolve(EventFiles.value(identity));
    }

    @Test
    void iamUser_isTheUserArn() {
        Creator creator = resolve("iam-user.json");

        assertThat(creator).isEqualTo(new Creator("IAMUser", "arn:aws:iam::111122223333:user/alice", null, null, true, null));
    }

    @Test
    void assumedRole_isTheIssuerRoleWithItsPath_neverTheStsSession() {
        Creator creator = resolve("assumed-role-with-path.json");

        assertThat(creator.principalArn()).isEqualTo("arn:aws:iam::111122223333:role/platform/teams/eks-provisioner");
        assertThat(creator.principalArn()).doesNotContain(":sts:");
        assertThat(creator.sessionName()).isEqualTo("terraform-run-8842");
        assertThat(creator.identityType()).isEqualTo("AssumedRole");
        assertThat(creator.accessEntryPrincipal()).isTrue();
        assertThat(creator.limitation()).isNull();
    }

    @Test
    void identityCenterRole_keepsTheGlobalSsoPath() {
        Creator creator = resolve("sso-role.json");

        assertThat(creator.principalArn()).isEqualTo(
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_3f1c2a9b7d6e5f40");
        assertThat(creator.sessionName()).isEqualTo("jane.doe@example.com");
        assertThat(creator.accessEntryPrincipal()).isTrue();
    }

    @Test
    void identityCenterRole_keepsTheRegionalSsoPath() {
        Creator creator = resolve("sso-role-regional-path.json");

        assertThat(creator.principalArn()).isEqualTo(
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_EksOperators_a1b2c3d4e5f60718");
        assertThat(creator.sessionName()).isEqualTo("raj.patel");
        assertThat(creator.accessEntryPrincipal()).isTrue();
    }

    @Test
    void roleUsedByCloudFormation_isTheRole_andKeepsInvokedBy() {
        Creator creator = resolve("cloudformation.json");

        assertThat(creator.principalArn()).isEqualTo("arn:aws:iam::111122223333:role/cfn-exec/CloudFormationEksDeployRole");
        assertThat(creator.invokedBy()).isEqualTo("cloudformation.amazonaws.com");
        assertThat(creator.sessionName()).isEqualTo("AWSCloudFormation");
        assertThat(creator.accessEntryPrincipal()).isTrue();
    }

    @Test
    void root_isRecordedButNotAPrincipal_withANoteSayingWhy() {
        Creator creator = resolve("root.json");

        assertThat(creator.identityType()).isEqualTo("Root");
        assertThat(creator.principalArn()).isEqualTo("arn:aws:iam::111122223333:root");
        assertThat(creator.accessEntryPrincipal()).isFalse();
        assertThat(creator.limitation()).startsWith("creator admin not granted: ").contains("root user");
    }

    @Test
    void federatedUser_isRecordedWithItsSession_andTheIssuerIsNotGrantedInstead() {
        Creator creator = resolve("federated-user.json");

        assertThat(creator.identityType()).isEqualTo("FederatedUser");
        assertThat(creator.principalArn()).isEqualTo("arn:aws:sts::111122223333:federated-user/bob-cli");
        assertThat(creator.sessionName()).isEqualTo("bob-cli");
        assertThat(creator.accessEntryPrincipal()).isFalse();
        assertThat(creator.limitation()).contains("arn:aws:iam::111122223333:user/bob").contains("not granted");
    }

    @Test
    void identityCenterUser_hasNoArn_andTheNoteNamesTheUser() {
        Creator creator = resolve("identity-center-user.json");

        assertThat(creator.identityType()).isEqualTo("IdentityCenterUser");
        assertThat(creator.principalArn()).isNull();
        assertThat(creator.accessEntryPrincipal()).isFalse();
        assertThat(creator.limitation()).contains("94482488-3041-7026-18f3-be45837cd0e4")
                .contains("identitystore/d-9067642ac7");
    }

    @Test
    void awsService_hasNoPrincipal_andTheNoteNamesTheService() {
        Creator creator = resolve("aws-service.json");

        assertThat(creator.identityType()).isEqualTo("AWSService");
        assertThat(creator.principalArn()).isNull();
        assertThat(creator.invokedBy()).isEqualTo("sagemaker.amazonaws.com");
        assertThat(creator.accessEntryPrincipal()).isFalse();
        assertThat(creator.limitation()).contains("sagemaker.amazonaws.com");
    }

    @Test
    void serviceLinkedRole_isNotAPrincipal() {
        ObjectNode identity = identityOf("assumed-role-with-path.json");
        ((ObjectNode) identity.at("/sessionContext/sessionIssuer")).put("arn",
                "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS");

        Creator creator = resolve(identity);

        assertThat(creator.accessEntryPrincipal()).isFalse();
        assertThat(creator.limitation()).contains("service-linked role");
    }

    @Test
    void unknownIdentityType_isRecordedWithANote_ratherThanRejected() {
        ObjectNode identity = identityOf("iam-user.json").put("type", "AWSAccount");

        Creator creator = resolve(identity);

        assertThat(creator.identityType()).isEqualTo("AWSAccount");
        assertThat(creator.accessEntryPrincipal()).isFalse();
        assertThat(creator.limitation()).contains("identity type AWSAccount");
    }

    @Test
    void sessionName_fallsBackToThePrincipalIdWhenTheSessionArnIsMissing() {
        ObjectNode identity = identityOf("assumed-role-with-path.json");
        identity.remove("arn");

        assertThat(resolve(identity).sessionName()).isEqualTo("terraform-run-8842");
    }

    @Test
    void assumedRoleWithoutIssuerArn_isRejectedNamingTheField() {
        ObjectNode identity = identityOf("assumed-role-with-path.json");
        ((ObjectNode) identity.at("/sessionContext/sessionIssuer")).remove("arn");

        assertThatThrownBy(() -> resolve(identity))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("detail.userIdentity.sessionContext.sessionIssuer.arn is missing");
    }

    @Test
    void assumedRoleWithoutSessionContext_isRejectedNamingTheField() {
        ObjectNode identity = identityOf("assumed-role-with-path.json");
        identity.remove("sessionContext");

        assertThatThrownBy(() -> resolve(identity))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("detail.userIdentity.sessionContext is missing");
    }

    @Test
    void assumedRoleWhoseIssuerIsAnStsSession_isRejected() {
        ObjectNode identity = identityOf("assumed-role-with-path.json");
        ((ObjectNode) identity.at("/sessionContext/sessionIssuer")).put("arn",
                "arn:aws:sts::111122223333:assumed-role/eks-provisioner/terraform-run-8842");

        assertThatThrownBy(() -> resolve(identity))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("detail.userIdentity.sessionContext.sessionIssuer.arn is not an IAM role ARN");
    }

    @Test
    void assumedRoleWhoseIssuerIsNotARole_isRejected() {
        ObjectNode identity = identityOf("assumed-role-with-path.json");
        ((ObjectNode) identity.at("/sessionContext/sessionIssuer")).put("type", "IAMUser");

        assertThatThrownBy(() -> resolve(identity))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("sessionIssuer.type is 'IAMUser'");
    }

    @Test
    void iamUserWithARoleArn_isRejected() {
        ObjectNode identity = identityOf("iam-user.json").put("arn", "arn:aws:iam::111122223333:role/alice");

        assertThatThrownBy(() -> resolve(identity))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("detail.userIdentity.arn is not an IAM user ARN: arn:aws:iam::111122223333:role/alice");
    }

    @Test
    void identityWithoutType_isRejected() {
        ObjectNode identity = identityOf("iam-user.json");
        identity.remove("type");

        assertThatThrownBy(() -> resolve(identity))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("detail.userIdentity.type is missing");
    }

    @Test
    void missingOrNonObjectIdentity_isRejected() {
        JsonNode text = EventFiles.json("cloudtrail/create-cluster/iam-user.json").get("detail").get("eventName");

        assertThatThrownBy(() -> resolver.resolve(null)).hasMessage("detail.userIdentity is missing");
        assertThatThrownBy(() -> resolve(text)).hasMessage("detail.userIdentity is not a JSON object");
    }
}
