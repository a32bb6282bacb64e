package dev.eksaccess.drift;

import dev.eksaccess.creation.Creator;
import java.util.Objects;
import java.util.Set;

/**
 * Recognises the calls this system's own roles made, which are not external changes: the hub functions' roles by
 * ARN, and the role the hub assumes in member accounts by its name in a member account (role names are unique within
 * an account, whatever their path, so nobody else in that account can hold the name).
 *
 * @param hubRoleArns    the execution roles of the functions that change access (with their paths)
 * @param memberRoleName the name of the role the hub assumes in member accounts
 * @param memberAccounts the member accounts
 */
public record OwnRoles(Set<String> hubRoleArns, String memberRoleName, Set<String> memberAccounts) {

    public OwnRoles {
        hubRoleArns = Set.copyOf(Objects.requireNonNull(hubRoleArns, "hubRoleArns"));
        memberAccounts = Set.copyOf(Objects.requireNonNull(memberAccounts, "memberAccounts"));
    }

    /** Whether {@code actor} is one of this system's roles. */
    public boolean made(Creator actor) {
        String arn = actor.principalArn();
        if (arn == null || !"AssumedRole".equals(actor.identityType())) {
            return false;
        }
        if (hubRoleArns.contains(arn)) {
            return true;
        }
        String[] parts = arn.split(":", 6);
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        return parts.length == 6 && memberAccounts.contains(parts[4]) && name.equals(memberRoleName)
                && parts[5].startsWith("role/");
    }
}
