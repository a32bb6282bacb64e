package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.engine.AdminGrant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminPrincipalsTest {

    @Test
    void parse_defaultsToClusterAdminAndKeepsRolePaths() {
        assertThat(AdminPrincipals.parse("arn:aws:iam::111122223333:role/platform/admins/eks-admin"))
                .isEqualTo(new AdminGrant("arn:aws:iam::111122223333:role/platform/admins/eks-admin",
                        "AmazonEKSClusterAdminPolicy"));
        assertThat(AdminPrincipals.parse(" arn:aws:iam::111122223333:user/ops=AmazonEKSAdminViewPolicy").policyArn())
                .isEqualTo("arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy");
    }

    @Test
    void parse_acceptsPolicyArnsAndRoleNamesContainingEquals() {
        assertThat(AdminPrincipals.parse("arn:aws:iam::111122223333:role/a=b=arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"))
                .isEqualTo(new AdminGrant("arn:aws:iam::111122223333:role/a=b", "AmazonEKSViewPolicy"));
        assertThat(AdminPrincipals.parse("arn:aws:iam::111122223333:role/a=b"))
                .isEqualTo(new AdminGrant("arn:aws:iam::111122223333:role/a=b", "AmazonEKSClusterAdminPolicy"));
    }

    @Test
    void of_takesTheDeploymentFilesAdminsInOrder() {
        DeploymentSettings settings = new DeploymentSettings(List.of(
                new DeploymentSettings.Admin("arn:aws:iam::111122223333:user/ops", "AmazonEKSAdminViewPolicy"),
                new DeploymentSettings.Admin("arn:aws:iam::111122223333:role/eks-admin", "AmazonEKSClusterAdminPolicy")),
                List.of("AmazonEKSViewPolicy"), List.of(), Optional.empty());

        assertThat(AdminPrincipals.of(settings)).containsExactly(
                new AdminGrant("arn:aws:iam::111122223333:user/ops", "AmazonEKSAdminViewPolicy"),
                new AdminGrant("arn:aws:iam::111122223333:role/eks-admin", "AmazonEKSClusterAdminPolicy"));
        assertThat(AdminPrincipals.of(DeploymentSettings.defaults())).isEmpty();
    }

    @Test
    void parse_refusesWhatEksRefusesAsAPrincipal_withTheReason() {
        assertThatThrownBy(() -> AdminPrincipals.parse("arn:aws:sts::111122223333:assumed-role/admin/alice"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("admin principal 'arn:aws:sts::111122223333:assumed-role/admin/alice'")
                .hasMessageContaining("is not an IAM role or user ARN");
        assertThatThrownBy(() -> AdminPrincipals.parse(
                "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is a service-linked role");
        assertThatThrownBy(() -> AdminPrincipals.parse("arn:aws:iam::111122223333:role/" + "r".repeat(65)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be an IAM user or role ARN");
        assertThatThrownBy(() -> AdminPrincipals.parse("arn:aws:iam::111122223333:role/*"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("admin principal ");
        assertThatThrownBy(() -> AdminPrincipals.parse(
                "arn:aws:iam::111122223333:role/admin=arn:aws:iam::aws:policy/AdministratorAccess"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("admin principal ");
    }
}
