package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.contract.eligibility.EligibilityRule;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriftModeTest {

    private static final String PAYMENTS = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    private static final String ORDERS = "arn:aws:eks:eu-west-1:111122223333:cluster/orders-prod";

    private static Optional<EligibilityRule> rule(String drift) {
        String field = drift == null ? "" : ",\"drift\":\"" + drift + "\"";
        return Optional.of(EligibilityDocument.parse("{\"version\":1,\"rules\":[{\"id\":\"r\",\"senders\":"
                + "[\"arn:aws:iam::111122223333:role/ci\"],\"clusters\":{\"names\":[\"*\"]},\"principals\":"
                + "{\"self\":true},\"policies\":[\"AmazonEKSViewPolicy\"],\"scopes\":{\"cluster\":true}" + field
                + "}]}").rules().get(0));
    }

    @Test
    void withoutRuleOrClusterSetting_everyGrantAlerts() {
        assertThat(DriftMode.of(Optional.empty(), List.of(), PAYMENTS)).isEqualTo(DriftMode.ALERT);
        assertThat(DriftMode.of(rule(null), List.of(), PAYMENTS)).isEqualTo(DriftMode.ALERT);
    }

    @Test
    void theClusterSetting_decidesForRulesThatSayNothing_byNameOrByArn() {
        assertThat(DriftMode.of(rule(null), List.of("payments-*"), PAYMENTS)).isEqualTo(DriftMode.RESTORE);
        assertThat(DriftMode.of(rule(null), List.of("payments-*"), ORDERS)).isEqualTo(DriftMode.ALERT);
        assertThat(DriftMode.of(Optional.empty(), List.of("arn:aws:eks:eu-west-1:111122223333:cluster/*"), ORDERS))
                .isEqualTo(DriftMode.RESTORE);
        assertThat(DriftMode.of(Optional.empty(), List.of("arn:aws:eks:us-east-1:*"), ORDERS))
                .isEqualTo(DriftMode.ALERT);
        // A name pattern is matched against the name only: "*prod" must not reach through the ARN's other parts.
        assertThat(DriftMode.of(Optional.empty(), List.of("111122223333*"), ORDERS)).isEqualTo(DriftMode.ALERT);
    }

    @Test
    void aRuleThatSaysAMode_winsOverTheClusterSetting_bothWays() {
        assertThat(DriftMode.of(rule("alert"), List.of("payments-*"), PAYMENTS)).isEqualTo(DriftMode.ALERT);
        assertThat(DriftMode.of(rule("restore"), List.of(), ORDERS)).isEqualTo(DriftMode.RESTORE);
    }
}
