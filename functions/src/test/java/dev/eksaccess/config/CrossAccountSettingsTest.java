package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.DeploymentSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrossAccountSettingsTest {

    @Test
    void unset_meansNoMemberAccountsAndNoExternalId() {
        assertThat(CrossAccountSettings.from(new Environment(Map.of()), DeploymentSettings.defaults()))
                .isEqualTo(CrossAccountSettings.NONE);
    }

    @Test
    void memberAccountsAndExternalId_areRead() {
        CrossAccountSettings settings = CrossAccountSettings.from(
                new Environment(Map.of("CROSS_ACCOUNT_EXTERNAL_ID", "eks-access-hub-1")),
                new DeploymentSettings(List.of(), List.of("AmazonEKSViewPolicy"), List.of("222233334444", "444455556666"),
                        Optional.empty()));

        assertThat(settings.memberAccounts()).isEqualTo(Set.of("222233334444", "444455556666"));
        assertThat(settings.externalId()).isEqualTo(Optional.of("eks-access-hub-1"));
    }

    @Test
    void theOrganizationsAccounts_areAllMembers_whileAListNamesOnlyItsOwn() {
        CrossAccountSettings organization = CrossAccountSettings.from(new Environment(Map.of()),
                new DeploymentSettings(List.of(), List.of("AmazonEKSViewPolicy"), List.of(), Optional.of("o-a1b2c3d4e5")));
        CrossAccountSettings listed = CrossAccountSettings.from(new Environment(Map.of()),
                new DeploymentSettings(List.of(), List.of("AmazonEKSViewPolicy"), List.of("222233334444"),
                        Optional.empty()));

        assertThat(organization.organization()).contains("o-a1b2c3d4e5");
        assertThat(organization.memberAccountsOrAny()).as("any account: IAM's aws:ResourceOrgID bounds it").isNull();
        assertThat(listed.memberAccountsOrAny()).containsExactly("222233334444");
        assertThat(CrossAccountSettings.NONE.memberAccountsOrAny()).isEmpty();
    }

    @Test
    void aMalformedExternalId_stopsStartUp_withoutEchoingIt() {
        assertThatThrownBy(() -> CrossAccountSettings.from(new Environment(Map.of(
                "CROSS_ACCOUNT_EXTERNAL_ID", "secret value with spaces")), DeploymentSettings.defaults()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CROSS_ACCOUNT_EXTERNAL_ID")
                .hasMessageNotContaining("secret value");
    }
}
