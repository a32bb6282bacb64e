package dev.eksaccess.authz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Resolves SQS sender ids to the ARNs that configuration names (eligibility senders and approvers, the functions'
 * own roles). IAM is asked for each configured ARN's unique id on first need, and again when a sender id is not
 * known, at most once per {@link #REFRESH_INTERVAL}: a role deleted and created again under the same name gets a new
 * id, which is then learned; messages from sessions of the deleted role stay unknown. A sender no configured ARN
 * resolves to is unknown, and its messages are rejected before any EKS call.
 *
 * <p>A refresh asks IAM about up to {@link #PARALLEL_LOOKUPS} ARNs at a time: a document naming dozens of senders would
 * otherwise make the first message of every execution environment wait for dozens of IAM round trips in a row. The
 * ids live in this object only, never in a cache that outlives the execution environment.
 */
public final class Senders {

    /** How often an unknown sender id may trigger asking IAM again. */
    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);

    /** How many configured ARNs IAM is asked about at once in a refresh (IAM's own rate limit is far above this). */
    public static final int PARALLEL_LOOKUPS = 8;

    private final List<String> configured;
    private final PrincipalIds ids;
    private final Clock clock;
    /** Replaced whole on a refresh, so readers never see a half-built map. */
    private volatile Map<String, String> arnByUniqueId = Map.of();
    private Instant refreshedAt;
    /** The configured ARNs IAM did not answer for in the last refresh, with why. */
    private volatile List<String> unanswered = List.of();

    public Senders(List<String> configuredArns, PrincipalIds ids, Clock clock) {
        this.configured = List.copyOf(configuredArns);
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * The configured identity that sent a message, or empty when the sender id is malformed or resolves to none.
     *
     * @throws RuntimeException when the sender is not known and IAM could not be asked about some configured ARN: the
     *                          message is retried, not rejected
     */
    public Optional<Sender> resolve(String rawSenderId) {
        Optional<SenderId> id = SenderId.parse(rawSenderId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String arn = arnByUniqueId.get(id.get().uniqueId());
        if (arn == null) {
            // Read again after the refresh, or after waiting for the one another thread just made.
            boolean refreshed = refreshAllowed();
            arn = arnByUniqueId.get(id.get().uniqueId());
            if (refreshed && arn == null && !unanswered.isEmpty()) {
                // The sender may be one IAM could not say anything about: retry rather than reject it.
                throw new IllegalStateException("sender " + rawSenderId + " is not known yet, and IAM could not be "
                        + "asked about " + String.join("; ", unanswered));
            }
        }
        if (arn == null || isRoleArn(arn) != id.get().isRole()) {
            return Optional.empty();
        }
        return Optional.of(new Sender(arn, id.get().session(), rawSenderId));
    }

    /** Asks IAM for every configured ARN's id, unless it was asked within the refresh interval. */
    private synchronized boolean refreshAllowed() {
        Instant now = clock.instant();
        if (refreshedAt != null && now.isBefore(refreshedAt.plus(REFRESH_INTERVAL))) {
            return false;
        }
        Map<String, String> fresh = new HashMap<>();
        List<String> failed = new ArrayList<>();
        List<Answer> answers = askAll();
        for (int i = 0; i < configured.size(); i++) {
            String arn = configured.get(i);
            Answer answer = answers.get(i);
            if (answer.failure() == null) {
                answer.uniqueId().ifPresent(uniqueId -> fresh.put(uniqueId, arn));
            } else {
                RuntimeException e = answer.failure();
                // One account's IAM failing must not make every other sender unknown: keep what was known.
                failed.add(arn + " (" + e.getMessage() + ")");
                arnByUniqueId.forEach((uniqueId, known) -> {
                    if (known.equals(arn)) {
                        fresh.put(uniqueId, known);
                    }
                });
            }
        }
        arnByUniqueId = Map.copyOf(fresh);
        unanswered = List.copyOf(failed);
        refreshedAt = now;
        return true;
    }

    /** IAM's answer about one configured ARN: its id (or empty), or why IAM could not be asked. */
    private record Answer(Optional<String> uniqueId, RuntimeException failure) {
    }

    /**
     * Asks IAM about every configured ARN; answers in configuration order. The first alone, on this thread: in a fresh
     * JVM it loads and links the IAM client's request path once (threads taking that path together each spin their
     * own copies of its lambda classes: about 150 more classes in the benchmark's cold start); then the rest
     * {@link #PARALLEL_LOOKUPS} at a time.
     */
    private List<Answer> askAll() {
        if (configured.isEmpty()) {
            return List.of();
        }
        List<Answer> answers = new ArrayList<>(List.of(ask(configured.get(0))));
        List<String> rest = configured.subList(1, configured.size());
        if (rest.size() <= 1) {
            rest.forEach(arn -> answers.add(ask(arn)));
            return answers;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_LOOKUPS, rest.size()), task -> {
            Thread thread = new Thread(task, "sender-ids");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Answer>> pending = rest.stream().map(arn -> pool.submit(() -> ask(arn))).toList();
            for (Future<Answer> answer : pending) {
                answers.add(answer.get());
            }
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking IAM for the senders' ids", e);
        } catch (ExecutionException e) {
            // ask() catches every RuntimeException: only an Error gets here.
            throw new IllegalStateException("asking IAM for the senders' ids failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Answer ask(String arn) {
        try {
            return new Answer(ids.uniqueIdOf(arn), null);
        } catch (RuntimeException e) {
            return new Answer(Optional.empty(), e);
        }
    }

    private static boolean isRoleArn(String arn) {
        return arn.contains(":role/");
    }
}
