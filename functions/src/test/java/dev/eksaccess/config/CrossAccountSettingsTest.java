package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrossAccountSettingsTest {

    @Test
    void unset_meansNoMemberAccountsAndNoExternalId() {
        assertThat(CrossAccountSettings.from(new Environment(Map.of()))).isEqualTo(CrossAccountSettings.NONE);
    }

    @Test
    void memberAccountsAndExternalId_areRead() {
        CrossAccountSettings settings = CrossAccountSettings.from(new Environment(Map.of(
                "MEMBER_ACCOUNTS", "222233334444, 444455556666", "CROSS_ACCOUNT_EXTERNAL_ID", "eks-access-hub-1")));

        assertThat(settings.memberAccounts()).isEqualTo(Set.of("222233334444", "444455556666"));
        assertThat(settings.externalId()).isEqualTo(Optional.of("eks-access-hub-1"));
    }

    @Test
    void aMalformedAccount_orExternalId_stopsStartUp_withoutEchoingTheExternalId() {
        assertThatThrownBy(() -> CrossAccountSettings.from(new Environment(Map.of("MEMBER_ACCOUNTS", "1234"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MEMBER_ACCOUNTS").hasMessageContaining("1234");
        assertThatThrownBy(() -> CrossAccountSettings.from(new Environment(Map.of(
                "CROSS_ACCOUNT_EXTERNAL_ID", "secret value with spaces"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("CROSS_ACCOUNT_EXTERNAL_ID")
                .hasMessageNotContaining("secret value");
    }
}
