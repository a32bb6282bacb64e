package dev.eksaccess.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.Setting;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    @Test
    void required_namesTheMissingVariableAndWhatItExpects() {
        assertThatThrownBy(() -> new Environment(Map.of()).required(Setting.REGISTRY_TABLE))
                .isInstanceOf(ConfigException.class)
                .hasMessage("REGISTRY_TABLE is not set; expected name of the DynamoDB cluster registry table");
    }

    @Test
    void flag_acceptsTrueFalseAnyCaseAndRefusesOtherWords() {
        assertThat(new Environment(Map.of("CREATOR_ADMIN", "TRUE")).flag(Setting.CREATOR_ADMIN, false)).isTrue();
        assertThat(new Environment(Map.of()).flag(Setting.CREATOR_ADMIN, false)).isFalse();
        assertThatThrownBy(() -> new Environment(Map.of("CREATOR_ADMIN", "yes")).flag(Setting.CREATOR_ADMIN, false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CREATOR_ADMIN has an invalid value 'yes'");
    }

    @Test
    void duration_parsesIsoAndRefusesZeroNegativeAndJunk() {
        assertThat(new Environment(Map.of("MAX_GRANT_DURATION", "PT12H")).duration(Setting.MAX_GRANT_DURATION, Duration.ofDays(7)))
                .isEqualTo(Duration.ofHours(12));
        for (String bad : new String[] {"PT0S", "-PT1H", "12h"}) {
            assertThatThrownBy(() -> new Environment(Map.of("MAX_GRANT_DURATION", bad)).duration(Setting.MAX_GRANT_DURATION, Duration.ZERO))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("MAX_GRANT_DURATION");
        }
    }

    @Test
    void queueUrl_givesTheUrlAndTheAccountOfItsPath() {
        SqsQueueUrl queue = new Environment(Map.of("GRANT_QUEUE_URL",
                " http://localhost:9324/000000000000/grants.fifo ")).queueUrl(Setting.GRANT_QUEUE_URL);

        assertThat(queue).isEqualTo(new SqsQueueUrl("http://localhost:9324/000000000000/grants.fifo", "000000000000"));
    }

    @Test
    void queueUrl_refusesANameAnotherSchemeOrAPathWithoutTheAccount_namingTheVariable() {
        assertThatThrownBy(() -> queueUrl("eks-access-grants")).isInstanceOf(ConfigException.class).hasMessage(
                "GRANT_QUEUE_URL has an invalid value 'eks-access-grants': not an http(s) queue URL such as "
                        + SqsQueueUrl.EXAMPLE + "; expected URL of the SQS grant queue");
        assertThatThrownBy(() -> queueUrl("ftp://sqs.eu-west-1.amazonaws.com/111122223333/grants"))
                .hasMessageStartingWith("GRANT_QUEUE_URL has an invalid value 'ftp://").hasMessageContaining("http(s)");
        assertThatThrownBy(() -> queueUrl("https://sqs.eu-west-1.amazonaws.com/grants")).hasMessage(
                "GRANT_QUEUE_URL has an invalid value 'https://sqs.eu-west-1.amazonaws.com/grants': the path must be"
                        + " /ACCOUNT/QUEUE with a 12-digit account (where clusters given by name live), as in "
                        + SqsQueueUrl.EXAMPLE + "; expected URL of the SQS grant queue");
        assertThatThrownBy(() -> queueUrl("/111122223333/grants")).hasMessageContaining("not an http(s) queue URL");
    }

    @Test
    void roleName_acceptsAPathAndName_andIsEmptyWhenUnset() {
        assertThat(new Environment(Map.of("CROSS_ACCOUNT_ROLE_NAME", "platform/eks-access"))
                .roleName(Setting.CROSS_ACCOUNT_ROLE_NAME)).contains("platform/eks-access");
        assertThat(new Environment(Map.of()).roleName(Setting.CROSS_ACCOUNT_ROLE_NAME)).isEmpty();
    }

    @Test
    void roleName_refusesAnArnNamingTheVariableAndExplainingWhy() {
        assertThatThrownBy(() -> new Environment(Map.of("CROSS_ACCOUNT_ROLE_NAME", "arn:aws:iam::1:role/x"))
                .roleName(Setting.CROSS_ACCOUNT_ROLE_NAME))
                .isInstanceOf(ConfigException.class)
                .hasMessage("CROSS_ACCOUNT_ROLE_NAME has an invalid value 'arn:aws:iam::1:role/x': it is an ARN; give the"
                        + " role's name, not the ARN (with its path, if any: path/name); expected an IAM role name"
                        + " (optionally with path) present in every member account");
    }

    private static SqsQueueUrl queueUrl(String value) {
        return new Environment(Map.of("GRANT_QUEUE_URL", value)).queueUrl(Setting.GRANT_QUEUE_URL);
    }
}
