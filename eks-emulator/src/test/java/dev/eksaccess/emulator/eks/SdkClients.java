package dev.eksaccess.emulator.eks;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.EksClientBuilder;

/** Real SDK EKS clients pointed at an emulator, configured as the functions configure theirs. */
final class SdkClients {

    private SdkClients() {
    }

    /** A client with the SDK's default retry behaviour. */
    static EksClient eks(EksEmulator emulator) {
        return builder(emulator.endpoint()).build();
    }

    /** A client that never retries, so that each error surfaces as it was answered. */
    static EksClient eksWithoutRetries(EksEmulator emulator) {
        return builder(emulator.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static EksClientBuilder builder(URI endpoint) {
        return EksClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(UrlConnectionHttpClient.create());
    }
}
