package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

/** The EKS clients pace themselves when EKS throttles (the throughput benchmark's choice). */
class EksRetryModeTest {

    @Test
    void eksClientsUseTheAdaptiveRetryMode() {
        try (EksClient eks = AwsClients.withEksRetries(EksClient.builder()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(eks.serviceClientConfiguration().overrideConfiguration().retryStrategy())
                    .get().isInstanceOf(AdaptiveRetryStrategy.class);
        }
    }
}
