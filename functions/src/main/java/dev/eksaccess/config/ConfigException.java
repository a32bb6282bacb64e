package dev.eksaccess.config;

/** A setting is missing or malformed; the message names the environment variable and what it expects. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** A file a path setting names was read but is not usable: the variable, the file and every problem. */
    static ConfigException ofFile(dev.eksaccess.contract.Setting setting, Environment environment, String what,
                                  java.util.List<String> problems) {
        return new ConfigException(setting.variable() + " names " + environment.optional(setting).orElse("")
                + ", " + what + " with " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ": "
                + String.join("; ", problems));
    }
}
