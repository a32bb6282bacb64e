package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest
    @CsvSource({
            "payments-*, payments-prod, true",
            "payments-*, payments-, true",
            "payments-*, payment, false",
            "*, anything/at:all, true",
            "arn:aws:iam::1:role/teams/*, arn:aws:iam::1:role/teams/x/y, true",
            "a.c, abc, false",
            "a*c*e, abcde, true",
            "a*c*e, abcd, false"})
    void matches_treatsStarAsAnyRun_andEverythingElseLiterally(String pattern, String text, boolean matches) {
        assertThat(Glob.matches(pattern, text)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({
            "payments-*, payments-prod, true",
            "payments-*, payments-*, true",
            "payments-*, payments-team-*, true",
            "payments-*, pay*, false",
            "payments-*, *, false",
            "payments-*, *-payments, false",
            "payments, payments*, false",
            "a*b, a*b, true",
            "a*b, ax*b, false",
            "*, kube-*, true"})
    void covers_onlyWhenEveryNameTheRequestCanMatchIsAllowed(String allowed, String requested, boolean covers) {
        assertThat(Glob.covers(allowed, requested)).isEqualTo(covers);
    }

    /**
     * Found by GlobPropertyTest: as a regular expression, a pattern of many stars took time to the power of their
     * number against a long text that almost matches (4 stars and 400 characters: 9 s; a sender chooses the
     * principal ARN, up to 1,024 characters, and the username).
     */
    @Test
    void manyStarsAgainstALongTextThatAlmostMatches_takeLittleTime() {
        String pattern = "arn:aws:iam::111122223333:role/*-*-*-*-*-*-*-x";
        String text = "arn:aws:iam::111122223333:role/" + "-".repeat(990);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(Glob.matches(pattern, text)).isFalse();
            assertThat(Glob.matches(pattern, text + "x")).isTrue();
        });
    }
}
