package dev.eksaccess.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SendersTest {

    static final String CI_ROLE = "arn:aws:iam::111122223333:role/teams/payments-ci";
    static final String CI_ROLE_ID = "AROAEXAMPLEPAYMENTSCI1";
    static final String USER = "arn:aws:iam::111122223333:user/alice";
    static final String USER_ID = "AIDAEXAMPLEALICE00001";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Map<String, String> iam = new HashMap<>(Map.of(CI_ROLE, CI_ROLE_ID, USER, USER_ID));
    /** Synchronized: a refresh asks about several ARNs at once. */
    private final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Senders senders = new Senders(List.of(CI_ROLE, USER), arn -> {
        asked.add(arn);
        return Optional.ofNullable(iam.get(arn));
    }, clock);

    @Test
    void aRefresh_asksIamAboutTheFirstArnAlone_thenManyAtOnce_butNeverMoreThanTheBound() throws Exception {
        int count = 1 + 3 * Senders.PARALLEL_LOOKUPS; // the first alone, then three full sets
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            arns.add("arn:aws:iam::111122223333:role/team-" + i);
        }
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        // Every lookup waits until a full set of PARALLEL_LOOKUPS is in flight: one at a time would never get there.
        java.util.concurrent.CyclicBarrier fullSet = new java.util.concurrent.CyclicBarrier(Senders.PARALLEL_LOOKUPS);
        Senders many = new Senders(arns, arn -> {
            if (arn.equals(arns.get(0))) {
                // The first is asked alone, before the others: it loads the IAM client's request path once.
                assertThat(inFlight.get()).isZero();
                return Optional.of("AROAEXAMPLETEAM0");
            }
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                fullSet.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("lookups were not made " + Senders.PARALLEL_LOOKUPS + " at a time", e);
            } finally {
                inFlight.decrementAndGet();
            }
            return Optional.of("AROAEXAMPLETEAM" + arn.substring(arn.lastIndexOf('-') + 1));
        }, clock);

        assertThat(many.resolve("AROAEXAMPLETEAM17:ci")).map(Sender::arn)
                .contains("arn:aws:iam::111122223333:role/team-17");
        assertThat(many.resolve("AROAEXAMPLETEAM0:ci")).as("every answer is kept, in the refresh that asked")
                .map(Sender::arn).contains("arn:aws:iam::111122223333:role/team-0");
        assertThat(most.get()).isEqualTo(Senders.PARALLEL_LOOKUPS);
    }

    @Test
    void aRoleSession_resolvesToTheRoleArn_withItsSession() {
        assertThat(senders.resolve(CI_ROLE_ID + ":build-4711"))
                .contains(new Sender(CI_ROLE, Optional.of("build-4711"), CI_ROLE_ID + ":build-4711"));
    }

    @Test
    void aUser_resolvesToTheUserArn() {
        assertThat(senders.resolve(USER_ID)).contains(new Sender(USER, Optional.empty(), USER_ID));
    }

    @Test
    void idsAreLearnedOnce_andAnUnknownIdAsksIamAgainAtMostOncePerInterval() {
        senders.resolve(CI_ROLE_ID + ":ci-run");
        senders.resolve(USER_ID);
        assertThat(asked).hasSize(2);

        assertThat(senders.resolve("AROAUNKNOWNROLE000001:someone")).isEmpty();
        assertThat(senders.resolve("AROAUNKNOWNROLE000001:someone")).isEmpty();
        assertThat(asked).as("one refresh for the first unknown id, none for the second within a minute").hasSize(2);

        clock.advance(Senders.REFRESH_INTERVAL);
        assertThat(senders.resolve("AROAUNKNOWNROLE000001:someone")).isEmpty();
        assertThat(asked).hasSize(4);
    }

    @Test
    void aRoleCreatedAgain_isRecognisedByItsNewId_andTheOldIdIsForgotten() {
        senders.resolve(CI_ROLE_ID + ":ci-run");
        iam.put(CI_ROLE, "AROAEXAMPLEPAYMENTSCI2");
        clock.advance(Duration.ofMinutes(5));

        assertThat(senders.resolve("AROAEXAMPLEPAYMENTSCI2:ci-run")).map(Sender::arn).contains(CI_ROLE);
        assertThat(senders.resolve(CI_ROLE_ID + ":ci-run")).isEmpty();
    }

    @Test
    void malformedIds_theRootAccount_andAUserIdWithASession_areUnknown() {
        assertThat(senders.resolve(null)).isEmpty();
        assertThat(senders.resolve("111122223333")).isEmpty();
        assertThat(senders.resolve(USER_ID + ":session")).isEmpty();
        assertThat(senders.resolve(CI_ROLE_ID)).as("a role id without session").isEmpty();
        assertThat(senders.resolve(CI_ROLE_ID + ":x")).as("STS session names have at least two characters").isEmpty();
        assertThat(senders.resolve("arn:aws:iam::111122223333:role/teams/payments-ci")).isEmpty();
    }

    @Test
    void anIamOutage_isAnError_notAnUnknownSender() {
        Senders failing = new Senders(List.of(CI_ROLE), arn -> {
            throw new IllegalStateException("IAM: throttled");
        }, clock);

        assertThatThrownBy(() -> failing.resolve(CI_ROLE_ID + ":ci-run")).hasMessageContaining("IAM: throttled");
    }

    @Test
    void aThreadThatWaitedForAnothersRefresh_readsTheRefreshedIds() throws Exception {
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Senders slow = new Senders(List.of(CI_ROLE), arn -> {
            asking.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(CI_ROLE_ID);
        }, clock);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<Sender>> first = pool.submit(() -> slow.resolve(CI_ROLE_ID + ":run-a"));
            assertThat(asking.await(10, TimeUnit.SECONDS)).as("the first thread asked IAM").isTrue();
            Future<Optional<Sender>> second = pool.submit(() -> slow.resolve(CI_ROLE_ID + ":run-b"));
            Thread.sleep(100);
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isPresent();
            assertThat(second.get(10, TimeUnit.SECONDS)).as("resolved after waiting for the first thread's refresh")
                    .isPresent();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenIamFailsForOneArn_aSenderItCannotPlaceIsRetried_andOthersStillResolve() {
        Senders partly = new Senders(List.of(CI_ROLE, USER), arn -> {
            if (arn.equals(USER)) {
                throw new IllegalStateException("AccessDenied");
            }
            return Optional.of(CI_ROLE_ID);
        }, clock);

        assertThat(partly.resolve(CI_ROLE_ID + ":run-a")).isPresent();
        clock.advance(Senders.REFRESH_INTERVAL);
        assertThatThrownBy(() -> partly.resolve(USER_ID)).hasMessageContaining("IAM could not be asked about "
                + USER);
    }
}
