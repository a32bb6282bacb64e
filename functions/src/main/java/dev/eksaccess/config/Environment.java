package dev.eksaccess.config;

import dev.eksaccess.contract.IamRoleName;
import dev.eksaccess.contract.Setting;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link Setting}s from a map of environment variables (the process environment in Lambda, a plain map in
 * tests), with errors that name the variable and say what a valid value looks like.
 */
public final class Environment {

    private final Map<String, String> variables;

    public Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The process environment. */
    public static Environment system() {
        return new Environment(System.getenv());
    }

    /** The raw value, trimmed; empty when unset or blank. */
    public Optional<String> optional(Setting setting) {
        String value = variables.get(setting.variable());
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The value of a setting that must be present. */
    public String required(Setting setting) {
        return optional(setting).orElseThrow(() -> new ConfigException(
                setting.variable() + " is not set; expected " + setting.expected()));
    }

    /** A boolean setting: {@code true} or {@code false}, case-insensitive. */
    public boolean flag(Setting setting, boolean defaultValue) {
        Optional<String> value = optional(setting);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(setting, value.get());
        };
    }

    /** An ISO-8601 duration setting such as {@code PT12H}, positive. */
    public Duration duration(Setting setting, Duration defaultValue) {
        Optional<String> value = optional(setting);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            Duration parsed = Duration.parse(value.get());
            if (parsed.isNegative() || parsed.isZero()) {
                throw invalid(setting, value.get());
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw invalid(setting, value.get());
        }
    }

    /** A required SQS queue URL setting, checked as {@link SqsQueueUrl} says. */
    public SqsQueueUrl queueUrl(Setting setting) {
        String value = required(setting);
        try {
            return SqsQueueUrl.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid(setting, value, e.getMessage());
        }
    }

    /** An optional IAM role name setting (a path may precede the name), checked as {@link IamRoleName} says. */
    public Optional<String> roleName(Setting setting) {
        Optional<String> name = optional(setting);
        Optional<String> problem = name.flatMap(IamRoleName::problemWith);
        if (problem.isPresent()) {
            throw invalid(setting, name.get(), "it " + problem.get());
        }
        return name;
    }

    /**
     * The text of the file a path setting names; empty when the setting is unset.
     *
     * @throws ConfigException naming the variable and the file when it cannot be read
     */
    public Optional<String> file(Setting setting) {
        Optional<String> path = optional(setting);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.nio.file.Files.readString(java.nio.file.Path.of(path.get()),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            throw invalid(setting, path.get(), "the file cannot be read (" + e + ")");
        }
    }

    /** The error for a malformed value. */
    public static ConfigException invalid(Setting setting, String value) {
        return new ConfigException(setting.variable() + " has an invalid value '" + value + "'; expected " + setting.expected());
    }

    /** The error for a malformed value, with a specific detail. */
    public static ConfigException invalid(Setting setting, String value, String detail) {
        return new ConfigException(setting.variable() + " has an invalid value '" + value + "': " + detail
                + "; expected " + setting.expected());
    }
}
