package dev.eksaccess.adopt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.adopt.AdoptionScope.Location;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where one adoption run looks: the configured member accounts, or those the invocation names. */
class AdoptionScopeTest {

    private static final String HUB = "111122223333";
    private static final String MEMBER = "444455556666";
    private static final String OTHER = "777788889999";
    private static final List<String> REGIONS = List.of("eu-west-1");

    @Test
    void withoutAccountsNamed_theConfiguredMembersAreLookedIn_afterTheHub() {
        AdoptionScope scope = AdoptionScope.of(HUB, Set.of(MEMBER), false, List.of(), REGIONS);

        assertThat(scope.locations()).containsExactly(new Location(HUB, "eu-west-1"), new Location(MEMBER, "eu-west-1"));
        assertThat(scope.notes()).isEmpty();
    }

    /** An organization deployment lists no accounts: the hub alone, and the report says how to name the others. */
    @Test
    void anOrganizationDeployment_withoutAccountsNamed_looksInTheHubOnly_andSaysSo() {
        AdoptionScope scope = AdoptionScope.of(HUB, Set.of(), true, List.of(), REGIONS);

        assertThat(scope.locations()).containsExactly(new Location(HUB, "eu-west-1"));
        assertThat(scope.notes()).singleElement().asString().contains("organizationMembers")
                .contains("eks-access adopt --account ID");
    }

    @Test
    void anOrganizationDeployment_adoptsInTheAccountsNamed() {
        AdoptionScope scope = AdoptionScope.of(HUB, Set.of(), true, List.of(MEMBER, OTHER, MEMBER, HUB), REGIONS);

        assertThat(scope.memberAccounts()).containsExactly(MEMBER, OTHER);
        assertThat(scope.notes()).isEmpty();
    }

    /**
     * With a member list, a named account must be on it: an invocation cannot widen adoption (and the admin
     * bootstraps it sends) to an account the deployment does not manage. (Mutation: dropping the membership check ->
     * no exception.)
     */
    @Test
    void withAMemberList_anAccountNotOnIt_isRefused_namingItAndTheList() {
        assertThatThrownBy(() -> AdoptionScope.of(HUB, Set.of(MEMBER), false, List.of(MEMBER, OTHER), REGIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("account " + OTHER + " is not a member account of this deployment (memberAccounts: ["
                        + MEMBER + "]): add it, with its spoke, before adopting there");
        assertThat(AdoptionScope.of(HUB, Set.of(MEMBER), false, List.of(MEMBER, HUB), REGIONS).memberAccounts())
                .containsExactly(MEMBER);
    }

    @Test
    void aMalformedAccount_isRefused() {
        assertThatThrownBy(() -> AdoptionScope.of(HUB, Set.of(), true, List.of("4444"), REGIONS))
                .hasMessage("account 4444 is not a 12-digit AWS account id");
    }
}
