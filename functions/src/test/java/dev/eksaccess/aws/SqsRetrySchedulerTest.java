package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityResponse;

class SqsRetrySchedulerTest {

    /** Records the visibility changes it is asked for; no HTTP. */
    private static final class RecordingSqs implements SqsClient {

        final List<ChangeMessageVisibilityRequest> changes = new ArrayList<>();

        @Override
        public ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest request) {
            changes.add(request);
            return ChangeMessageVisibilityResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void clientOnFirstUse_isBuiltOnlyWhenAMessageIsRetried_andThenOnce() {
        AtomicInteger built = new AtomicInteger();
        RecordingSqs sqs = new RecordingSqs();
        SqsRetryScheduler retries = new SqsRetryScheduler(new Lazy<>(() -> {
            built.incrementAndGet();
            return sqs;
        }), "https://sqs.eu-west-1.amazonaws.com/111122223333/grants");

        assertThat(built).as("nothing built before a retry").hasValue(0);
        retries.retryAfter("receipt-1", Duration.ofSeconds(30));
        retries.retryAfter("receipt-2", Duration.ofMinutes(2));

        assertThat(built).hasValue(1);
        assertThat(sqs.changes).extracting(ChangeMessageVisibilityRequest::receiptHandle,
                ChangeMessageVisibilityRequest::visibilityTimeout)
                .containsExactly(tuple("receipt-1", 30),
                        tuple("receipt-2", 120));
        assertThat(sqs.changes).allSatisfy(change -> assertThat(change.queueUrl())
                .isEqualTo("https://sqs.eu-west-1.amazonaws.com/111122223333/grants"));
    }
}
