package dev.eksaccess.request;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a contract-v1 message asks for. Teams send grant and revoke; approvers approve and deny; migration senders
 * migrate (an aws-auth mapping to an access entry, allowed only by migration rules); recovery senders recover
 * (a time-bound cluster admin on a cluster nobody can reach, allowed only by recovery rules); {@link #BOOTSTRAP}
 * (from the cluster-creation function) and {@link #EXPIRE} (from the expiry sweep) are internal, accepted only from
 * those functions' roles; so is {@link #RESTORE}, from the drift function's role.
 */
public enum Action {
    GRANT("grant"), REVOKE("revoke"), BOOTSTRAP(BootstrapRequest.ACTION), APPROVE("approve"), DENY("deny"),
    EXPIRE("expire"), RESTORE(RestoreRequest.ACTION), MIGRATE("migrate"),
    RECOVER("recover");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the message decides a request that waits for approval, instead of asking for access. */
    public boolean isDecision() {
        return this == APPROVE || this == DENY || this == EXPIRE;
    }

    /**
     * Whether the request may switch a CONFIG_MAP cluster to API_AND_CONFIG_MAP first (when the deployment allows
     * it): a migrate, and a recover, whose cluster is often one that only aws-auth ever let anyone into.
     */
    public boolean switchesAuthMode() {
        return this == MIGRATE || this == RECOVER;
    }

    /** Whether a rule may hold the request for approval: a grant, or a recover. */
    public boolean mayBeHeld() {
        return this == GRANT || this == RECOVER;
    }

    public static Optional<Action> fromWire(String value) {
        return Arrays.stream(values()).filter(a -> a.wireName.equals(value)).findFirst();
    }
}
