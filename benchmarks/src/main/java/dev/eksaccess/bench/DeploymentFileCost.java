package dev.eksaccess.bench;

import dev.eksaccess.config.AdminPrincipals;
import dev.eksaccess.config.DeploymentFile;
import dev.eksaccess.config.Environment;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.engine.AdminGrant;
import dev.eksaccess.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * What reading the deployment settings file costs a function's start, against reading the same settings from
 * environment variables as the functions did before (comma-separated lists, each item checked):
 * {@code java -cp benchmarks/target/benchmarks.jar dev.eksaccess.bench.DeploymentFileCost [--reps N]}.
 *
 * <p>The settings are an organisation's: 25 SSO admin roles with real-length ARNs, the five policies, 100 member
 * accounts. Each rep starts two fresh JVMs with Lambda's java21 options, one per way, each timing its first read
 * (cold: class loading and interpretation included, as at a function's init, after loading what every function's
 * init loads anyway: Jackson's parser, file channels, lambdas, streams) and then the mean of 1,000 more (warm). Printed: medians over the reps and the ratio file / environment, from this one run.
 */
public final class DeploymentFileCost {

    private static final int WARM_READS = 1_000;
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private DeploymentFileCost() {
    }

    /** An organisation's settings: 25 admins (SSO roles, about 110 characters each), 100 member accounts. */
    static DeploymentSettings organisation() {
        List<DeploymentSettings.Admin> admins = IntStream.range(0, 25).mapToObj(i -> new DeploymentSettings.Admin(
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin"
                        + i + "_0123456789abcdef", AccessPolicies.CLUSTER_ADMIN)).toList();
        List<String> accounts = IntStream.range(0, 100).mapToObj(i -> String.format(Locale.ROOT, "2%011d", i)).toList();
        return new DeploymentSettings(admins, AccessPolicies.DEFAULT_ALLOWED, accounts, Optional.empty());
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int reps = args.length == 2 && args[0].equals("--reps") ? Integer.parseInt(args[1]) : 7;
        DeploymentSettings settings = organisation();
        Path file = Files.createTempFile("deployment-cost", ".json");
        try {
            Files.writeString(file, settings.toJson(), StandardCharsets.UTF_8);
            List<long[]> fromFile = new ArrayList<>();
            List<long[]> fromEnvironment = new ArrayList<>();
            for (int rep = 0; rep < reps; rep++) {
                fromFile.add(child("file", Map.of("DEPLOYMENT_FILE", file.toString())));
                fromEnvironment.add(child("environment", Map.of(
                        "ADMIN_PRINCIPALS", String.join(",", settings.adminPrincipals().stream()
                                .map(admin -> admin.principalArn() + "=" + admin.policy()).toList()),
                        "ALLOWED_POLICIES", String.join(",", settings.allowedPolicies()),
                        "MEMBER_ACCOUNTS", String.join(",", settings.memberAccounts()))));
            }
            double fileCold = median(fromFile, 0) / 1e6;
            double envCold = median(fromEnvironment, 0) / 1e6;
            double fileWarm = median(fromFile, 1) / 1e3;
            double envWarm = median(fromEnvironment, 1) / 1e3;
            System.out.printf(Locale.ROOT, "deployment settings: %d bytes as a file, %d admins, %d accounts; %d reps,"
                            + " JVM options %s%n", settings.toJson().length(), settings.adminPrincipals().size(),
                    settings.memberAccounts().size(), reps, BenchmarkMain.LAMBDA_JVM_OPTIONS);
            System.out.printf(Locale.ROOT, "first read (cold JVM): file %.2f ms, environment %.2f ms, ratio %.2fx%n",
                    fileCold, envCold, fileCold / envCold);
            System.out.printf(Locale.ROOT, "warm read (mean of %d): file %.1f us, environment %.1f us, ratio %.2fx%n",
                    WARM_READS, fileWarm, envWarm, fileWarm / envWarm);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long[] child(String way, Map<String, String> environment) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(BenchmarkMain.LAMBDA_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), way));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0 || !output.matches("\\d+ \\d+")) {
            throw new IllegalStateException("the " + way + " reader failed: " + output);
        }
        String[] nanos = output.split(" ");
        return new long[] {Long.parseLong(nanos[0]), Long.parseLong(nanos[1])};
    }

    private static double median(List<long[]> runs, int index) {
        long[] values = runs.stream().mapToLong(run -> run[index]).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2.0;
    }

    /** One fresh JVM: prints the nanoseconds of its first read and the mean of the next ones. */
    public static final class Child {

        private Child() {
        }

        public static void main(String[] args) {
            boolean file = args[0].equals("file");
            Environment environment = Environment.system();
            warmUpWhatEveryFunctionLoads();
            long start = System.nanoTime();
            int size = read(file, environment);
            long cold = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < WARM_READS; i++) {
                size += read(file, environment);
            }
            long warm = (System.nanoTime() - start) / WARM_READS;
            if (size == 0) {
                throw new IllegalStateException("nothing was read");
            }
            System.out.println(cold + " " + warm);
        }

        /**
         * What a function's init loads whichever way its settings come, so that the first read pays for the settings
         * alone: Jackson's parser (every function reads JSON at its first event), reading a small file (the grant
         * processor's eligibility document; the JDK's file channels), lambdas, streams, string concatenation and
         * regular expressions (the SDK clients and the handlers use them all).
         */
        private static void warmUpWhatEveryFunctionLoads() {
            try {
                Path other = Files.createTempFile("warm-up", ".json");
                Files.writeString(other, "{\"warm\": [\"up\", 1]}");
                String text = Files.readString(other);
                Files.delete(other);
                Json.readWhole(text, Json.Duplicates.REJECT);
                List<String> words = java.util.stream.Stream.of(text.split("\"")).map(word -> word + "!")
                        .filter(word -> Pattern.compile("[a-z]+!").matcher(word).matches()).toList();
                if (words.isEmpty()) {
                    throw new IllegalStateException("warm-up read nothing");
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Admins, policies and accounts, read and checked one way or the other; returns how many items. */
        private static int read(boolean file, Environment environment) {
            if (file) {
                DeploymentSettings settings = DeploymentFile.read(environment);
                return AdminPrincipals.of(settings).size() + settings.allowedPolicies().size()
                        + settings.memberAccounts().size();
            }
            // As the functions read environment variables before the file: split, then check each item.
            List<AdminGrant> admins = new ArrayList<>();
            for (String item : System.getenv("ADMIN_PRINCIPALS").split(",")) {
                admins.add(AdminPrincipals.parse(item));
            }
            int count = admins.size();
            for (String policy : System.getenv("ALLOWED_POLICIES").split(",")) {
                count += AccessPolicies.shortNameOf(policy.trim()).isPresent() ? 1 : 0;
            }
            for (String account : System.getenv("MEMBER_ACCOUNTS").split(",")) {
                count += ACCOUNT.matcher(account.trim()).matches() ? 1 : 0;
            }
            return count;
        }
    }
}
