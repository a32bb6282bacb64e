package dev.eksaccess.cli;

import dev.eksaccess.awsauth.AwsAuthSource;
import dev.eksaccess.awsauth.RoleDirectory;
import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The aws-auth samples of {@code events/aws-auth/} and the IAM roles of their world, for {@code migrate} tests. */
final class MigrateFixture {

    private MigrateFixture() {
    }

    static Path sample(String name) {
        return RepositoryRoot.locate().resolve("events/aws-auth").resolve(name);
    }

    /** {@code events/aws-auth/iam-roles.txt}: the ARNs of the roles that exist, with their paths. */
    static List<String> roleArns() {
        try {
            return Files.readAllLines(sample("iam-roles.txt")).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers GetRole from {@link #roleArns()}, by name regardless of case, as IAM does. */
    static RoleDirectory roles() {
        Map<String, String> byName = roleArns().stream().collect(Collectors.toMap(
                arn -> arn.split(":")[4] + "/" + arn.substring(arn.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT),
                Function.identity()));
        return (account, name) -> {
            String arn = byName.get(account + "/" + name.toLowerCase(Locale.ROOT));
            return arn == null ? new RoleDirectory.Lookup.Missing() : new RoleDirectory.Lookup.Found(arn);
        };
    }

    /** A connector whose aws-auth source must not be used (plans from files), with the samples' IAM roles. */
    static ClusterConnector filesOnly() {
        AwsAuthSource noCluster = cluster -> {
            throw new AssertionError("this run must read aws-auth from its file");
        };
        return (region, eks, iam) -> new ClusterConnector.Sources() {
            @Override
            public AwsAuthSource awsAuth() {
                return noCluster;
            }

            @Override
            public RoleDirectory roles() {
                return MigrateFixture.roles();
            }

            @Override
            public void close() {
            }
        };
    }
}
