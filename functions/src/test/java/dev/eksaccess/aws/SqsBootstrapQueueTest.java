package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

        // The SHA-256 of the ARN's UTF-8 bytes, as `printf %s ARN | sha256sum` gives it: every function instance and
        // every release must put one cluster's requests in the same group.
        assertThat(SqsBootstrapQueue.messageGroupId(arn))
                .isEqualTo("d7b207405834d0bb0883076ceb81423abde65da4c60b7494606e8c3ce491a37b");
    }

    @Test
    void groupIds_ofDifferentLongArns_differ() {
        String prefix = "arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/" + "a".repeat(99);
        List<String> arns = List.of(prefix + "a", prefix + "b", prefix + "ab",
                "arn:aws-us-gov:eks:us-gov-east-1:111122223333:cluster/" + "a".repeat(100),
                "arn:aws-us-gov:eks:us-gov-west-1:444455556666:cluster/" + "a".repeat(100));

        List<String> groups = arns.stream().map(SqsBootstrapQueue::messageGroupId).toList();

        assertThat(groups).allSatisfy(group -> assertThat(group).hasSize(64).matches("[0-9a-f]+"))
                .doesNotHaveDuplicates();
    }
}
