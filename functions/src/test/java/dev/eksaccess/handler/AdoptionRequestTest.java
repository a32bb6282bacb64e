package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.handler.AdoptionHandler.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an invocation of the adoption function asks for: a plan, and which accounts; a scheduled event neither. */
class AdoptionRequestTest {

    private static Request of(String event) {
        return Request.of(event.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aScheduledEvent_orAnythingNotAnObject_adoptsWhereConfigured() {
        assertThat(of("{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}"))
                .isEqualTo(new Request(false, List.of(), null));
        assertThat(of("not json")).isEqualTo(new Request(false, List.of(), null));
        assertThat(of("[true]")).isEqualTo(new Request(false, List.of(), null));
    }

    @Test
    void planAndAccounts_areRead() {
        assertThat(of("{\"plan\":true,\"accounts\":[\"444455556666\",\"777788889999\"]}"))
                .isEqualTo(new Request(true, List.of("444455556666", "777788889999"), null));
        assertThat(of("{\"plan\":\"yes\",\"accounts\":null}")).isEqualTo(new Request(false, List.of(), null));
    }

    /** Accounts that are not a list of strings are refused, never read as "the configured ones". */
    @Test
    void accountsThatAreNotAListOfStrings_areRefused() {
        assertThat(of("{\"accounts\":\"444455556666\"}").refused())
                .isEqualTo("\"accounts\" must be a list of account ids (strings)");
        assertThat(of("{\"plan\":true,\"accounts\":[444455556666]}"))
                .isEqualTo(new Request(true, List.of(), "\"accounts\" must be a list of account ids (strings)"));
    }
}
