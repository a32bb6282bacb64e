package dev.eksaccess.cli;

import dev.eksaccess.config.SqsQueueUrl;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * The grant queue's URL and what it says: the account (where the grant processor looks for clusters given by name)
 * and, for AWS's own hosts, the region. Checked by the functions' own rule ({@link SqsQueueUrl}), so the CLI
 * refuses the URLs the functions would refuse to start with.
 *
 * @param url        the URL as given
 * @param accountId  the 12-digit account from the path {@code /ACCOUNT/QUEUE}
 * @param hostRegion the region in an AWS SQS host name; empty for other hosts (emulators)
 */
public record QueueUrl(String url, String accountId, Optional<Region> hostRegion) {

    /** {@code sqs.REGION.amazonaws.com}, {@code sqs-fips.REGION...}, legacy {@code REGION.queue.amazonaws.com}. */
    private static final Pattern AWS_HOST = Pattern.compile(
            "(?:sqs(?:-fips)?\\.([a-z]{2}(?:-[a-z]+)+-\\d)|([a-z]{2}(?:-[a-z]+)+-\\d)\\.queue)\\.amazonaws\\.com(?:\\.cn)?");

    /** @throws IllegalArgumentException saying what a queue URL looks like, as the functions' own check does */
    public static QueueUrl parse(String url) {
        SqsQueueUrl queue;
        try {
            queue = SqsQueueUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "': " + e.getMessage(), e);
        }
        Matcher host = AWS_HOST.matcher(URI.create(url).getHost());
        Optional<Region> region = host.matches()
                ? Optional.of(Region.of(host.group(1) != null ? host.group(1) : host.group(2)))
                : Optional.empty();
        return new QueueUrl(url, queue.accountId(), region);
    }
}
