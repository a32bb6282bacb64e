package dev.eksaccess.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A replayed sample event is played as if its call were made now, unless its time is broken on purpose. */
class PlayedNowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static InputFile.Event event(String text) throws Exception {
        return new InputFile.Event(Path.of("sample.json"), text, JSON.readTree(text));
    }

    @Test
    void validTimes_becomeNow_andNothingElseChanges() throws Exception {
        InputFile.Event played = Sandbox.playedNow(event("""
                {"id":"e-1","time":"2026-11-28T08:12:03Z","detail":{"eventTime":"2026-11-28T08:12:03Z","eventName":"CreateCluster"}}"""));

        Instant time = Instant.parse(played.json().get("time").asText());
        assertThat(Duration.between(time, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        assertThat(played.json().at("/detail/eventTime").asText()).isEqualTo(time.toString());
        assertThat(played.json().at("/detail/eventName").asText()).isEqualTo("CreateCluster");
        assertThat(JSON.readTree(played.text())).isEqualTo(played.json());
    }

    @Test
    void aTimeBrokenOnPurpose_isLeftAsItIs_soItsRejectionStillShows() throws Exception {
        JsonNode played = Sandbox.playedNow(event("""
                {"id":"e-2","detail":{"eventTime":"yesterday"}}""")).json();

        assertThat(played.at("/detail/eventTime").asText()).isEqualTo("yesterday");
    }
}
