package dev.eksaccess.testsupport;

import dev.eksaccess.emulator.eks.EksEmulator;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.EksClientBuilder;

/**
 * Real SDK EKS clients pointed at an {@link EksEmulator}, with the URL-connection HTTP client the functions use in
 * Lambda. The region is the one the client signs for (the emulator reads it from the signature). Each call builds a
 * new client that the caller closes.
 *
 * <p>Credentials say who calls: {@link #TEST_CREDENTIALS} name no account, so the emulator treats their caller as one
 * of every account (a test's own set-up, or a person changing EKS by hand); {@link #accountCredentials} sign with
 * {@link EksEmulator#accessKeyOf}, a caller of that account only.
 */
public final class TestEksClients {

    /** Test keys that name no account. */
    public static final AwsCredentialsProvider TEST_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private TestEksClients() {
    }

    /** A client with {@link #TEST_CREDENTIALS} and the SDK's default retries. */
    public static EksClient eks(URI endpoint, Region region) {
        return builder(endpoint, region, TEST_CREDENTIALS).build();
    }

    /** A client with {@link #TEST_CREDENTIALS} and the SDK's {@code retries} mode. */
    public static EksClient eks(URI endpoint, Region region, RetryMode retries) {
        return builder(endpoint, region, TEST_CREDENTIALS)
                .overrideConfiguration(o -> o.retryStrategy(retries)).build();
    }

    /** A client that calls as a principal of {@code accountId} ({@link #accountCredentials}). */
    public static EksClient ofAccount(URI endpoint, Region region, String accountId) {
        return builder(endpoint, region, accountCredentials(accountId)).build();
    }

    /** Keys the emulator reads as a caller of {@code accountId}. */
    public static AwsCredentialsProvider accountCredentials(String accountId) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(EksEmulator.accessKeyOf(accountId), "x"));
    }

    /** A builder with the endpoint, region, credentials and HTTP client set; change it, then build it. */
    public static EksClientBuilder builder(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return EksClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create());
    }
}
