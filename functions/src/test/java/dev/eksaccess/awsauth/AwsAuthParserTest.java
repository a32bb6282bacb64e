package dev.eksaccess.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsAuthParserTest {

    @Test
    void readsTheJsonTheKubernetesApiReturns() throws Exception {
        String json = """
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"aws-auth","namespace":"kube-system",\
                "resourceVersion":"4242"},"data":{"mapRoles":"- rolearn: arn:aws:iam::111122223333:role/a\\n  \
                groups: [system:masters]\\n","mapAccounts":"- '012345678901'\\n"}}""";

        AwsAuth awsAuth = AwsAuthParser.parseConfigMap(json);

        assertThat(awsAuth.resourceVersion()).contains("4242");
        assertThat(awsAuth.mappings()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(Mapping.Kind.ROLE);
            assertThat(m.arn()).isEqualTo("arn:aws:iam::111122223333:role/a");
            assertThat(m.username()).isEmpty();
            assertThat(m.groups()).containsExactly("system:masters");
        });
        assertThat(awsAuth.accounts()).extracting(AwsAuth.MappedAccount::accountId).containsExactly("012345678901");
    }

    @Test
    void noDataOrEmptyLists_meanNoMappings() throws Exception {
        assertThat(AwsAuthParser.parseConfigMap("metadata: {name: aws-auth, namespace: kube-system}").mappings())
                .isEmpty();
        AwsAuth empty = AwsAuthParser.parseData(Map.of("mapRoles", "[]", "mapUsers", "", "other", "x: ["),
                Optional.empty());
        assertThat(empty.mappings()).isEmpty();
        assertThat(empty.accounts()).isEmpty();
    }

    @Test
    void anotherConfigMap_isRefused() {
        assertThatThrownBy(() -> AwsAuthParser.parseConfigMap("metadata: {name: coredns, namespace: kube-system}"))
                .hasMessage("aws-auth is broken at metadata: this is ConfigMap kube-system/coredns, not "
                        + "kube-system/aws-auth");
        assertThatThrownBy(() -> AwsAuthParser.parseConfigMap("kind: Secret"))
                .hasMessage("aws-auth is broken at kind: is Secret, not ConfigMap");
    }

    @Test
    void malformedEntries_nameTheEntryAndLine() {
        assertBroken(Map.of("mapRoles", "- username: x\n  groups: [a]\n"),
                "mapRoles[0], line 1, column 3 of data.mapRoles: rolearn is required");
        assertBroken(Map.of("mapRoles", "- userarn: arn:aws:iam::111122223333:user/u\n"),
                "mapRoles[0].userarn, line 1, column 3 of data.mapRoles: unknown key 'userarn'; an entry has only "
                        + "groups, rolearn, username");
        assertBroken(Map.of("mapUsers", "- userarn: a\n  userarn: b\n"),
                "mapUsers[0].userarn, line 2, column 3 of data.mapUsers: the key is repeated");
        assertBroken(Map.of("mapRoles", "- rolearn: a\n  groups: system:masters\n"),
                "mapRoles[0].groups, line 2, column 11 of data.mapRoles: must be a list of group names");
        assertBroken(Map.of("mapRoles", "- rolearn: a\n  groups: [[x]]\n"),
                "mapRoles[0].groups[0], line 2, column 12 of data.mapRoles: must be a single value, not a list");
        assertBroken(Map.of("mapRoles", "rolearn: a\n"),
                "mapRoles, line 1, column 1 of data.mapRoles: must be a YAML list (entries starting with '- ')");
        assertBroken(Map.of("mapAccounts", "- 12345\n"),
                "mapAccounts[0], line 1, column 3 of data.mapAccounts: '12345' is not a 12-digit account id");
    }

    @Test
    void aDataValueThatIsNotAString_isRefused() {
        assertThatThrownBy(() -> AwsAuthParser.parseConfigMap(
                "metadata: {name: aws-auth}\ndata:\n  mapRoles:\n    - rolearn: a\n"))
                .hasMessage("aws-auth is broken at data.mapRoles, line 4, column 5: must be a single value, not a "
                        + "list");
    }

    private static void assertBroken(Map<String, String> data, String where) {
        assertThatThrownBy(() -> AwsAuthParser.parseData(data, Optional.empty()))
                .isInstanceOf(BrokenAwsAuthException.class)
                .hasMessageStartingWith("aws-auth is broken at " + where);
    }
}
