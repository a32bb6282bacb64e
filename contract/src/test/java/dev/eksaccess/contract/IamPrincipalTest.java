package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IamPrincipalTest {

    @Test
    void usersAndRoles_withTheirPaths_areAcceptedInEveryPartition() {
        assertThat(IamPrincipal.problemWith("arn:aws:iam::111122223333:role/platform/eks-admins")).isEmpty();
        assertThat(IamPrincipal.problemWith("arn:aws-cn:iam::111122223333:user/jane")).isEmpty();
        assertThat(IamPrincipal.problemWith("arn:aws-us-gov:iam::111122223333:role/a,b=c.d@e+f-g_h")).isEmpty();
        assertThat(IamPrincipal.partitionOf("arn:aws-us-gov:iam::111122223333:role/x")).isEqualTo("aws-us-gov");
    }

    @Test
    void stsSessionArn_isRefusedWithTheRoleNameAndHowToFindItsPath() {
        assertThat(IamPrincipal.problemWith("arn:aws:sts::111122223333:assumed-role/Admin/jane"))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("is an STS assumed-role session ARN")
                        .contains("arn:aws:iam::ACCOUNT:role/PATH/Admin").contains("get-role --role-name Admin"));
    }

    @Test
    void whatEksRefuses_isRefusedWithItsReason() {
        assertThat(IamPrincipal.problemWith(null)).contains("is required");
        assertThat(IamPrincipal.problemWith(" ")).contains("is required");
        assertThat(IamPrincipal.problemWith("arn:aws:iam::111122223333:role/*")).contains("must not contain wildcards");
        assertThat(IamPrincipal.problemWith(
                "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("service-linked role"));
        assertThat(IamPrincipal.problemWith("arn:aws:iam::111122223333:role/" + "r".repeat(65)))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("must be an IAM user or role ARN"));
        assertThat(IamPrincipal.problemWith("arn:aws:iam::111122223333:root"))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("must be an IAM user or role ARN"));
        assertThat(IamPrincipal.problemWith("arn:aws:iam::1111:role/x"))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("must be an IAM user or role ARN"));
        String tooLong = "arn:aws:iam::111122223333:role/" + "p/".repeat(500) + "x";
        assertThat(IamPrincipal.problemWith(tooLong))
                .contains("is " + tooLong.length() + " characters long; the limit is " + IamPrincipal.MAX_LENGTH);
        assertThat(IamPrincipal.isValid("arn:aws:iam::111122223333:group/admins")).isFalse();
    }
}
