package dev.eksaccess.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterRefTest {

    @Test
    void parseArn_roundTripsInEveryPartition() {
        for (String arn : new String[] {
                "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod",
                "arn:aws-cn:eks:cn-north-1:111122223333:cluster/c1",
                "arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/gov_1"}) {
            assertThat(ClusterRef.parseArn(arn)).map(ClusterRef::arn).contains(arn);
        }
        assertThat(ClusterRef.parseArn("arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod"))
                .contains(new ClusterRef("aws", "eu-west-1", "111122223333", "payments-prod"));
    }

    @Test
    void parseArn_refusesOtherResourcesAndMalformedArns() {
        assertThat(ClusterRef.parseArn("arn:aws:eks:eu-west-1:111122223333:nodegroup/c/n/1")).isEmpty();
        assertThat(ClusterRef.parseArn("arn:aws:eks:eu-west-1:1111:cluster/c")).isEmpty();
        assertThat(ClusterRef.parseArn("arn:aws:eks:eu-west-1:111122223333:cluster/-bad")).isEmpty();
        assertThat(ClusterRef.parseArn(null)).isEmpty();
    }

    @Test
    void partitionOf_followsRegionPrefixes() {
        assertThat(ClusterRef.partitionOf("cn-northwest-1")).isEqualTo("aws-cn");
        assertThat(ClusterRef.partitionOf("us-gov-east-1")).isEqualTo("aws-us-gov");
        assertThat(ClusterRef.partitionOf("ap-southeast-2")).isEqualTo("aws");
    }
}
