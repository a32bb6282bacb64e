package dev.eksaccess.engine;

import java.util.List;

/**
 * What the admin bootstrap of a new cluster does, from configuration.
 *
 * @param admins              principals that get their policy at cluster scope on every cluster
 * @param creatorAdmin        give the creator cluster admin when EKS did not ({@code CREATOR_ADMIN})
 * @param allowAuthModeSwitch switch CONFIG_MAP clusters to API_AND_CONFIG_MAP ({@code ALLOW_AUTH_MODE_SWITCH})
 */
public record BootstrapSettings(List<AdminGrant> admins, boolean creatorAdmin, boolean allowAuthModeSwitch) {

    public BootstrapSettings {
        admins = List.copyOf(admins);
    }
}
