package dev.eksaccess.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The grant queue and how to reach it: the flags, checks and sending that every sending command (grant, revoke,
 * approve, deny) shares.
 */
final class QueueOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--queue-url", paramLabel = "URL",
            description = "The grant queue. Default: $" + CliContext.QUEUE_URL_VARIABLE + ".")
    String queueUrl;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region of the queue. Default: from an AWS queue URL, else the SDK's region chain "
                    + "(AWS_REGION, profile).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "SQS endpoint override, e.g. LocalStack's http://localhost:4566.")
    URI endpointUrl;

    /** The queue URL given (flag or environment), checked as the functions check it; empty when none. */
    Optional<QueueUrl> queue() {
        AwsClients.checkEndpoint(spec, endpointUrl);
        if (queueUrl == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(QueueUrl.parse(queueUrl.trim()));
        } catch (IllegalArgumentException e) {
            throw usage("--queue-url: " + e.getMessage());
        }
    }

    /** The region to sign for and to resolve cluster names in: --region, the AWS queue host, the SDK's chain. */
    Region region(QueueUrl queue) {
        if (region != null) {
            Region given = Region.of(region.trim());
            if (queue.hostRegion().isPresent() && !queue.hostRegion().get().equals(given)) {
                throw usage("--region " + given + " does not match the queue URL's region "
                        + queue.hostRegion().get());
            }
            return given;
        }
        if (queue.hostRegion().isPresent()) {
            return queue.hostRegion().get();
        }
        return AwsClients.chainRegion().orElseThrow(
                () -> usage("no region for queue " + queue.url() + ": give --region or set AWS_REGION"));
    }

    /**
     * Sends {@code body} to {@code queue}. Returns the SQS message id, or empty after saying on stderr why SQS could
     * not be reached or refused (exit {@link ExitCodes#AWS_FAILED}).
     */
    Optional<String> send(SqsConnector connector, QueueUrl queue, String body) {
        Region signingRegion = region(queue);
        try (SqsClient sqs = connector.connect(signingRegion, Optional.ofNullable(endpointUrl))) {
            return Optional.of(sqs.sendMessage(r -> r.queueUrl(queue.url()).messageBody(body)).messageId());
        } catch (SdkException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("eks-access: could not send the request to " + queue.url() + ": " + e.getMessage());
            err.flush();
            return Optional.empty();
        }
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
