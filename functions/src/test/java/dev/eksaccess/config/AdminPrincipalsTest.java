package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.engine.AdminGrant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminPrincipalsTest {

    private static Environment env(String adminPrincipals) {
        return new Environment(Map.of("ADMIN_PRINCIPALS", adminPrincipals));
    }

    @Test
    void parseAll_defaultsToClusterAdminAndKeepsRolePaths() {
        var grants = AdminPrincipals.parseAll(env(
                "arn:aws:iam::111122223333:role/platform/admins/eks-admin, arn:aws:iam::111122223333:user/ops=AmazonEKSAdminViewPolicy"));

        assertThat(grants).containsExactly(
                new AdminGrant("arn:aws:iam::111122223333:role/platform/admins/eks-admin", "AmazonEKSClusterAdminPolicy"),
                new AdminGrant("arn:aws:iam::111122223333:user/ops", "AmazonEKSAdminViewPolicy"));
        assertThat(grants.get(0).policyArn())
                .isEqualTo("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
    }

    @Test
    void parse_acceptsPolicyArnsAndRoleNamesContainingEquals() {
        assertThat(AdminPrincipals.parse("arn:aws:iam::111122223333:role/a=b=arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"))
                .isEqualTo(new AdminGrant("arn:aws:iam::111122223333:role/a=b", "AmazonEKSViewPolicy"));
        assertThat(AdminPrincipals.parse("arn:aws:iam::111122223333:role/a=b"))
                .isEqualTo(new AdminGrant("arn:aws:iam::111122223333:role/a=b", "AmazonEKSClusterAdminPolicy"));
    }

    @Test
    void parseAll_emptyWhenUnset() {
        assertThat(AdminPrincipals.parseAll(new Environment(Map.of()))).isEmpty();
    }

    @Test
    void parseAll_refusesStsSessionArnsNamingTheVariable() {
        assertThatThrownBy(() -> AdminPrincipals.parseAll(env("arn:aws:sts::111122223333:assumed-role/admin/alice")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ADMIN_PRINCIPALS")
                .hasMessageContaining("is not an IAM role or user ARN");
    }

    @Test
    void parseAll_refusesWhatEksRefusesAsAPrincipal_withTheReason() {
        assertThatThrownBy(() -> AdminPrincipals.parseAll(env(
                "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ADMIN_PRINCIPALS")
                .hasMessageContaining("is a service-linked role");
        assertThatThrownBy(() -> AdminPrincipals.parseAll(env("arn:aws:iam::111122223333:role/" + "r".repeat(65))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be an IAM user or role ARN");
    }

    @Test
    void parseAll_refusesWildcardsUnknownPoliciesAndDuplicates() {
        assertThatThrownBy(() -> AdminPrincipals.parseAll(env("arn:aws:iam::111122223333:role/*")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ADMIN_PRINCIPALS");
        assertThatThrownBy(() -> AdminPrincipals.parseAll(env("arn:aws:iam::111122223333:role/admin=arn:aws:iam::aws:policy/AdministratorAccess")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ADMIN_PRINCIPALS");
        assertThatThrownBy(() -> AdminPrincipals.parseAll(env("arn:aws:iam::111122223333:role/admin,arn:aws:iam::111122223333:role/admin")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("principal listed twice");
    }
}
