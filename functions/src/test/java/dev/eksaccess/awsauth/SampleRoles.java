package dev.eksaccess.awsauth;

import dev.eksaccess.testing.RepoFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The IAM roles of the samples' world ({@code events/aws-auth/iam-roles.txt}), answering as IAM GetRole would. */
public final class SampleRoles implements RoleDirectory {

    public static final String SAMPLE_ACCOUNT = "111122223333";

    private final Map<String, String> byAccountAndName;

    private SampleRoles(List<String> arns) {
        // IAM role names are unique regardless of case: look them up lower-cased, answer with the stored case.
        byAccountAndName = arns.stream().collect(Collectors.toMap(SampleRoles::key, Function.identity()));
    }

    public static SampleRoles load() {
        return new SampleRoles(arns());
    }

    public static List<String> arns() {
        try {
            return Files.readAllLines(samples().resolve("iam-roles.txt")).stream()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path samples() {
        return RepoFiles.root().resolve("events/aws-auth");
    }

    public static String sample(String name) {
        try {
            return Files.readString(samples().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code data} values of a sample ConfigMap, as a test puts them into an emulated cluster. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> sampleData(String name) {
        Object document = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder()
                .build()).loadFromString(sample(name));
        return (Map<String, String>) ((Map<String, Object>) document).get("data");
    }

    /** The samples whose aws-auth reads without error. */
    public static List<String> readableSamples() {
        return List.of("eksctl.yaml", "fargate.yaml", "hand-edited.yaml", "map-accounts.yaml", "node-roles.yaml",
                "sso.yaml", "terraform.yaml");
    }

    @Override
    public Lookup role(String accountId, String roleName) {
        if (!accountId.equals(SAMPLE_ACCOUNT)) {
            return new Lookup.Failed("no access to IAM in account " + accountId);
        }
        String arn = byAccountAndName.get(accountId + "/" + roleName.toLowerCase(Locale.ROOT));
        return arn == null ? new Lookup.Missing() : new Lookup.Found(arn);
    }

    private static String key(String arn) {
        return arn.split(":")[4] + "/" + arn.substring(arn.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
}
