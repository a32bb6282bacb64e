package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IamRoleNameTest {

    @Test
    void namesWithAndWithoutAPath_areValid() {
        assertThat(IamRoleName.problemWith("eks-access")).isEmpty();
        assertThat(IamRoleName.problemWith("platform/teams/eks-access+=,.@_1")).isEmpty();
        assertThat(IamRoleName.problemWith("a".repeat(57))).isEmpty();
    }

    @Test
    void anArn_isRefusedAskingForTheName() {
        assertThat(IamRoleName.problemWith("arn:aws:iam::111122223333:role/eks-access"))
                .contains("is an ARN; give the role's name, not the ARN (with its path, if any: path/name)");
    }

    @Test
    void slashesAroundThePath_areRefused() {
        assertThat(IamRoleName.problemWith("/platform/eks-access")).get().asString().startsWith("starts or ends with '/'");
        assertThat(IamRoleName.problemWith("platform/")).get().asString().startsWith("starts or ends with '/'");
    }

    @Test
    void otherCharacters_tooLongNames_andBlanks_areRefused() {
        assertThat(IamRoleName.problemWith("eks access")).get().asString().startsWith("is not an IAM role name");
        assertThat(IamRoleName.problemWith("platform//eks-access")).get().asString().startsWith("is not an IAM role name");
        assertThat(IamRoleName.problemWith("a".repeat(65))).get().asString().startsWith("is not an IAM role name");
        // 58: the name fits IAM, but its read-only role's (NAME-reader) would not
        assertThat(IamRoleName.problemWith("a".repeat(58))).get().asString()
                .startsWith("is not an IAM role name: up to 57 letters").contains("NAME-reader");
        assertThat(IamRoleName.problemWith(" ")).contains("is empty");
        assertThat(IamRoleName.problemWith(null)).contains("is empty");
    }

    @Test
    void clusterReader_isTheSamePathAndNameWithItsSuffix_andFitsIam() {
        assertThat(IamRoleName.clusterReader("platform/eks-access")).isEqualTo("platform/eks-access-reader");
        String longest = "a".repeat(IamRoleName.MAX_NAME_CHARS);
        assertThat(IamRoleName.problemWith(longest)).isEmpty();
        assertThat(IamRoleName.clusterReader(longest)).hasSize(64);
    }

    @Test
    void arn_putsThePathAndNameAfterRole() {
        assertThat(IamRoleName.arn("aws-cn", "444455556666", "platform/eks-access"))
                .isEqualTo("arn:aws-cn:iam::444455556666:role/platform/eks-access");
        assertThat(IamRoleName.arn("aws", "*", "eks-access")).isEqualTo("arn:aws:iam::*:role/eks-access");
    }
}
