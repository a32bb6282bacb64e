package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BackendChoiceTest {

    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier MUST_NOT_PROBE = () -> {
        throw new AssertionError("Docker was probed although the choice does not depend on it");
    };

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void parse_treatsAnAbsentPropertyAsAuto(String value) {
        assertThat(BackendChoice.parse(value)).isEqualTo(BackendChoice.AUTO);
    }

    @Test
    void parse_acceptsAnyCaseAndSurroundingSpace() {
        assertThat(BackendChoice.parse(" LocalStack ")).isEqualTo(BackendChoice.LOCALSTACK);
        assertThat(BackendChoice.parse("local")).isEqualTo(BackendChoice.LOCAL);
        assertThat(BackendChoice.parse("AUTO")).isEqualTo(BackendChoice.AUTO);
    }

    @Test
    void parse_rejectsAnUnknownValueNamingThePropertyAndTheAcceptedValues() {
        assertThatThrownBy(() -> BackendChoice.parse("elasticmq"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Deksaccess.aws=elasticmq is not a backend; use one of local, localstack, auto");
    }

    @Test
    void resolve_local_neverProbesDocker() {
        assertThat(BackendChoice.LOCAL.resolve(MUST_NOT_PROBE)).isEqualTo(BackendKind.LOCAL);
    }

    @Test
    void resolve_auto_prefersLocalStackWhenDockerAnswers() {
        assertThat(BackendChoice.AUTO.resolve(DOCKER)).isEqualTo(BackendKind.LOCALSTACK);
    }

    @Test
    void resolve_auto_fallsBackToLocalWithoutDocker() {
        assertThat(BackendChoice.AUTO.resolve(NO_DOCKER)).isEqualTo(BackendKind.LOCAL);
    }

    @Test
    void resolve_forcedLocalStack_usesItWhenDockerAnswers() {
        assertThat(BackendChoice.LOCALSTACK.resolve(DOCKER)).isEqualTo(BackendKind.LOCALSTACK);
    }

    @Test
    void resolve_forcedLocalStack_failsClearlyWithoutDocker() {
        assertThatThrownBy(() -> BackendChoice.LOCALSTACK.resolve(NO_DOCKER))
                .isInstanceOf(EmulatorUnavailableException.class)
                .hasMessageContaining("-Deksaccess.aws=localstack needs a Docker engine")
                .hasMessageContaining("use -Deksaccess.aws=local");
    }
}
