package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Priming's read-only warm-up calls: each is made once, and a failing one never stops the others or the snapshot. */
class PrimingCallsTest {

    @Test
    void everyCallIsMade_aFailureIsIgnored_andTheCompletedOnesAreCounted() {
        List<String> made = new ArrayList<>();

        int completed = PrimingCalls.run(List.of(
                () -> made.add("registry read"),
                () -> {
                    made.add("GetRole");
                    throw new IllegalStateException("AccessDenied");
                },
                () -> made.add("after the failure")));

        assertThat(made).containsExactly("registry read", "GetRole", "after the failure");
        assertThat(completed).isEqualTo(2);
    }
}
