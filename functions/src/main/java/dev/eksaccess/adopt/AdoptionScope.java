package dev.eksaccess.adopt;

import dev.eksaccess.contract.AccountId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where adoption looks: the hub account and every configured member account, each in every region.
 *
 * @param hubAccount     the account the function runs in
 * @param memberAccounts the deployment file's member accounts, or those the invocation named
 * @param regions        the regions to look in ({@code ADOPTION_REGIONS}, else the function's own)
 * @param notes          what the run's report should say about where it did not look
 */
public record AdoptionScope(String hubAccount, List<String> memberAccounts, List<String> regions, List<String> notes) {

    public AdoptionScope {
        Objects.requireNonNull(hubAccount, "hubAccount");
        memberAccounts = List.copyOf(memberAccounts);
        regions = List.copyOf(regions);
        notes = List.copyOf(notes);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("adoption needs at least one region");
        }
    }

    public AdoptionScope(String hubAccount, List<String> memberAccounts, List<String> regions) {
        this(hubAccount, memberAccounts, regions, List.of());
    }

    /**
     * The scope of one invocation. Without {@code requested} accounts: the deployment's member accounts, of which an
     * organization deployment ({@code organizationMembers}) has no list, so it looks in the hub only and says so.
     * With them: those accounts besides the hub, each of which must be a member account of the deployment (any
     * account with {@code organization}: IAM's {@code aws:ResourceOrgID} and the spoke role's trust keep the
     * functions inside the organization).
     *
     * @throws IllegalArgumentException naming the account that is malformed or not a member account
     */
    public static AdoptionScope of(String hubAccount, Set<String> configuredMembers, boolean organization,
                                   List<String> requested, List<String> regions) {
        if (requested.isEmpty()) {
            List<String> notes = organization ? List.of("this deployment trusts every account of its organization "
                    + "(organizationMembers) and lists none, so only the hub account was looked in: name the member "
                    + "accounts to adopt in with eks-access adopt --account ID (the event's \"accounts\")") : List.of();
            return new AdoptionScope(hubAccount, List.copyOf(new TreeSet<>(configuredMembers)), regions, notes);
        }
        for (String account : requested) {
            if (!AccountId.isValid(account)) {
                throw new IllegalArgumentException("account " + account + " is not a 12-digit AWS account id");
            }
            if (!organization && !account.equals(hubAccount) && !configuredMembers.contains(account)) {
                throw new IllegalArgumentException("account " + account + " is not a member account of this "
                        + "deployment (memberAccounts: " + new TreeSet<>(configuredMembers) + "): add it, with its "
                        + "spoke, before adopting there");
            }
        }
        return new AdoptionScope(hubAccount, requested.stream().filter(a -> !a.equals(hubAccount)).distinct().toList(),
                regions, List.of());
    }

    /** One account in one region. */
    public record Location(String accountId, String region) {
    }

    /** The hub first, then the member accounts in configuration order; each in every region; no repeats. */
    public List<Location> locations() {
        LinkedHashSet<String> accounts = new LinkedHashSet<>();
        accounts.add(hubAccount);
        accounts.addAll(memberAccounts);
        List<Location> locations = new ArrayList<>();
        for (String account : accounts) {
            for (String region : new LinkedHashSet<>(regions)) {
                locations.add(new Location(account, region));
            }
        }
        return locations;
    }
}
