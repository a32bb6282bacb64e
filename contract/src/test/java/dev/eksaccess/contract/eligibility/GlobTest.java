package dev.eksaccess.contract.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

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
}
