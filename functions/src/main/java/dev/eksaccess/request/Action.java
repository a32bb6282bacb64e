package dev.eksaccess.request;

import java.util.Arrays;
import java.util.Optional;

/** What a contract-v1 message asks for; {@link #BOOTSTRAP} is internal (sent by the cluster-creation function). */
public enum Action {
    GRANT("grant"), REVOKE("revoke"), BOOTSTRAP(BootstrapRequest.ACTION);

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Action> fromWire(String value) {
        return Arrays.stream(values()).filter(a -> a.wireName.equals(value)).findFirst();
    }
}
