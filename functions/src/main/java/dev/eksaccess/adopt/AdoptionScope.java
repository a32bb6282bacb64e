package dev.eksaccess.adopt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where adoption looks: the hub account and every configured member account, each in every region.
 *
 * @param hubAccount     the account the function runs in
 * @param memberAccounts the deployment file's member accounts (an organization alone names none: list its accounts)
 * @param regions        the regions to look in ({@code ADOPTION_REGIONS}, else the function's own)
 */
public record AdoptionScope(String hubAccount, List<String> memberAccounts, List<String> regions) {

    public AdoptionScope {
        Objects.requireNonNull(hubAccount, "hubAccount");
        memberAccounts = List.copyOf(memberAccounts);
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("adoption needs at least one region");
        }
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
