package dev.eksaccess.config;

import dev.eksaccess.contract.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of the adoption function (docs/adopt.md): what the cluster-creation function reads (registry, grant
 * queue, admins, creator admin, mode switch, member accounts and their role), since adopted clusters are registered
 * and bootstrapped as new ones are, and {@link Setting#ADOPTION_REGIONS}.
 *
 * @param creation the cluster-creation function's settings
 * @param regions  where clusters are listed, in every account; never empty
 */
public record AdoptionConfig(ClusterCreationConfig creation, List<String> regions) {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    public AdoptionConfig {
        Objects.requireNonNull(creation, "creation");
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("regions is empty");
        }
    }

    /**
     * Reads and validates every setting the function uses.
     *
     * @param ownRegion the function's region ({@code AWS_REGION}), the default of {@link Setting#ADOPTION_REGIONS}
     * @throws ConfigException naming the first variable that is missing or malformed
     */
    public static AdoptionConfig from(Environment environment, String ownRegion) {
        ClusterCreationConfig creation = ClusterCreationConfig.from(environment);
        List<String> regions = new ArrayList<>();
        String value = environment.optional(Setting.ADOPTION_REGIONS).orElse(ownRegion);
        for (String region : value.split(",", -1)) {
            String trimmed = region.strip();
            if (!REGION.matcher(trimmed).matches()) {
                throw Environment.invalid(Setting.ADOPTION_REGIONS, value, "'" + trimmed + "' is not an AWS region");
            }
            if (!regions.contains(trimmed)) {
                regions.add(trimmed);
            }
        }
        return new AdoptionConfig(creation, regions);
    }
}
