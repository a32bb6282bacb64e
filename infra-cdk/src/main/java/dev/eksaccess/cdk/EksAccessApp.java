package dev.eksaccess.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/**
 * The CDK app: the hub stack {@value #HUB_STACK}, and the spoke stack {@value #SPOKE_STACK} for member accounts
 * when {@code hubAccount}/{@code hubRoleArn} are given. Every stack is checked with cdk-nag's AWS Solutions rules.
 * Invalid context stops synth with one line per problem, naming the context key.
 */
public final class EksAccessApp {

    public static final String HUB_STACK = "EksAccess";
    public static final String SPOKE_STACK = "EksAccessSpoke";

    private EksAccessApp() {
    }

    public static void main(String[] args) {
        App app = newApp();
        try {
            build(app);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        List<String> problems = limitProblems(app.synth());
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            System.exit(1);
        }
    }

    /**
     * Every AWS limit a large configuration can reach, measured on each synthesized template ({@link DeploymentLimits}):
     * one line per limit passed, naming it, the number and the context keys that grow it.
     */
    @SuppressWarnings("unchecked")
    static List<String> limitProblems(CloudAssembly assembly) {
        List<DeploymentLimits.Measurement> measurements = new ArrayList<>();
        for (CloudFormationStackArtifact stack : assembly.getStacks()) {
            measurements.addAll(DeploymentLimits.measure(stack.getStackName(),
                    (Map<String, Object>) stack.getTemplate()));
        }
        return DeploymentLimits.problems(measurements);
    }

    /**
     * An app writing to {@code cdk.out} when run by hand; under the CDK CLI, {@code CDK_OUTDIR} says where
     * (a plain {@code new App()} would pick a temporary directory).
     */
    static App newApp() {
        AppProps.Builder props = AppProps.builder();
        if (System.getenv("CDK_OUTDIR") == null) {
            props.outdir("cdk.out");
        }
        return new App(props.build());
    }

    /** Adds the stacks the context asks for and the cdk-nag checks. */
    public static Stacks build(App app) {
        Map<String, Object> context = allContext(app);
        DeploymentConfig config = ContextParser.parse(context, defaultFunctionsJar());
        Optional<SpokeConfig> spokeConfig = ContextParser.parseSpoke(context, config);
        EksAccessStack hub = new EksAccessStack(app, HUB_STACK, StackProps.builder()
                .description("EKS access automation: admin bootstrap on CreateCluster, grants from SQS").build(),
                config);
        // The spoke has no assets: without the bootstrap version check its template deploys to accounts nobody ran
        // cdk bootstrap in, as CloudFormation StackSets do (docs/deploy.md).
        Optional<SpokeStack> spoke = spokeConfig.map(settings -> new SpokeStack(app, SPOKE_STACK, StackProps.builder()
                .description("EKS access automation, member account: forwards CreateCluster, role for the hub")
                .synthesizer(DefaultStackSynthesizer.Builder.create().generateBootstrapVersionRule(false).build())
                .build(), config, settings));
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(hub, spoke);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> allContext(App app) {
        Object all = app.getNode().getAllContext();
        return all instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The stacks of one app. */
    public record Stacks(EksAccessStack hub, Optional<SpokeStack> spoke) {
    }

    /** The jar the functions module builds, relative to infra-cdk/ (where the CDK CLI runs the app). */
    static Path defaultFunctionsJar() {
        Properties properties = new Properties();
        try (InputStream in = EksAccessApp.class.getResourceAsStream("functions-jar.properties")) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource functions-jar.properties");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Path.of(properties.getProperty("functions.jar"));
    }
}
