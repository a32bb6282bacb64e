package dev.eksaccess.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.testsupport.IamEmulator.Call;
import dev.eksaccess.testsupport.IamEmulator.Failure;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetRoleResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.User;

/**
 * The IAM emulator's wire format, pinned with the real SDK {@code IamClient} over HTTP: every field of GetRole and
 * GetUser that the SDK parses, and each error as the SDK exception IAM's answer becomes. The shapes follow the IAM API
 * reference (the GetRole / GetUser samples, namespace {@value IamEmulator#NAMESPACE}) and errors as IAM sends them
 * (404 {@code NoSuchEntity} "The role with name X cannot be found.", 400 {@code Throttling} "Rate exceeded",
 * 403 {@code AccessDenied}).
 */
class IamEmulatorIT {

    private static final String ACCOUNT = "111122223333";
    private static final String OTHER_ACCOUNT = "444455556666";
    private static final String CI_ROLE = "arn:aws:iam::111122223333:role/teams/payments/ci";
    private static final String ALICE = "arn:aws:iam::111122223333:user/people/alice";

    private final IamEmulator emulator = IamEmulator.start();
    /** Without retries, so that each answer surfaces as it was sent. */
    private final IamClient iam = SdkClients.iamBuilder(emulator, ACCOUNT)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();

    @AfterEach
    void stop() {
        iam.close();
        emulator.close();
    }

    @Test
    void getRole_answersEveryFieldTheSdkParses() {
        Instant before = Instant.now().minusSeconds(1);
        String id = emulator.createRole(CI_ROLE);

        GetRoleResponse response = iam.getRole(r -> r.roleName("ci"));

        Role role = response.role();
        assertThat(id).matches("AROA[A-Z0-9]{17}");
        assertThat(role.roleId()).isEqualTo(id);
        assertThat(role.arn()).isEqualTo(CI_ROLE);
        assertThat(role.roleName()).isEqualTo("ci");
        assertThat(role.path()).isEqualTo("/teams/payments/");
        assertThat(role.createDate()).isBetween(before, Instant.now());
        assertThat(role.maxSessionDuration()).isEqualTo(3600);
        assertThat(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
                .startsWith("{\"Version\":\"2012-10-17\"").contains("sts:AssumeRole");
        assertThat(response.responseMetadata().requestId()).matches("[0-9a-f-]{36}");
    }

    @Test
    void getUser_answersEveryFieldTheSdkParses() {
        Instant before = Instant.now().minusSeconds(1);
        String id = emulator.createUser(ALICE);

        User user = iam.getUser(r -> r.userName("alice")).user();

        assertThat(id).matches("AIDA[A-Z0-9]{17}");
        assertThat(user.userId()).isEqualTo(id);
        assertThat(user.arn()).isEqualTo(ALICE);
        assertThat(user.userName()).isEqualTo("alice");
        assertThat(user.path()).isEqualTo("/people/");
        assertThat(user.createDate()).isBetween(before, Instant.now());
    }

    @Test
    void aPrincipalWithoutPath_hasThePathSlash() {
        emulator.createRole("arn:aws:iam::111122223333:role/deployer");

        assertThat(iam.getRole(r -> r.roleName("deployer")).role().path()).isEqualTo("/");
    }

    @Test
    void namesWithEveryCharacterIamAllows_travelIntact() {
        String arn = "arn:aws:iam::111122223333:role/a+b=c,d.e@f-g_h";
        String id = emulator.createRole(arn);

        Role role = iam.getRole(r -> r.roleName("a+b=c,d.e@f-g_h")).role();

        assertThat(role.roleId()).isEqualTo(id);
        assertThat(role.arn()).isEqualTo(arn);
        assertThat(emulator.calls()).extracting(Call::name).containsExactly(Optional.of("a+b=c,d.e@f-g_h"));
    }

    @Test
    void aMissingRoleOrUser_isNoSuchEntity_404() {
        assertThatThrownBy(() -> iam.getRole(r -> r.roleName("ghost")))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The role with name ghost cannot be found.");
                    assertThat(e.requestId()).matches("[0-9a-f-]{36}");
                });
        assertThatThrownBy(() -> iam.getUser(r -> r.userName("ghost")))
                .isInstanceOfSatisfying(NoSuchEntityException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("The user with name ghost cannot be found."));
    }

    @Test
    void aRoleDeletedAndCreatedAgain_hasANewId() {
        String first = emulator.createRole(CI_ROLE);
        emulator.deleteRole(CI_ROLE);

        assertThatThrownBy(() -> iam.getRole(r -> r.roleName("ci"))).isInstanceOf(NoSuchEntityException.class);

        String second = emulator.createRole(CI_ROLE);
        assertThat(second).isNotEqualTo(first).matches("AROA[A-Z0-9]{17}");
        assertThat(iam.getRole(r -> r.roleName("ci")).role().roleId()).isEqualTo(second);
    }

    @Test
    void aRoleAndAUserMayShareAName_butTwoRolesMayNot_whateverTheirCaseOrPath() {
        emulator.createRole(CI_ROLE);
        emulator.createUser("arn:aws:iam::111122223333:user/ci");

        assertThatThrownBy(() -> emulator.createRole("arn:aws:iam::111122223333:role/other/CI"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("EntityAlreadyExists");
        assertThat(iam.getRole(r -> r.roleName("CI")).role().arn()).as("the stored role answers").isEqualTo(CI_ROLE);
    }

    @Test
    void eachAccountSeesOnlyItsOwnPrincipals() {
        emulator.createRole(CI_ROLE);
        String otherId = emulator.createRole("arn:aws:iam::444455556666:role/ci");

        try (IamClient other = SdkClients.iamBuilder(emulator, OTHER_ACCOUNT).build()) {
            assertThat(other.getRole(r -> r.roleName("ci")).role().roleId()).isEqualTo(otherId);
        }
        assertThat(iam.getRole(r -> r.roleName("ci")).role().arn()).isEqualTo(CI_ROLE);
        assertThat(emulator.calls()).extracting(Call::accountId)
                .containsExactly(Optional.of(OTHER_ACCOUNT), Optional.of(ACCOUNT));
    }

    @Test
    void anAccessKeyTheEmulatorDidNotHandOut_isInvalidClientTokenId_403() {
        try (IamClient stranger = SdkClients.iamBuilder(emulator, ACCOUNT)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASTRANGER", "x")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            assertThatThrownBy(() -> stranger.getRole(r -> r.roleName("ci")))
                    .isInstanceOfSatisfying(IamException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
                    });
        }
    }

    @Test
    void throttling_isAThrottlingError_400() {
        emulator.createRole(CI_ROLE);
        emulator.failNextCalls(Failure.THROTTLING, 1);

        assertThatThrownBy(() -> iam.getRole(r -> r.roleName("ci")))
                .isInstanceOfSatisfying(IamException.class, e -> {
                    assertThat(e).isNotInstanceOf(NoSuchEntityException.class);
                    assertThat(e.isThrottlingException()).isTrue();
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                });
        assertThat(iam.getRole(r -> r.roleName("ci")).role().arn()).as("one call only").isEqualTo(CI_ROLE);
    }

    @Test
    void throttlingOnce_isRetriedToSuccessByTheDefaultClient() {
        String id = emulator.createRole(CI_ROLE);
        emulator.failNextCalls(Failure.THROTTLING, 1);

        try (IamClient withRetries = SdkClients.iamBuilder(emulator, ACCOUNT).build()) {
            assertThat(withRetries.getRole(r -> r.roleName("ci")).role().roleId()).isEqualTo(id);
        }
        assertThat(emulator.calls()).extracting(Call::status).containsExactly(400, 200);
    }

    @Test
    void accessDenied_isA403_untilCleared() {
        emulator.createUser(ALICE);
        emulator.failAllCalls(Failure.ACCESS_DENIED);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> iam.getUser(r -> r.userName("alice")))
                    .isInstanceOfSatisfying(IamException.class, e -> {
                        assertThat(e).isNotInstanceOf(NoSuchEntityException.class);
                        assertThat(e.isThrottlingException()).isFalse();
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .contains("is not authorized to perform: iam:GetUser on resource: user alice");
                    });
        }
        emulator.clearFailures();

        assertThat(iam.getUser(r -> r.userName("alice")).user().arn()).isEqualTo(ALICE);
        assertThat(emulator.callCount("GetUser")).isEqualTo(3);
    }

    @Test
    void theAnswers_areXmlInIamsNamespace_namedAfterTheAction() throws Exception {
        emulator.createRole(CI_ROLE);
        var http = HttpClient.newHttpClient();
        String key = emulator.credentials(ACCOUNT).resolveCredentials().accessKeyId();

        HttpResponse<String> found = http.send(post(key, "Action=GetRole&Version=2010-05-08&RoleName=ci"),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> missing = http.send(post(key, "Action=GetRole&Version=2010-05-08&RoleName=nobody"),
                HttpResponse.BodyHandlers.ofString());

        assertThat(found.headers().firstValue("Content-Type")).contains("text/xml");
        assertThat(found.body()).startsWith("<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<GetRoleResult><Role><Path>/teams/payments/</Path>").endsWith("</GetRoleResponse>");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).startsWith("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<Error><Type>Sender</Type><Code>NoSuchEntity</Code>");
        assertThat(missing.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    private HttpRequest post(String accessKey, String form) {
        return HttpRequest.newBuilder(emulator.endpoint().resolve("/")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey
                        + "/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }
}
