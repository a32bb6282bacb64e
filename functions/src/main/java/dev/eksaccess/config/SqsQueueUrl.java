package dev.eksaccess.config;

import dev.eksaccess.contract.Setting;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grant queue's URL as the functions accept it ({@link Setting#GRANT_QUEUE_URL}) and the CLI checks it: http or
 * https, a host, and the path {@code /ACCOUNT/QUEUE}. The account is the grant processor's own, where clusters given
 * by name live; the CLI resolves cluster names the same way.
 *
 * @param url       the URL as given
 * @param accountId the 12-digit account in its path
 */
public record SqsQueueUrl(String url, String accountId) {

    /** A valid one, for messages. */
    public static final String EXAMPLE = "https://sqs.eu-west-1.amazonaws.com/111122223333/eks-access-grants";

    /** Path of an SQS queue URL: /ACCOUNT/NAME, a FIFO queue's name ending in .fifo. */
    private static final Pattern QUEUE_PATH = Pattern.compile("/(\\d{12})/[\\w-]{1,80}(\\.fifo)?");

    public SqsQueueUrl {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(accountId, "accountId");
    }

    /**
     * Parses and checks a queue URL.
     *
     * @throws IllegalArgumentException whose message says what is wrong, written to follow {@code 'URL': }
     */
    public static SqsQueueUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("not an http(s) queue URL such as " + EXAMPLE);
        }
        Matcher path = QUEUE_PATH.matcher(uri.getPath() == null ? "" : uri.getPath());
        if (!path.matches()) {
            throw new IllegalArgumentException("the path must be /ACCOUNT/QUEUE with a 12-digit account (where"
                    + " clusters given by name live), as in " + EXAMPLE);
        }
        return new SqsQueueUrl(url, path.group(1));
    }
}
