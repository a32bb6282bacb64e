package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SessionIdentityTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/teams/payments-deployer";

    /** IAM's StringLike: {@code *} any run of characters, {@code ?} one character. */
    private static boolean matchesTrust(String value) {
        return SessionIdentity.TRUST_PATTERNS.stream().anyMatch(glob -> Pattern.compile(Pattern.quote(glob)
                .replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q")).matcher(value).matches());
    }

    @Test
    void aSender_isItsNameAndTheHashOfItsArn_whichAnAuditorCanRecompute() {
        String identity = SessionIdentity.ofPrincipal(ROLE);

        // sha256("arn:aws:iam::111122223333:role/teams/payments-deployer"), first 8 hex digits (printf … | sha256sum)
        assertThat(identity).isEqualTo("payments-deployer." + SessionIdentity.hash(ROLE))
                .matches(SessionIdentity.STS_VALUE).satisfies(value -> assertThat(matchesTrust(value)).isTrue());
        assertThat(SessionIdentity.hash(ROLE)).isEqualTo("fc9d16f0");
        assertThat(SessionIdentity.ofPrincipal(ROLE)).as("deterministic").isEqualTo(identity);
    }

    @Test
    void twoSendersOfTheSameName_inOtherAccountsOrPaths_orAUser_haveOtherIdentities() {
        List<String> identities = List.of(ROLE, "arn:aws:iam::444455556666:role/teams/payments-deployer",
                        "arn:aws:iam::111122223333:role/payments-deployer",
                        "arn:aws:iam::111122223333:user/payments-deployer").stream()
                .map(SessionIdentity::ofPrincipal).toList();

        assertThat(identities).doesNotHaveDuplicates().allSatisfy(identity ->
                assertThat(identity).startsWith("payments-deployer."));
    }

    @Test
    void aLongName_isCutSoTheIdentityFitsStsLimit() {
        String arn = "arn:aws:iam::111122223333:role/" + "r".repeat(64);

        assertThat(SessionIdentity.ofPrincipal(arn)).hasSize(64).matches(SessionIdentity.STS_VALUE)
                .isEqualTo("r".repeat(55) + "." + SessionIdentity.hash(arn));
    }

    @Test
    void functions_areNamedAsSuch_andMatchTheTrust() {
        assertThat(SessionIdentity.ofFunction("expiry-sweep")).isEqualTo("eks-access.expiry-sweep")
                .matches(SessionIdentity.STS_VALUE).satisfies(value -> assertThat(matchesTrust(value)).isTrue());
        assertThatThrownBy(() -> SessionIdentity.ofFunction("Expiry Sweep")).isInstanceOf(
                IllegalArgumentException.class);
        assertThat(matchesTrust("anything")).as("a value of neither form").isFalse();
    }

    @Test
    void requestIds_thatStsAccepts_areTheSessionName_othersAreMadeValidWithTheirHash() {
        assertThat(SessionIdentity.sessionName("req-2026-11-28.1")).isEqualTo("req-2026-11-28.1");
        String bootstrap = "bootstrap:6b1f0c1e-2b7e-4a7e-9d3c-1f2e3d4c5b6a";
        assertThat(SessionIdentity.sessionName(bootstrap)).isEqualTo("bootstrap_6b1f0c1e-2b7e-4a7e-9d3c-1f2e3d4c5b6a."
                + SessionIdentity.hash(bootstrap)).matches(SessionIdentity.STS_VALUE);
        // one character: too short for STS as it is
        assertThat(SessionIdentity.sessionName("x")).isEqualTo("x." + SessionIdentity.hash("x"));
        String longId = "a/".repeat(64);
        assertThat(SessionIdentity.sessionName(longId)).hasSize(64).matches(SessionIdentity.STS_VALUE);
        // two ids that read alike once made valid are still told apart
        assertThat(SessionIdentity.sessionName("a:b")).isNotEqualTo(SessionIdentity.sessionName("a/b"));
    }
}
