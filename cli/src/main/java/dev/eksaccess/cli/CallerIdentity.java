package dev.eksaccess.cli;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Who the CLI's credentials belong to: what {@code pending} matches against the approvers of each request. An
 * interface so that tests give an identity of their choice: the emulators the tests run (ElasticMQ, dynalite) have no
 * STS, and the real implementation is one SDK call.
 */
@FunctionalInterface
public interface CallerIdentity {

    /**
     * The caller's ARN as STS {@code GetCallerIdentity} answers it: {@code arn:aws:sts::ACCOUNT:assumed-role/NAME/
     * SESSION} for a role session, {@code arn:aws:iam::ACCOUNT:user/PATH/NAME} for an IAM user.
     *
     * @param region the STS region to ask (the ledger's)
     * @throws software.amazon.awssdk.core.exception.SdkException when STS cannot be asked or refuses
     */
    String arn(Region region);

    /**
     * STS with credentials from the SDK's default chain, at the endpoint the SDK resolves (it honours
     * {@code AWS_ENDPOINT_URL_STS}).
     */
    static CallerIdentity defaultChain() {
        return sts(DefaultCredentialsProvider.builder().build());
    }

    /** STS with fixed credentials. */
    static CallerIdentity sts(AwsCredentialsProvider credentials) {
        return region -> {
            try (StsClient sts = AwsClients.build(StsClient.builder(), region, credentials, Optional.empty())) {
                return sts.getCallerIdentity().arn();
            }
        };
    }
}
