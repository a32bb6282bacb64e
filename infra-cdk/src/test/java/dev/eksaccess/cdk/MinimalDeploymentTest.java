package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.AccessPolicies;
import dev.eksaccess.contract.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** The hub with defaults, an existing trail and a fixed cluster list ({@link TestApps#minimal()}). */
// Annotations.findWarning still returns cxapi.SynthesisMessage, which CDK has deprecated.
@SuppressWarnings("deprecation")
class MinimalDeploymentTest {

    private static final EksAccessStack STACK = TestApps.minimal().stacks().hub();
    private static final Template TEMPLATE = TestApps.minimal().hub();

    @Test
    void existingTrail_meansNoTrailAndNoBuckets() {
        TEMPLATE.resourceCountIs("AWS::CloudTrail::Trail", 0);
        TEMPLATE.resourceCountIs("AWS::S3::Bucket", 0);
        assertThat(STACK.trail()).isNull();
    }

    @Test
    void withoutOptIns_thereIsNoModeSwitchNoAssumeRoleNoSendersNoEmailAndNoSpoke() {
        List<Object> actions = TemplateJson.statementsOfRole(TEMPLATE, logicalId(STACK.grantProcessor().role()))
                .stream().flatMap(statement -> asList(statement.get("Action")).stream()).toList();

        assertThat(actions).contains("eks:CreateAccessEntry").doesNotContain("eks:UpdateClusterConfig", "sts:AssumeRole");
        assertThat(TemplateJson.allStatements(TEMPLATE)).noneMatch(s -> "AllowConfiguredSenders".equals(s.get("Sid")));
        TEMPLATE.resourceCountIs("AWS::SNS::Subscription", 0);
        TEMPLATE.resourceCountIs("AWS::Events::EventBusPolicy", 0);
        assertThat(TestApps.minimal().stacks().spoke()).isEmpty();
    }

    @Test
    void withoutAnEligibilityDocument_thereIsNoLayerAndNoVariable() {
        // Only the deployment settings layer, which the two functions reading settings always have.
        TEMPLATE.resourceCountIs("AWS::Lambda::LayerVersion", 1);
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", EksAccessStack.GRANT_REQUEST_HANDLER,
                "Layers", List.of(EksAccessStackTest.ref(STACK.deploymentSettings().layer()))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", EksAccessStack.EXPIRY_SWEEP_HANDLER,
                "Layers", Match.absent()));
        assertThat(STACK.eligibility()).isEmpty();
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", EksAccessStack.GRANT_REQUEST_HANDLER,
                "Environment", Map.of("Variables", Map.of(Setting.ELIGIBILITY_FILE.variable(), Match.absent()))));
    }

    /** Default deny is the right default, but a deployer who forgot the key must hear it at synth. */
    @Test
    void withoutAnEligibilityDocument_synthWarnsThatEveryTeamRequestWillBeDenied() {
        List<SynthesisMessage> warnings = Annotations.fromStack(STACK).findWarning("*",
                Match.stringLikeRegexp(".*" + EksAccessStack.NO_ELIGIBILITY_WARNING + ".*"));

        assertThat(warnings).singleElement().satisfies(warning -> assertThat(warning.getEntry().getData().toString())
                .contains("context key 'eligibility'").contains("every team request will be denied")
                .contains("admin bootstrap").contains("expired grants"));
        assertThat(Annotations.fromStack(STACK).findWarning("*",
                Match.stringLikeRegexp(".*" + EksAccessStack.BREAK_GLASS_WARNING + ".*"))).isEmpty();
    }

    /** No document names a sender: IAM is asked only about the functions' own roles. */
    @Test
    void withoutAnEligibilityDocument_theProcessorMayReadOnlyTheFunctionsRolesFromIam() {
        List<Map<String, Object>> iam = TemplateJson.statementsOfRole(TEMPLATE,
                logicalId(STACK.grantProcessor().role())).stream()
                .filter(statement -> asList(statement.get("Action")).toString().contains("iam:")).toList();

        assertThat(iam).singleElement().satisfies(statement -> {
            assertThat(statement.get("Sid")).isEqualTo("ResolveInternalSenders");
            assertThat(asList(statement.get("Resource"))).containsExactly(
                    EksAccessStackTest.arn(STACK.clusterCreated().role()),
                    EksAccessStackTest.arn(STACK.expirySweep().role()),
                    EksAccessStackTest.arn(STACK.grantProcessor().role()),
                    EksAccessStackTest.arn(STACK.adoption().role()));
        });
    }

    @Test
    void tracing_isOffByDefault() {
        TEMPLATE.allResourcesProperties("AWS::Lambda::Function", Map.of(
                "TracingConfig", Match.absent()));
    }

    @Test
    void defaultPolicies_areTheContractsDefaultAllowedSet() {
        Map<String, Object> associate = TemplateJson.statement(TEMPLATE, logicalId(STACK.grantProcessor().role()),
                "AssociateAllowedPoliciesOnly");

        assertThat(associate.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("eks:policyArn",
                AccessPolicies.DEFAULT_ALLOWED.stream().map(AccessPolicies::arnOf).toList())));
    }

    @Test
    void configuredClusters_limitEveryEksStatementToThoseClustersAndTheirEntries() {
        List<Map<String, Object>> eksStatements = TemplateJson.statementsOfRole(TEMPLATE,
                logicalId(STACK.grantProcessor().role())).stream()
                .filter(statement -> asList(statement.get("Action")).toString().contains("eks:")).toList();

        assertThat(eksStatements).hasSize(4);
        assertThat(eksStatements).flatExtracting(statement -> asList(statement.get("Resource")))
                .allSatisfy(resource -> assertThat(resource).isIn(
                        TestApps.PROD_CLUSTER, TestApps.STAGING_CLUSTER,
                        "arn:aws:eks:eu-west-1:111122223333:access-entry/prod/*",
                        "arn:aws:eks:eu-west-1:111122223333:access-entry/staging/*"));
    }
}
