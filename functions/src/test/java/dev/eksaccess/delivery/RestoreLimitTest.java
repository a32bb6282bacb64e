package dev.eksaccess.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The no-loop rule: two restores of one entry within the window, and the third is stopped. */
class RestoreLimitTest {

    private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
    private final RestoreLimit limit = new RestoreLimit(Duration.ofHours(1));

    @Test
    void twoRestoresWithinTheWindow_stopTheThird_oneOrNoneDoNot() {
        assertThat(limit.allows(List.of(), NOW)).isTrue();
        assertThat(limit.allows(List.of(NOW.minusSeconds(60)), NOW)).isTrue();
        assertThat(limit.allows(List.of(NOW.minusSeconds(3599), NOW.minusSeconds(60)), NOW)).isFalse();
    }

    @Test
    void aRestoreExactlyOneWindowOld_noLongerCounts_oneASecondYoungerDoes() {
        assertThat(limit.allows(List.of(NOW.minus(Duration.ofHours(1)), NOW.minusSeconds(60)), NOW)).isTrue();
        assertThat(limit.allows(List.of(NOW.minus(Duration.ofHours(1)).plusSeconds(1), NOW.minusSeconds(60)), NOW))
                .isFalse();
    }

    @Test
    void after_keepsOnlyWhatStillCounts_andTheNewRestore() {
        Instant old = NOW.minus(Duration.ofHours(2));
        Instant recent = NOW.minusSeconds(600);

        assertThat(limit.after(List.of(old, recent), NOW)).containsExactly(recent, NOW);
    }

    @Test
    void aWindowOfZero_negative_orOverADay_isRefused() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMinutes(-1), Duration.ofDays(1).plusSeconds(1))) {
            assertThatThrownBy(() -> new RestoreLimit(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most PT24H");
        }
    }
}
