package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.eksaccess.config.AccessChangeConfig;
import dev.eksaccess.config.ClusterCreationConfig;
import dev.eksaccess.config.ConfigException;
import dev.eksaccess.config.Environment;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.eligibility.EligibilityRule;
import dev.eksaccess.engine.AdminGrant;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The functions, as the template deploys them: each function's synthesized environment (CloudFormation references
 * replaced by real-looking names, {@link TemplateValues}) is read by that function's own configuration class from
 * the functions jar, and each handler string names a class of that jar fit for its trigger. A setting the CDK app
 * forgets, sets malformed or sets for a function that never reads it fails here, not at the first invocation.
 */
class FunctionWiringTest {

    private static final EksAccessStack STACK = TestApps.FULL.stacks().hub();
    private static final TemplateValues VALUES = new TemplateValues(TestApps.FULL.hub(), STACK.getStackName());

    /** Where Lambda extracts a function's layers. */
    private static final String LAMBDA_LAYERS = FileLayer.LAMBDA_LAYERS;

    private static final String REGISTRY = VALUES.resolve(EksAccessStackTest.ref(STACK.tables().registry()));
    private static final String LEDGER = VALUES.resolve(EksAccessStackTest.ref(STACK.tables().ledger()));
    private static final String QUEUE_URL = VALUES.resolve(EksAccessStackTest.ref(STACK.grants().queue()));

    /**
     * Settings the contract defines and the stack sets for the grant processor (issue 13: the member accounts it may
     * assume a role in, checked before any STS call, and the ExternalId it passes), which this commit's functions do
     * not read yet: the code that reads them is written alongside. They are excused from
     * {@link #everyVariableAFunctionGets_isOneItsConfigurationReads} only while unread:
     * {@link #settingsAwaitingTheProcessorsCode_areUnreadStill} fails once the configuration reads one, to have it
     * taken off this list.
     */
    private static final Set<Setting> AWAITING_PROCESSOR_CODE = EnumSet.noneOf(Setting.class);

    /** The processor accepts restores only from the access-change function's role, which sends them to its queue. */
    @Test
    void grantProcessor_acceptsRestoresFromTheAccessChangeRole_whichSendsThemToItsQueue() {
        GrantProcessorConfig processor = GrantProcessorConfig.from(
                new Environment(environment(STACK.grantProcessor()).variables()));
        AccessChangeConfig accessChanges = AccessChangeConfig.from(
                new Environment(environment(STACK.accessChanges()).variables()));

        assertThat(processor.internalSenders().driftFunctionRoleArn())
                .contains(VALUES.resolve(EksAccessStackTest.arn(STACK.accessChanges().role())));
        assertThat(accessChanges.restore()).hasValueSatisfying(restore -> {
            assertThat(restore.grantQueueUrl()).isEqualTo(processor.grantQueueUrl());
            assertThat(restore.eligibility()).as("each rule's drift mode").isPresent();
        });
    }

    @Test
    void clusterCreationConfig_readsEverySettingTheStackConfigured() {
        ClusterCreationConfig config = ClusterCreationConfig.from(
                new Environment(environment(STACK.clusterCreated()).variables()));

        assertThat(config.registryTable()).isEqualTo(REGISTRY);
        assertThat(config.grantQueueUrl()).isEqualTo(QUEUE_URL)
                .startsWith("https://sqs." + TemplateValues.REGION + ".amazonaws.com/" + TemplateValues.ACCOUNT + "/");
        assertThat(config.adminGrants()).containsExactly(
                new AdminGrant(TestApps.ADMIN_ROLE, "AmazonEKSClusterAdminPolicy"),
                new AdminGrant(TestApps.VIEWER_ROLE, "AmazonEKSAdminViewPolicy"));
        assertThat(config.creatorAdmin()).isTrue();
        assertThat(config.allowAuthModeSwitch()).isTrue();
        assertThat(config.crossAccountRoleName()).contains("eks-access/HubAccess");
        assertThat(config.crossAccount().memberAccounts()).containsExactly(TestApps.MEMBER_ACCOUNT);
    }

    @Test
    void grantProcessorConfig_readsEverySettingTheStackConfigured() {
        GrantProcessorConfig config = GrantProcessorConfig.from(
                new Environment(environment(STACK.grantProcessor()).variables()));

        assertThat(config.registryTable()).isEqualTo(REGISTRY);
        assertThat(config.ledgerTable()).isEqualTo(LEDGER);
        assertThat(config.grantQueueUrl()).isEqualTo(QUEUE_URL);
        // Clusters given by name are looked for in the queue's account, which is the deployment's.
        assertThat(config.homeAccountId()).isEqualTo(TemplateValues.ACCOUNT);
        assertThat(config.admins()).extracting(AdminGrant::principalArn)
                .containsExactly(TestApps.ADMIN_ROLE, TestApps.VIEWER_ROLE);
        assertThat(config.creatorAdmin()).isTrue();
        assertThat(config.allowAuthModeSwitch()).isTrue();
        assertThat(config.crossAccountRoleName()).contains("eks-access/HubAccess");
        assertThat(config.allowedPolicies()).containsExactly("AmazonEKSViewPolicy", "AmazonEKSEditPolicy");
        assertThat(config.crossAccount().memberAccounts()).containsExactly(TestApps.MEMBER_ACCOUNT);
        assertThat(config.maxGrantDuration()).isEqualTo(Duration.ofHours(12));
        // Read from the layer's content, where the stack's ELIGIBILITY_FILE points once Lambda mounts it.
        assertThat(config.eligibility()).hasValueSatisfying(document -> assertThat(document.rules())
                .extracting(EligibilityRule::id)
                .containsExactly("payments-self-service", "sre-admin-with-approval", "break-glass"));
    }

    /**
     * Bootstrap messages are trusted only from the cluster-creation role (and the processor's own, for its copies of
     * a bootstrap waiting for its cluster), expiry messages only from the sweep's, and outcome events go to the stack's bus: the values must be those, in the forms the contract expects.
     */
    @Test
    void grantProcessor_namesTheFunctionsOwnRolesAndTheOutcomeBus() {
        Map<String, String> variables = environment(STACK.grantProcessor()).variables();
        String creationRole = VALUES.resolve(EksAccessStackTest.arn(STACK.clusterCreated().role()));
        String sweepRole = VALUES.resolve(EksAccessStackTest.arn(STACK.expirySweep().role()));

        String ownRole = VALUES.resolve(EksAccessStackTest.arn(STACK.grantProcessor().role()));

        assertThat(variables).containsEntry(Setting.CLUSTER_CREATION_ROLE_ARN.variable(), creationRole)
                .containsEntry(Setting.EXPIRY_SWEEP_ROLE_ARN.variable(), sweepRole)
                .containsEntry(Setting.GRANT_PROCESSOR_ROLE_ARN.variable(), ownRole)
                .containsEntry(Setting.OUTCOME_BUS.variable(), "eks-access-outcomes");
        for (String role : List.of(creationRole, sweepRole, ownRole)) {
            assertThat(IamPrincipal.problemWith(role)).as(role).isEmpty();
            assertThat(role).startsWith("arn:aws:iam::" + TemplateValues.ACCOUNT + ":role/");
        }
        assertThat(List.of(creationRole, sweepRole, ownRole)).doesNotHaveDuplicates();
        // The other functions send those messages; they are told nothing about who may.
        for (JavaFunction function : List.of(STACK.clusterCreated(), STACK.expirySweep())) {
            assertThat(environment(function).variables()).doesNotContainKeys(
                    Setting.CLUSTER_CREATION_ROLE_ARN.variable(), Setting.EXPIRY_SWEEP_ROLE_ARN.variable(),
                    Setting.GRANT_PROCESSOR_ROLE_ARN.variable(), Setting.OUTCOME_BUS.variable());
        }
    }

    @Test
    void settingsAwaitingTheProcessorsCode_areUnreadStill() {
        DeployedEnvironment deployed = environment(STACK.grantProcessor());
        GrantProcessorConfig full = GrantProcessorConfig.from(new Environment(deployed.variables()));
        for (Setting setting : AWAITING_PROCESSOR_CODE) {
            Map<String, String> without = new HashMap<>(deployed.variables());
            without.remove(setting.variable());
            assertThatCode(() -> assertThat(GrantProcessorConfig.from(new Environment(without))).isEqualTo(full))
                    .as("GrantProcessorConfig reads " + setting.variable() + " now: take it off AWAITING_PROCESSOR_CODE")
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void configs_acceptTheDefaultDeployment_withNoAdminsAndNoCrossAccountRole() {
        EksAccessStack minimal = TestApps.minimal().stacks().hub();
        TemplateValues values = new TemplateValues(TestApps.minimal().hub(), minimal.getStackName());

        ClusterCreationConfig creation = ClusterCreationConfig.from(new Environment(asMounted(minimal,
                values.environmentOf(logicalId(minimal.clusterCreated().function())))));
        GrantProcessorConfig processor = GrantProcessorConfig.from(new Environment(asMounted(minimal,
                values.environmentOf(logicalId(minimal.grantProcessor().function())))));

        assertThat(creation.adminGrants()).isEmpty();
        assertThat(creation.crossAccountRoleName()).isEmpty();
        assertThat(processor.admins()).isEmpty();
        assertThat(processor.crossAccountRoleName()).isEmpty();
        assertThat(processor.maxGrantDuration()).isEqualTo(DeploymentConfig.DEFAULT_MAX_GRANT_DURATION);
    }

    /**
     * With every setting configured away from its default, taking any one variable away must either stop the
     * configuration (required) or change what it reads; a variable whose removal changes nothing is one the function
     * never reads, and the stack should not set it.
     */
    @Test
    void everyVariableAFunctionGets_isOneItsConfigurationReads() {
        assertEveryVariableIsRead(environment(STACK.clusterCreated()), ClusterCreationConfig::from, Set.of());
        assertEveryVariableIsRead(environment(STACK.grantProcessor()), GrantProcessorConfig::from,
                AWAITING_PROCESSOR_CODE);
        assertEveryVariableIsRead(environment(STACK.accessChanges()), AccessChangeConfig::from, Set.of());
        assertEveryVariableIsRead(environment(STACK.adoption()),
                env -> dev.eksaccess.config.AdoptionConfig.from(env, TemplateValues.REGION), Set.of());
    }

    /**
     * The converse: a setting the stack left out is one the configuration does not read. Probed by giving each
     * missing setting a malformed value: a configuration that reads it refuses to start, naming it. (Settings read
     * without validation, the processor's table names, are required: leaving them out fails the tests above.)
     */
    @Test
    void everySettingAConfigurationReads_isSetByTheStack() {
        assertNoReadSettingIsMissing(environment(STACK.clusterCreated()), ClusterCreationConfig::from);
        assertNoReadSettingIsMissing(environment(STACK.grantProcessor()), GrantProcessorConfig::from);
        assertNoReadSettingIsMissing(environment(STACK.adoption()),
                env -> dev.eksaccess.config.AdoptionConfig.from(env, TemplateValues.REGION));
        assertNoReadSettingIsMissing(environment(STACK.accessChanges()), AccessChangeConfig::from);
    }

    /**
     * The access-change function skips the calls of the grant processor's role (the stack's own role ARN) and of the
     * member role, reads member clusters through the read-only role, and publishes to the stack's bus.
     */
    @Test
    void accessChanges_skipsTheGrantProcessorsCalls_readsThroughTheReaderRole_andPublishesToTheOutcomeBus() {
        AccessChangeConfig config = AccessChangeConfig.from(new Environment(environment(STACK.accessChanges())
                .variables()));

        assertThat(config.ownHubRoleArns()).containsExactly(
                VALUES.resolve(EksAccessStackTest.arn(STACK.grantProcessor().role())));
        assertThat(config.homeAccountId()).isEqualTo(TemplateValues.ACCOUNT);
        assertThat(config.memberRoleName()).contains("HubAccess");
        assertThat(config.clusterReaderRoleName()).contains("eks-access/HubAccess-reader");
        assertThat(config.crossAccount().memberAccounts()).containsExactly(TestApps.MEMBER_ACCOUNT);
        assertThat(config.outcomeBus()).contains("eks-access-outcomes");
    }

    @Test
    void handlers_nameClassesOfTheFunctionsJarThatFitTheirTriggers() throws ReflectiveOperationException {
        // EventBridge delivers the raw CloudTrail event, which the function parses itself.
        assertThat(RequestStreamHandler.class).isAssignableFrom(handlerClass(STACK.clusterCreated()));
        // The SQS event source with ReportBatchItemFailures: SQSEvent in, SQSBatchResponse out.
        assertThat(requestHandlerTypes(handlerClass(STACK.grantProcessor())))
                .containsExactly(SQSEvent.class, SQSBatchResponse.class);
        // The EventBridge schedule sends a ScheduledEvent.
        assertThat(requestHandlerTypes(handlerClass(STACK.expirySweep()))[0]).isEqualTo(ScheduledEvent.class);
        // The access-change rule delivers the raw CloudTrail event too.
        assertThat(RequestStreamHandler.class).isAssignableFrom(handlerClass(STACK.accessChanges()));

        for (JavaFunction function : List.of(STACK.clusterCreated(), STACK.grantProcessor(), STACK.expirySweep(),
                STACK.reconciler(), STACK.accessChanges(), STACK.adoption())) {
            String[] handler = handlerOf(function).split("::");
            Class<?> type = handlerClass(function);
            // Lambda constructs the handler itself and calls the named public method.
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
            assertThat(Arrays.stream(type.getMethods()).map(java.lang.reflect.Method::getName))
                    .as(handlerOf(function)).contains(handler[1]);
        }
    }

    /** What Lambda does at init: each handler's no-argument constructor, in a JVM with the deployed environment. */
    @Test
    void everyHandler_startsWithExactlyItsDeployedEnvironment() throws IOException, InterruptedException {
        for (JavaFunction function : List.of(STACK.clusterCreated(), STACK.grantProcessor(), STACK.expirySweep(),
                STACK.reconciler(), STACK.accessChanges(), STACK.adoption())) {
            assertThat(start(function, environment(function).variables())).as(handlerOf(function))
                    .isEqualTo("started");
        }
    }

    /** The sweep has no configuration class, so its start-up is probed directly: it needs both its variables. */
    @Test
    void expirySweep_refusesToStartWithoutEitherOfItsTwoVariables() throws IOException, InterruptedException {
        Map<String, String> deployed = environment(STACK.expirySweep()).variables();
        assertThat(deployed).containsOnlyKeys(Setting.LEDGER_TABLE.variable(), Setting.GRANT_QUEUE_URL.variable())
                .containsEntry(Setting.LEDGER_TABLE.variable(), LEDGER)
                .containsEntry(Setting.GRANT_QUEUE_URL.variable(), QUEUE_URL);

        for (String variable : deployed.keySet()) {
            Map<String, String> without = new HashMap<>(deployed);
            without.remove(variable);
            assertThat(start(STACK.expirySweep(), without)).as("without " + variable)
                    .startsWith(ConfigException.class.getName() + ": " + variable + " is not set");
        }
    }

    private static void assertEveryVariableIsRead(DeployedEnvironment deployed, Function<Environment, ?> reader,
                                                  Set<Setting> excused) {
        Object full = reader.apply(new Environment(deployed.variables()));
        Set<String> excusedVariables = excused.stream().map(Setting::variable).collect(Collectors.toSet());
        for (String variable : deployed.variables().keySet()) {
            if (excusedVariables.contains(variable)) {
                continue;
            }
            Map<String, String> without = new HashMap<>(deployed.variables());
            without.remove(variable);
            Optional<Object> read;
            try {
                read = Optional.of(reader.apply(new Environment(without)));
            } catch (ConfigException required) {
                read = Optional.empty();
            }
            assertThat(read).as(deployed.function() + " is given " + variable + " but does not read it")
                    .isNotEqualTo(Optional.of(full));
        }
    }

    private static void assertNoReadSettingIsMissing(DeployedEnvironment deployed, Function<Environment, ?> reader) {
        // The deployed environment itself must be accepted, or every probe below would fail for that reason.
        reader.apply(new Environment(deployed.variables()));
        for (Setting setting : Setting.values()) {
            if (deployed.variables().containsKey(setting.variable())) {
                continue;
            }
            Map<String, String> probed = new HashMap<>(deployed.variables());
            probed.put(setting.variable(), "%not-valid for any setting%");
            assertThatCode(() -> reader.apply(new Environment(probed)))
                    .as(deployed.function() + " reads " + setting.variable() + ", which the stack does not set")
                    .doesNotThrowAnyException();
        }
    }

    private record DeployedEnvironment(String function, Map<String, String> variables) {
    }

    private static DeployedEnvironment environment(JavaFunction function) {
        return new DeployedEnvironment(handlerOf(function),
                asMounted(VALUES.environmentOf(logicalId(function.function()))));
    }

    /**
     * Lambda mounts a function's layers at {@code /opt}; here the directory synth built the eligibility layer from
     * stands in for it, so the configuration reads the very file the layer ships, at the path the stack set.
     */
    private static Map<String, String> asMounted(Map<String, String> variables) {
        return asMounted(STACK, variables);
    }

    /** The same for any synthesized hub: its layers' directories stand in for {@code /opt}. */
    static Map<String, String> asMounted(EksAccessStack stack, Map<String, String> variables) {
        Map<String, String> mounted = new LinkedHashMap<>(variables);
        Map<Setting, FileLayer> layers = new java.util.EnumMap<>(Setting.class);
        stack.eligibility().ifPresent(layer -> layers.put(Setting.ELIGIBILITY_FILE, layer));
        layers.put(Setting.DEPLOYMENT_FILE, stack.deploymentSettings());
        layers.forEach((setting, layer) -> mounted.computeIfPresent(setting.variable(), (name, path) -> {
            assertThat(path).as(name).isEqualTo(layer.fileInFunction()).startsWith(LAMBDA_LAYERS);
            return layer.directory().resolve(path.substring(LAMBDA_LAYERS.length())).toString();
        }));
        return mounted;
    }

    private static String handlerOf(JavaFunction function) {
        return (String) VALUES.properties(logicalId(function.function())).get("Handler");
    }

    private static Class<?> handlerClass(JavaFunction function) throws ClassNotFoundException {
        return Class.forName(handlerOf(function).split("::")[0], false, FunctionWiringTest.class.getClassLoader());
    }

    /** The type arguments of the {@link RequestHandler} the class implements. */
    private static Type[] requestHandlerTypes(Class<?> handler) {
        return Arrays.stream(handler.getGenericInterfaces())
                .filter(ParameterizedType.class::isInstance).map(ParameterizedType.class::cast)
                .filter(type -> type.getRawType() == RequestHandler.class)
                .findFirst().orElseThrow(() -> new AssertionError(handler + " is no RequestHandler"))
                .getActualTypeArguments();
    }

    /**
     * Starts {@link HandlerStartup} for the function's handler with exactly {@code variables} plus what Lambda sets
     * itself (region, credentials); returns its one line of output.
     */
    private static String start(JavaFunction function, Map<String, String> variables)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                HandlerStartup.class.getName(), handlerOf(function).split("::")[0]);
        builder.environment().clear();
        builder.environment().putAll(variables);
        builder.environment().put("AWS_REGION", TemplateValues.REGION);
        builder.environment().put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        List<String> output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .toList();
        process.waitFor();
        // The last line is HandlerStartup's verdict; anything before it is the JVM's or a library's.
        return output.isEmpty() ? "no output, exit " + process.exitValue() : output.get(output.size() - 1);
    }
}
