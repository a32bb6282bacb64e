package dev.eksaccess.creation;

import java.util.Arrays;
import java.util.Optional;

/** An EKS cluster's authentication mode. Access entries work in {@link #API_AND_CONFIG_MAP} and {@link #API}. */
public enum AuthenticationMode {
    /** Only the aws-auth ConfigMap; access-entry calls fail. EKS's default for clusters created through the API. */
    CONFIG_MAP,
    API_AND_CONFIG_MAP,
    API;

    /** Whether access entries can be created in this mode. */
    public boolean allowsAccessEntries() {
        return this != CONFIG_MAP;
    }

    /** The mode named {@code name} exactly as EKS spells it; empty for anything else. */
    public static Optional<AuthenticationMode> of(String name) {
        return Arrays.stream(values()).filter(mode -> mode.name().equals(name)).findFirst();
    }
}
