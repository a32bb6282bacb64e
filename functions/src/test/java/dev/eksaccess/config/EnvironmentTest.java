package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.Setting;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void required_namesTheMissingVariableAndWhatItExpects() {
        assertThatThrownBy(() -> new Environment(Map.of()).required(Setting.REGISTRY_TABLE))
                .isInstanceOf(ConfigException.class)
                .hasMessage("REGISTRY_TABLE is not set; expected name of the DynamoDB cluster registry table");
    }

    @Test
    void flag_acceptsTrueFalseAnyCaseAndRefusesOtherWords() {
        assertThat(new Environment(Map.of("CREATOR_ADMIN", "TRUE")).flag(Setting.CREATOR_ADMIN, false)).isTrue();
        assertThat(new Environment(Map.of()).flag(Setting.CREATOR_ADMIN, false)).isFalse();
        assertThatThrownBy(() -> new Environment(Map.of("CREATOR_ADMIN", "yes")).flag(Setting.CREATOR_ADMIN, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CREATOR_ADMIN has an invalid value 'yes'");
    }

    @Test
    void duration_parsesIsoAndRefusesZeroNegativeAndJunk() {
        assertThat(new Environment(Map.of("MAX_GRANT_DURATION", "PT12H")).duration(Setting.MAX_GRANT_DURATION, Duration.ofDays(7)))
                .isEqualTo(Duration.ofHours(12));
        for (String bad : new String[] {"PT0S", "-PT1H", "12h"}) {
            assertThatThrownBy(() -> new Environment(Map.of("MAX_GRANT_DURATION", bad)).duration(Setting.MAX_GRANT_DURATION, Duration.ZERO))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("MAX_GRANT_DURATION");
        }
    }

    @Test
    void list_splitsOnCommasAndDropsBlanks() {
        assertThat(new Environment(Map.of("ALLOWED_POLICIES", " AmazonEKSViewPolicy, ,AmazonEKSEditPolicy ")).list(Setting.ALLOWED_POLICIES))
                .containsExactly("AmazonEKSViewPolicy", "AmazonEKSEditPolicy");
    }
}
