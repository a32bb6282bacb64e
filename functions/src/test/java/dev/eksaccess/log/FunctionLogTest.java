package dev.eksaccess.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FunctionLogTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final List<String> lines = new ArrayList<>();
    private final FunctionLog log = new FunctionLog("grant-processor", clock, lines::add);

    /** A line about message {@code messageId} and request {@code requestId}, either of them null. */
    private static LogEvent event(String messageId, String requestId) {
        return new LogEvent(Level.WARN, "rejected", "a \"quoted\" reason", messageId, requestId,
                json -> json.writeNumberField("receiveCount", 2));
    }

    @Test
    void line_isTheEnvelope_thenTheIdsItHas_thenOutcomeReasonAndTheEventsFields() {
        InvocationLog invocation = log.begin("req-1");

        String written = invocation.write(event("m-1", "r-1"));
        clock.advance(Duration.ofMillis(1234));
        invocation.write(event(null, null));

        assertThat(lines).containsExactly(written,
                "{\"timestamp\":\"2026-11-28T10:00:01.234Z\",\"level\":\"WARN\",\"function\":\"grant-processor\","
                        + "\"awsRequestId\":\"req-1\",\"coldStart\":true,\"outcome\":\"rejected\","
                        + "\"reason\":\"a \\\"quoted\\\" reason\",\"receiveCount\":2}");
        assertThat(written).isEqualTo("{\"timestamp\":\"2026-11-28T10:00:00.000Z\",\"level\":\"WARN\","
                + "\"function\":\"grant-processor\",\"awsRequestId\":\"req-1\",\"coldStart\":true,\"messageId\":\"m-1\","
                + "\"requestId\":\"r-1\",\"outcome\":\"rejected\",\"reason\":\"a \\\"quoted\\\" reason\","
                + "\"receiveCount\":2}");
    }

    @Test
    void coldStart_isTheFirstInvocationOnly_andAnInvocationOutsideLambdaHasANullRequestId() {
        log.begin("req-1").write(event(null, null));
        log.begin(null).write(event(null, null));

        assertThat(lines.get(0)).contains("\"awsRequestId\":\"req-1\",\"coldStart\":true,");
        assertThat(lines.get(1)).contains("\"awsRequestId\":null,\"coldStart\":false,");
    }

    @Test
    void unwritten_rendersWithoutWriting_andLeavesTheColdStartToTheFirstInvocation() {
        String rendered = log.unwritten().write(event("m-1", null));
        log.begin("req-1").write(event(null, null));

        assertThat(rendered).contains("\"awsRequestId\":null,\"coldStart\":true,\"messageId\":\"m-1\",\"outcome\"");
        assertThat(lines).singleElement().asString().contains("\"coldStart\":true");
    }

    @Test
    void timestamp_isIso8601InUtc_withMilliseconds_alwaysTwentyFourCharacters() {
        DateTimeFormatter millis = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC);
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(253_402_300_800L), random.nextInt(1_000_000_000));
            assertThat(FunctionLog.timestamp(instant)).isEqualTo(millis.format(instant)).hasSize(24);
        }
        assertThat(FunctionLog.timestamp(Instant.parse("2028-02-29T23:59:59.999999999Z")))
                .isEqualTo("2028-02-29T23:59:59.999Z");
        assertThat(FunctionLog.timestamp(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
    }

    @Test
    void failed_isAnErrorLine_withTheExceptionsTypeAndWhetherTheTriggerRetries() {
        log.begin("req-1").failed(new IllegalStateException("DynamoDB is unavailable"), true);

        assertThat(lines).containsExactly("{\"timestamp\":\"2026-11-28T10:00:00.000Z\",\"level\":\"ERROR\","
                + "\"function\":\"grant-processor\",\"awsRequestId\":\"req-1\",\"coldStart\":true,"
                + "\"outcome\":\"error\",\"reason\":\"DynamoDB is unavailable\",\"errorType\":\"IllegalStateException\","
                + "\"retried\":true}");
    }
}
