package dev.eksaccess.cli;

import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** How the CLI reaches AWS, for every service it calls (SQS, DynamoDB, STS). */
final class AwsClients {

    private AwsClients() {
    }

    /**
     * A client with the light URL-connection HTTP client (smallest jar, fastest start), signing for {@code region}
     * with {@code credentials}, at {@code endpoint} when given (else the SDK resolves it, honouring
     * {@code AWS_ENDPOINT_URL_<SERVICE>} and {@code AWS_ENDPOINT_URL}).
     */
    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, Region region,
            AwsCredentialsProvider credentials, Optional<URI> endpoint) {
        builder.region(region).credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** A usage error (exit 2) unless {@code endpoint} is absent or an http(s) URL with a host. */
    static void checkEndpoint(CommandSpec spec, URI endpoint) {
        if (endpoint != null && (endpoint.getHost() == null
                || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
            throw new ParameterException(spec.commandLine(),
                    "--endpoint-url: '" + endpoint + "' is not an http(s) URL such as http://localhost:4566");
        }
    }

    /** The region of the SDK's chain ({@code AWS_REGION}, the profile, ...), if it names one. */
    static Optional<Region> chainRegion() {
        try {
            return Optional.of(new DefaultAwsRegionProviderChain().getRegion());
        } catch (SdkException e) {
            return Optional.empty();
        }
    }
}
