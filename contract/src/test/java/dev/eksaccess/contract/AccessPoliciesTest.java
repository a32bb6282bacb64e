package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessPoliciesTest {

    @Test
    void shortNameOf_acceptsShortNamesAndPolicyArnsInEveryPartition() {
        assertThat(AccessPolicies.shortNameOf("AmazonEKSViewPolicy")).contains("AmazonEKSViewPolicy");
        assertThat(AccessPolicies.shortNameOf("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"))
                .contains("AmazonEKSEditPolicy");
        assertThat(AccessPolicies.shortNameOf("arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"))
                .contains("AmazonEKSEditPolicy");
    }

    @Test
    void shortNameOf_refusesOtherArnsAndJunk() {
        assertThat(AccessPolicies.shortNameOf("arn:aws:iam::aws:policy/AdministratorAccess")).isEmpty();
        assertThat(AccessPolicies.shortNameOf("arn:evil:eks::aws:cluster-access-policy/AmazonEKSEditPolicy")).isEmpty();
        assertThat(AccessPolicies.shortNameOf("Amazon EKS")).isEmpty();
        assertThat(AccessPolicies.shortNameOf("")).isEmpty();
        assertThat(AccessPolicies.shortNameOf(null)).isEmpty();
    }

    @Test
    void eventPattern_namesCreateClusterCallsFromEks() {
        assertThat(CreateClusterEventPattern.json())
                .contains("\"aws.eks\"", "\"AWS API Call via CloudTrail\"", "\"eks.amazonaws.com\"", "\"CreateCluster\"");
    }
}
