package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqsBootstrapQueueTest {

    @Test
    void groupId_isTheClusterArn_whenItFits() {
        String arn = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev";

        assertThat(SqsBootstrapQueue.messageGroupId(arn)).isEqualTo(arn);
    }

    @Test
    void groupId_isAStableHash_whenALongClusterNameMakesTheArnExceedTheSqsLimit() {
        String arn = "arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/" + "a".repeat(100);

        String groupId = SqsBootstrapQueue.messageGroupId(arn);

        assertThat(groupId).hasSize(64).matches("[0-9a-f]+").isEqualTo(SqsBootstrapQueue.messageGroupId(arn));
    }
}
