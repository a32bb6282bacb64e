package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.eksaccess.authz.Sender;
import dev.eksaccess.authz.Senders;
import dev.eksaccess.testing.MutableClock;
import dev.eksaccess.testsupport.IamEmulator;
import dev.eksaccess.testsupport.IamEmulator.Call;
import dev.eksaccess.testsupport.IamEmulator.Failure;
import dev.eksaccess.testsupport.SdkClients;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;

/**
 * {@link IamPrincipalIds} with the real SDK {@code IamClient} over HTTP against the {@link IamEmulator}: which answers
 * are the configured principal's id, which are "no such principal", and which are failures; and {@link Senders}
 * resolving SQS sender ids through it.
 */
class IamPrincipalIdsIT {

    private static final String HOME = "111122223333";
    private static final String MEMBER = "444455556666";
    private static final String CI_ROLE = "arn:aws:iam::111122223333:role/teams/payments/ci";
    private static final String ALICE = "arn:aws:iam::111122223333:user/people/alice";

    private final IamEmulator emulator = IamEmulator.start();
    /** One client per account, with the SDK's default retries, as the functions build theirs. */
    private final Map<String, IamClient> clients = new ConcurrentHashMap<>();
    private final IamPrincipalIds ids = new IamPrincipalIds(this::iamOf);

    @AfterEach
    void stop() {
        clients.values().forEach(IamClient::close);
        emulator.close();
    }

    private IamClient iamOf(String accountId) {
        return clients.computeIfAbsent(accountId, account -> SdkClients.iamBuilder(emulator, account).build());
    }

    @Test
    void aRoleWithAPath_isItsRoleId() {
        String id = emulator.createRole(CI_ROLE);

        assertThat(ids.uniqueIdOf(CI_ROLE)).contains(id);
        assertThat(emulator.calls()).extracting(Call::action, Call::name)
                .containsExactly(tuple("GetRole", Optional.of("ci")));
    }

    @Test
    void aUser_isItsUserId() {
        String id = emulator.createUser(ALICE);

        assertThat(ids.uniqueIdOf(ALICE)).contains(id);
        assertThat(emulator.callCount("GetUser")).isEqualTo(1);
    }

    @Test
    void aMissingPrincipal_isEmpty() {
        assertThat(ids.uniqueIdOf(CI_ROLE)).isEmpty();
        assertThat(ids.uniqueIdOf(ALICE)).isEmpty();
    }

    @Test
    void aRoleOfTheSameNameUnderAnotherPath_isNotTheConfiguredPrincipal() {
        emulator.createRole("arn:aws:iam::111122223333:role/sandbox/ci");

        assertThat(ids.uniqueIdOf(CI_ROLE)).isEmpty();
        assertThat(ids.uniqueIdOf("arn:aws:iam::111122223333:role/ci")).as("nor without path").isEmpty();
    }

    @Test
    void aNameThatDiffersInCase_isNotTheConfiguredPrincipal() {
        emulator.createRole("arn:aws:iam::111122223333:role/teams/payments/CI");

        assertThat(ids.uniqueIdOf(CI_ROLE)).isEmpty();
    }

    @Test
    void aUserIsNotARole_ofTheSameName() {
        emulator.createUser("arn:aws:iam::111122223333:user/teams/payments/ci");

        assertThat(ids.uniqueIdOf(CI_ROLE)).isEmpty();
    }

    @Test
    void aRoleCreatedAgain_hasItsNewId() {
        String first = emulator.createRole(CI_ROLE);
        emulator.deleteRole(CI_ROLE);
        String second = emulator.createRole(CI_ROLE);

        assertThat(second).isNotEqualTo(first);
        assertThat(ids.uniqueIdOf(CI_ROLE)).contains(second);
    }

    @Test
    void throttlingBeyondTheSdksRetries_isAnError_notAMissingPrincipal() {
        emulator.createRole(CI_ROLE);
        emulator.failAllCalls(Failure.THROTTLING);

        assertThatThrownBy(() -> ids.uniqueIdOf(CI_ROLE))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.isThrottlingException()).isTrue());
        assertThat(emulator.callCount("GetRole")).as("the SDK retried before giving up").isGreaterThan(1);
    }

    @Test
    void accessDenied_isAnError_notAMissingPrincipal() {
        emulator.createUser(ALICE);
        emulator.failAllCalls(Failure.ACCESS_DENIED);

        assertThatThrownBy(() -> ids.uniqueIdOf(ALICE))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    @Test
    void notAUserOrRoleArn_isRefused() {
        assertThatThrownBy(() -> ids.uniqueIdOf("arn:aws:sts::111122223333:assumed-role/ci/session"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IAM user or role ARN");
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void principalsOfAMemberAccount_areAskedThroughItsCrossAccountRole_oneClientPerAccount() {
        String homeId = emulator.createRole(CI_ROLE);
        String memberRole = "arn:aws:iam::444455556666:role/teams/payments/ci";
        String memberId = emulator.createRole(memberRole);
        String memberUser = "arn:aws:iam::444455556666:user/bob";
        String bobId = emulator.createUser(memberUser);
        List<String> assumed = new ArrayList<>();
        IamPrincipalIds crossAccount = IamPrincipalIds.from(HOME, Optional.of("platform/eks-access"), "aws",
                () -> iamOf(HOME), roleArn -> {
                    assumed.add(roleArn);
                    return iamOf(roleArn.split(":")[4]);
                });

        assertThat(crossAccount.uniqueIdOf(memberRole)).contains(memberId);
        assertThat(crossAccount.uniqueIdOf(memberUser)).contains(bobId);
        assertThat(crossAccount.uniqueIdOf(CI_ROLE)).contains(homeId);

        assertThat(assumed).containsExactly("arn:aws:iam::444455556666:role/platform/eks-access");
        assertThat(emulator.calls()).extracting(Call::accountId)
                .containsExactly(Optional.of(MEMBER), Optional.of(MEMBER), Optional.of(HOME));
    }

    @Test
    void clientOf_buildsTheHomeClientForPriming_withoutAskingIam_andLookupsUseIt() {
        String id = emulator.createRole(CI_ROLE);
        List<String> built = new ArrayList<>();
        IamPrincipalIds primed = IamPrincipalIds.from(HOME, Optional.empty(), "aws", () -> {
            built.add(HOME);
            return iamOf(HOME);
        }, roleArn -> {
            throw new AssertionError("no role to assume");
        });

        IamClient home = primed.clientOf(HOME);
        assertThat(emulator.calls()).as("building the client asks IAM nothing").isEmpty();

        assertThat(primed.uniqueIdOf(CI_ROLE)).contains(id);
        assertThat(primed.clientOf(HOME)).isSameAs(home);
        assertThat(built).as("one home client, built by the priming").containsExactly(HOME);
    }

    @Test
    void senders_askIamAboutManyArnsAtOnce_throughOneRealClient() {
        Map<String, String> idByArn = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 3 * Senders.PARALLEL_LOOKUPS; i++) {
            String arn = "arn:aws:iam::111122223333:role/teams/team-" + i;
            idByArn.put(arn, emulator.createRole(arn));
        }
        Senders senders = new Senders(List.copyOf(idByArn.keySet()), ids, new MutableClock(Instant.now()));

        idByArn.forEach((arn, id) -> assertThat(senders.resolve(id + ":ci")).map(Sender::arn).contains(arn));
        assertThat(emulator.calls()).as("one GetRole per configured role, in one refresh").hasSize(idByArn.size());
    }

    @Test
    void principalsOfAMemberAccount_withoutACrossAccountRole_cannotBeAsked() {
        IamPrincipalIds homeOnly = IamPrincipalIds.from(HOME, Optional.empty(), "aws", () -> iamOf(HOME),
                roleArn -> {
                    throw new AssertionError("no role to assume");
                });

        assertThatThrownBy(() -> homeOnly.uniqueIdOf("arn:aws:iam::444455556666:role/ci"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CROSS_ACCOUNT_ROLE_NAME is not set");
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void senders_resolveRoleSessionsAndUsers_toTheConfiguredArns() {
        String roleId = emulator.createRole(CI_ROLE);
        String userId = emulator.createUser(ALICE);
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Senders senders = new Senders(List.of(CI_ROLE, ALICE), ids, clock);

        assertThat(senders.resolve(roleId + ":build-4711"))
                .contains(new Sender(CI_ROLE, Optional.of("build-4711"), roleId + ":build-4711"));
        assertThat(senders.resolve(userId)).contains(new Sender(ALICE, Optional.empty(), userId));
        assertThat(senders.resolve("AROAUNKNOWNROLE000001:someone")).isEmpty();

        emulator.deleteRole(CI_ROLE);
        String recreated = emulator.createRole(CI_ROLE);
        clock.advance(Senders.REFRESH_INTERVAL);

        assertThat(senders.resolve(recreated + ":build-4712")).map(Sender::arn).contains(CI_ROLE);
        assertThat(senders.resolve(roleId + ":build-4711")).as("a session of the deleted role").isEmpty();
    }
}
