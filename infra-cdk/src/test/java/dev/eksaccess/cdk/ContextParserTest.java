package dev.eksaccess.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.config.Environment;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.DeploymentSettings;
import dev.eksaccess.contract.IamPrincipal;
import dev.eksaccess.contract.IamRoleName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Context parsing and validation, without CDK: plain maps stand in for {@code node.tryGetContext}. */
class ContextParserTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/platform/Admin";

    @TempDir
    Path temp;

    private DeploymentConfig parse(Map<String, Object> context) {
        Map<String, Object> withJar = new HashMap<>(context);
        withJar.putIfAbsent("functionsJar", jar().toString());
        return ContextParser.parse(withJar, Path.of("unused.jar"));
    }

    private List<String> problems(Map<String, Object> context) {
        return catchThrowableOfType(ConfigException.class, () -> parse(context)).problems();
    }

    private Path jar() {
        try {
            Path jar = temp.resolve("functions.jar");
            if (!Files.exists(jar)) {
                Files.writeString(jar, "jar");
            }
            return jar;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void documentedExample_cdkContextExampleJson_isValid() throws IOException {
        Map<String, Object> example = new ObjectMapper().readValue(Path.of("cdk.context.example.json").toFile(),
                new TypeReference<Map<String, Object>>() { });

        DeploymentConfig config = parse(example);

        assertThat(config.adminPrincipals()).hasSize(3);
        assertThat(config.senderPrincipals()).hasSize(2);
        assertThat(config.crossAccountRoleName()).contains("eks-access/HubAccess");
        assertThat(config.eligibility()).isPresent();
        // Empty: the stack creates the bus.
        assertThat(config.outcomeBus()).isEmpty();
    }

    @Test
    void emptyContext_givesTheDocumentedDefaults() {
        DeploymentConfig config = parse(Map.of());

        assertThat(config.adminPrincipals()).isEmpty();
        assertThat(config.allowedPolicies()).isEqualTo(AccessPolicies.DEFAULT_ALLOWED);
        assertThat(config.senderPrincipals()).isEmpty();
        assertThat(config.allowAuthModeSwitch()).isFalse();
        assertThat(config.creatorAdmin()).isFalse();
        assertThat(config.existingTrail()).isFalse();
        assertThat(config.alarmEmail()).isEmpty();
        assertThat(config.crossAccountRoleName()).isEmpty();
        assertThat(config.maxGrantDuration()).isEqualTo(Duration.ofDays(7));
        assertThat(config.clusterArns()).isEmpty();
        assertThat(config.associablePolicies()).isEqualTo(AccessPolicies.DEFAULT_ALLOWED);
        assertThat(config.organizationId()).isEmpty();
        assertThat(config.crossAccountExternalId()).isEmpty();
        assertThat(config.logRetentionDays()).isEqualTo(30);
    }

    @Test
    void trustBindingAndLogRetention_areCheckedWithoutEchoingTheExternalId() {
        DeploymentConfig config = parse(Map.of("organizationId", "o-a1b2c3d4e5",
                "crossAccountExternalId", "eks-access:hub/1", "logRetentionDays", "365"));
        assertThat(config.organizationId()).contains("o-a1b2c3d4e5");
        assertThat(config.crossAccountExternalId()).contains("eks-access:hub/1");
        assertThat(config.logRetentionDays()).isEqualTo(365);
        assertThat(parse(Map.of("logRetentionDays", 90)).logRetentionDays()).isEqualTo(90);

        assertThat(problems(Map.of("organizationId", "123456789012", "crossAccountExternalId", "secret value!",
                "logRetentionDays", "31"))).containsExactly(
                "context organizationId: '123456789012' is not " + ContextKey.ORGANIZATION_ID.expected(),
                "context crossAccountExternalId: is not " + ContextKey.CROSS_ACCOUNT_EXTERNAL_ID.expected(),
                "context logRetentionDays: '31' is not " + ContextKey.LOG_RETENTION_DAYS.expected());
    }

    @Test
    void driftRestoreKeys_goIntoTheDeploymentSettingsFile_andBadValuesAreNamed() {
        DeploymentConfig config = parse(Map.of("driftRestoreClusters", List.of("payments-*",
                "arn:aws:eks:eu-west-1:111122223333:cluster/prod-*"), "driftRestoreWindow", "PT2H"));
        DeploymentSettings file = DeploymentSettings.parse(config.deploymentSettings().toJson());
        assertThat(file.driftRestoreClusters()).containsExactly("payments-*",
                "arn:aws:eks:eu-west-1:111122223333:cluster/prod-*");
        assertThat(file.driftRestoreWindow()).isEqualTo(Duration.ofHours(2));
        assertThat(parse(Map.of()).deploymentSettings().driftRestoreWindow())
                .isEqualTo(DeploymentSettings.DEFAULT_DRIFT_RESTORE_WINDOW);

        assertThatThrownBy(() -> parse(Map.of("driftRestoreWindow", "two hours")))
                .hasMessageContaining("context driftRestoreWindow: 'two hours' is not an ISO-8601 duration");
        assertThatThrownBy(() -> parse(Map.of("driftRestoreWindow", "P2D")))
                .hasMessageContaining("$.driftRestoreWindow: 'PT48H' is not an ISO-8601 duration of more than zero "
                        + "and at most PT24H");
        assertThatThrownBy(() -> parse(Map.of("driftRestoreClusters", List.of("a b"))))
                .hasMessageContaining("$.driftRestoreClusters[0]: 'a b' is not a cluster name pattern");
    }

    @Test
    void adminPrincipals_acceptObjectsAndArnEqualsPolicyStrings() {
        DeploymentConfig config = parse(Map.of("adminPrincipals", List.of(
                Map.of("principalArn", ROLE, "policy", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy"),
                "arn:aws:iam::111122223333:user/break-glass",
                "arn:aws:iam::111122223333:role/viewers=AmazonEKSViewPolicy")));

        assertThat(config.adminPrincipals()).containsExactly(
                new AdminPrincipal(ROLE, "AmazonEKSAdminPolicy"),
                new AdminPrincipal("arn:aws:iam::111122223333:user/break-glass", "AmazonEKSClusterAdminPolicy"),
                new AdminPrincipal("arn:aws:iam::111122223333:role/viewers", "AmazonEKSViewPolicy"));
    }

    @Test
    void commandLineStrings_areCommaSeparatedListsAndTextBooleans() {
        DeploymentConfig config = parse(Map.of(
                "allowedPolicies", "AmazonEKSViewPolicy, AmazonEKSEditPolicy",
                "senderPrincipals", "123456789012,arn:aws:iam::123456789012:role/portal",
                "allowAuthModeSwitch", "TRUE",
                "maxGrantDuration", "PT8H"));

        assertThat(config.allowedPolicies()).containsExactly("AmazonEKSViewPolicy", "AmazonEKSEditPolicy");
        assertThat(config.senderPrincipals()).containsExactly("123456789012", "arn:aws:iam::123456789012:role/portal");
        assertThat(config.allowAuthModeSwitch()).isTrue();
        assertThat(config.maxGrantDuration()).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void stsSessionArn_isRefusedWithTheHintToUseTheRoleArn() {
        List<String> problems = problems(Map.of("adminPrincipals", List.of(ROLE,
                "arn:aws:sts::111122223333:assumed-role/Admin/jane")));

        assertThat(problems).containsExactly("context adminPrincipals[1]: 'arn:aws:sts::111122223333:assumed-role/Admin/jane'"
                + " is an STS assumed-role session ARN; send the IAM role ARN with its path instead, e.g."
                + " arn:aws:iam::ACCOUNT:role/PATH/Admin (aws iam get-role --role-name Admin shows it)");
    }

    @Test
    void adminPrincipals_followTheFunctionsRule_soSynthRefusesWhatTheFunctionsWouldRefuseAtStartUp() {
        String serviceLinked = "arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS";
        String nameTooLong = "arn:aws:iam::111122223333:role/" + "r".repeat(65);
        String commaInName = "arn:aws:iam::111122223333:role/ops/Admin,Team";

        List<String> problems = problems(Map.of("adminPrincipals", List.of(serviceLinked, nameTooLong, commaInName)));

        assertThat(problems).containsExactly(
                "context adminPrincipals[0]: '" + serviceLinked + "' " + IamPrincipal.problemWith(serviceLinked).orElseThrow(),
                "context adminPrincipals[1]: '" + nameTooLong + "' " + IamPrincipal.problemWith(nameTooLong).orElseThrow());
        assertThat(problems.get(0)).contains("service-linked role");
        assertThat(parse(Map.of("adminPrincipals", List.of(commaInName))).adminPrincipals())
                .as("a comma is valid in IAM names, and the functions accept it")
                .extracting(AdminPrincipal::principalArn).containsExactly(commaInName);
    }

    @Test
    void crossAccountRoleName_followsTheFunctionsRule_soSynthRefusesWhatTheFunctionsWouldRefuseAtStartUp() {
        for (String name : List.of("arn:aws:iam::111122223333:role/HubAccess", "/eks-access/HubAccess",
                "eks-access/", "Hub Access", "r".repeat(65))) {
            assertThat(problems(Map.of("crossAccountRoleName", name))).as(name).containsExactly(
                    "context crossAccountRoleName: '" + name + "' " + IamRoleName.problemWith(name).orElseThrow());
            assertThatThrownBy(() -> GrantProcessorConfig.from(functionsEnvironment(name)))
                    .as("the grant processor refuses " + name)
                    .hasMessageStartingWith("CROSS_ACCOUNT_ROLE_NAME has an invalid value '" + name + "'");
        }
        String withPath = "eks-access/Hub+Access=,.@_-1";
        assertThat(parse(Map.of("crossAccountRoleName", withPath)).crossAccountRoleName()).contains(withPath);
        assertThat(GrantProcessorConfig.from(functionsEnvironment(withPath)).crossAccountRoleName())
                .contains(withPath);
    }

    /** What the grant processor would read, with the given role name. */
    private static Environment functionsEnvironment(String roleName) {
        return new Environment(Map.of("LEDGER_TABLE", "ledger", "REGISTRY_TABLE", "registry",
                "GRANT_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/111122223333/grants",
                "CROSS_ACCOUNT_ROLE_NAME", roleName));
    }

    @Test
    void everyProblem_isReportedAtOnceNamingItsKey() {
        List<String> problems = problems(Map.of(
                "adminPrincipals", List.of(Map.of("principalArn", ROLE, "policy", "NotAPolicy!")),
                "allowedPolicies", List.of("AmazonEKSViewPolicy", "arn:aws:iam::aws:policy/AdministratorAccess"),
                "senderPrincipals", List.of("12345", "arn:aws:iam::111122223333:role/*"),
                "allowAuthModeSwitch", "yes",
                "alarmEmail", "oncall",
                "crossAccountRoleName", "arn:aws:iam::111122223333:role/HubAccess",
                "maxGrantDuration", "7 days",
                "clusterArns", List.of("arn:aws:eks:eu-west-1:111122223333:nodegroup/prod"),
                "functionsJar", temp.resolve("missing.jar").toString()));

        assertThat(problems).hasSize(10).allSatisfy(problem -> assertThat(problem).startsWith("context "));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("context adminPrincipals[0]: policy 'NotAPolicy!'"))
                .anySatisfy(p -> assertThat(p).startsWith("context allowedPolicies[1]: 'arn:aws:iam::aws:policy/AdministratorAccess'"))
                .anySatisfy(p -> assertThat(p).startsWith("context senderPrincipals[0]: '12345' must be an IAM user or role ARN"))
                .anySatisfy(p -> assertThat(p).startsWith("context senderPrincipals[1]:").contains("wildcard"))
                .anySatisfy(p -> assertThat(p).isEqualTo("context allowAuthModeSwitch: 'yes' is not true or false"))
                .anySatisfy(p -> assertThat(p).isEqualTo("context alarmEmail: 'oncall' is not an e-mail address"))
                .anySatisfy(p -> assertThat(p).startsWith("context crossAccountRoleName:").contains("not the ARN"))
                .anySatisfy(p -> assertThat(p).startsWith("context maxGrantDuration: '7 days' is not"))
                .anySatisfy(p -> assertThat(p).startsWith("context clusterArns[0]:"))
                .anySatisfy(p -> assertThat(p).startsWith("context functionsJar:").contains("./mvnw package"));
    }

    @Test
    void outcomeBus_isAnExistingBusByNameOrArn_andUnsetOrBlankMeansTheStackCreatesOne() {
        String arn = "arn:aws:events:eu-west-1:444455556666:event-bus/platform-events";
        assertThat(parse(Map.of()).outcomeBus()).isEmpty();
        assertThat(parse(Map.of("outcomeBus", " ")).outcomeBus()).isEmpty();
        assertThat(parse(Map.of("outcomeBus", "platform-events")).outcomeBus()).contains("platform-events");
        assertThat(parse(Map.of("outcomeBus", "aws.partner/example.com/123/events")).outcomeBus())
                .contains("aws.partner/example.com/123/events");
        assertThat(parse(Map.of("outcomeBus", arn)).outcomeBus()).contains(arn);

        for (String wrong : List.of("platform events", "arn:aws:sqs:eu-west-1:444455556666:platform-events",
                "arn:aws:events:eu-west-1:444455556666:rule/platform-events", "x".repeat(257))) {
            assertThat(problems(Map.of("outcomeBus", wrong))).as(wrong).singleElement().asString()
                    .isEqualTo("context outcomeBus: '" + wrong + "' is not an EventBridge event bus name (1-256"
                            + " letters, digits, '.', '-', '_', '/') or ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)");
        }
    }

    @Test
    void misspeltKey_isRefusedButCdksOwnKeysAreNot() {
        assertThat(problems(Map.of("adminPrincipal", List.of(ROLE),
                "@aws-cdk/core:enablePartitionLiterals", true, "aws:cdk:enable-path-metadata", true)))
                .singleElement().asString().startsWith("context adminPrincipal: unknown key; known keys are [adminPrincipals,");
    }

    @Test
    void duplicatesAndEmptyLists_areRefused() {
        assertThat(problems(Map.of("adminPrincipals", List.of(ROLE, ROLE + "=AmazonEKSViewPolicy"))))
                .containsExactly("context adminPrincipals[1]: '" + ROLE + "' is listed twice");
        assertThat(problems(Map.of("allowedPolicies", List.of())))
                .singleElement().asString().startsWith("context allowedPolicies: is empty");
    }

    @Test
    void associablePolicies_addAdminPoliciesAndClusterAdminForTheCreator() {
        DeploymentConfig config = parse(Map.of(
                "allowedPolicies", List.of("AmazonEKSViewPolicy"),
                "adminPrincipals", List.of(ROLE + "=AmazonEKSAdminPolicy"),
                "creatorAdmin", true));

        assertThat(config.associablePolicies())
                .containsExactly("AmazonEKSViewPolicy", "AmazonEKSAdminPolicy", "AmazonEKSClusterAdminPolicy");
    }

    @Test
    void spoke_isOnlyParsedWhenAskedForAndNeedsTheRoleName() {
        DeploymentConfig hub = parse(Map.of());
        assertThat(ContextParser.parseSpoke(Map.of(), hub)).isEmpty();

        ConfigException missing = catchThrowableOfType(ConfigException.class, () -> ContextParser.parseSpoke(
                Map.of("hubAccount", "1234", "hubRoleArn", "arn:aws:sts::111122223333:assumed-role/x/y"),
                hub));
        assertThat(missing.problems()).containsExactly(
                "context hubAccount: '1234' is not the hub's 12-digit account id (spoke stack only)",
                "context hubRoleArn: 'arn:aws:sts::111122223333:assumed-role/x/y' is an STS assumed-role session ARN;"
                        + " send the IAM role ARN with its path instead, e.g. arn:aws:iam::ACCOUNT:role/PATH/x"
                        + " (aws iam get-role --role-name x shows it)",
                "context crossAccountRoleName: is required for the spoke stack; expected an IAM role name, optionally"
                        + " with its path (path/name)",
                "context organizationId or crossAccountExternalId: one is required for the spoke stack, whose role's"
                        + " trust requires aws:PrincipalOrgID or sts:ExternalId of the hub's role");

        DeploymentConfig withRole = parse(Map.of("crossAccountRoleName", "HubAccess",
                "organizationId", "o-a1b2c3d4e5"));
        assertThat(ContextParser.parseSpoke(Map.of("hubAccount", "111122223333",
                "hubRoleArn", "arn:aws:iam::111122223333:role/hub"), withRole))
                .contains(new SpokeConfig("111122223333", "arn:aws:iam::111122223333:role/hub"));
        assertThat(withRole.crossAccountRoleName()).isEqualTo(Optional.of("HubAccess"));

        // The cluster-creation role the spoke trusts too: an IAM role ARN, never a session or a wildcard.
        ConfigException badCreationRole = catchThrowableOfType(ConfigException.class, () -> ContextParser.parseSpoke(
                Map.of("hubAccount", "111122223333", "hubRoleArn", "arn:aws:iam::111122223333:role/hub",
                        "hubClusterCreationRoleArn", "arn:aws:sts::111122223333:assumed-role/creation/s"), withRole));
        assertThat(badCreationRole.problems()).singleElement().asString()
                .startsWith("context hubClusterCreationRoleArn: 'arn:aws:sts::111122223333:assumed-role/creation/s' is an"
                        + " STS assumed-role session ARN");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ContextParser.parseSpoke(Map.of("hubAccount",
                "111122223333", "hubRoleArn", "arn:aws:iam::111122223333:role/hub", "hubClusterCreationRoleArn", "*"),
                withRole)).problems()).singleElement().asString().startsWith("context hubClusterCreationRoleArn: '*'");
        assertThat(ContextParser.parseSpoke(Map.of("hubAccount", "111122223333",
                "hubRoleArn", "arn:aws:iam::111122223333:role/hub",
                "hubClusterCreationRoleArn", "arn:aws:iam::111122223333:role/creation"), withRole))
                .contains(new SpokeConfig("111122223333", "arn:aws:iam::111122223333:role/hub",
                        Optional.of("arn:aws:iam::111122223333:role/creation")));
    }

    /** The documented example, read from the repository's events/ as the deployment examples point to it. */
    static final Path EXAMPLE_ELIGIBILITY = Path.of("..", "events", "eligibility", "example.json");

    @Test
    void eligibility_isReadAndParsed_keepingTheTextExactlyAsValidated() throws IOException {
        DeploymentConfig config = parse(Map.of("eligibility", EXAMPLE_ELIGIBILITY.toString()));

        EligibilityFile eligibility = config.eligibility().orElseThrow();
        assertThat(eligibility.path()).isEqualTo(EXAMPLE_ELIGIBILITY);
        assertThat(eligibility.text()).isEqualTo(Files.readString(EXAMPLE_ELIGIBILITY));
        assertThat(eligibility.document().rule("sre-admin-with-approval")).isPresent();
        assertThat(parse(Map.of()).eligibility()).isEmpty();
    }

    @Test
    void eligibility_withProblems_isRefusedWithEachProblemsPathInTheDocument() throws IOException {
        // The SRE rule without its approval: cluster admin that nobody approves.
        Path document = temp.resolve("eligibility.json");
        Files.writeString(document, Files.readString(EXAMPLE_ELIGIBILITY).replace("\"approval\":", "\"approvalx\":"));

        assertThat(problems(Map.of("eligibility", document.toString()))).hasSize(2)
                .anySatisfy(problem -> assertThat(problem).startsWith(
                        "context eligibility: $.rules[1]: grants AmazonEKSClusterAdminPolicy without approval:"))
                .anySatisfy(problem -> assertThat(problem).startsWith(
                        "context eligibility: $.rules[1].approvalx: unknown field"));
    }

    @Test
    void eligibility_missingFile_isRefused() {
        Path missing = temp.resolve("missing.json");

        assertThat(problems(Map.of("eligibility", missing.toString()))).containsExactly(
                "context eligibility: '" + missing + "' is not a file (resolved to " + missing + "); expected "
                        + ContextKey.ELIGIBILITY.expected());
    }

    @Test
    void clusterSelectionAndOrganisation_areReadAndChecked() {
        DeploymentConfig config = parse(Map.of("clusterNamePatterns", "payments-*,platform-prod",
                "clusterTag", "eks-access=enabled", "organizationId", "o-a1b2c3d4e5", "organizationMembers", true));

        assertThat(config.clusterNamePatterns()).containsExactly("payments-*", "platform-prod");
        assertThat(config.clusterTag()).contains(new ClusterTag("eks-access", "enabled"));
        assertThat(config.organizationMembers()).isTrue();
        assertThat(config.deploymentSettings().memberOrganization()).contains("o-a1b2c3d4e5");
        assertThat(parse(Map.of("organizationId", "o-a1b2c3d4e5")).deploymentSettings().memberOrganization())
                .as("the organization binds the spoke's trust; only organizationMembers makes its accounts members")
                .isEmpty();

        assertThat(problems(Map.of("clusterNamePatterns", List.of("payments/*"), "clusterTag", "=x",
                "organizationMembers", true, "memberAccounts", List.of("222233334444")))).containsExactly(
                "context clusterNamePatterns[0]: 'payments/*' is not " + ContextKey.CLUSTER_NAME_PATTERNS.expected(),
                "context clusterTag: '=x' is not " + ContextKey.CLUSTER_TAG.expected()
                        + " (1 to 128 letters, digits, spaces and _.:/=+-@ each side; not aws:)",
                "context organizationMembers: needs organizationId, the organization whose accounts are the members",
                "context memberAccounts: is not used with organizationMembers (every account of the organization is a"
                        + " member): remove one of them");
    }
}
