package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static dev.eksaccess.cdk.TemplateJson.asList;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.OutcomeEvents;
import dev.eksaccess.contract.Setting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

/**
 * The outcome bus when context {@code outcomeBus} names an existing one: nothing is created, the grant processor is
 * told the bus as configured and may put events on that bus only. (The created bus: {@link EksAccessStackTest}.)
 */
class OutcomeBusTest {

    private static final String EXISTING_ARN = "arn:aws:events:eu-west-1:444455556666:event-bus/platform-events";

    @Test
    void createdBus_isNamedAfterTheStackInKebabCase() {
        assertThat(OutcomeBus.defaultName("EksAccess")).isEqualTo("eks-access-outcomes");
        assertThat(OutcomeBus.defaultName("EksAccessStaging2")).isEqualTo("eks-access-staging2-outcomes");
        assertThat(OutcomeBus.defaultName("eks-access-dev")).isEqualTo("eks-access-dev-outcomes");
    }

    @Test
    void existingBusByName_isThisAccountsAndRegionsBusOfThatName() {
        Fixture fixture = new Fixture(Optional.of("platform-events"));

        fixture.template.resourceCountIs("AWS::Events::EventBus", 0);
        assertThat(fixture.bus.created()).isFalse();
        assertThat(fixture.bus.setting()).isEqualTo("platform-events");
        assertThat(fixture.publishResource()).isEqualTo(Map.of("Fn::Join", List.of("", List.of("arn:",
                Map.of("Ref", "AWS::Partition"), ":events:", Map.of("Ref", "AWS::Region"), ":",
                Map.of("Ref", "AWS::AccountId"), ":event-bus/platform-events"))));
    }

    /** Another account's bus: its ARN goes to the function as is, and its own policy must let the role in. */
    @Test
    void existingBusByArn_isThatBus_inWhateverAccount() {
        Fixture fixture = new Fixture(Optional.of(EXISTING_ARN));

        fixture.template.resourceCountIs("AWS::Events::EventBus", 0);
        assertThat(fixture.bus.setting()).isEqualTo(EXISTING_ARN);
        assertThat(fixture.publishResource()).isEqualTo(EXISTING_ARN);
    }

    @Test
    void hub_withAnExistingBus_createsNone_andWiresTheConfiguredOne() {
        Map<String, Object> context = TestApps.fullContext();
        context.put("outcomeBus", EXISTING_ARN);
        TestApps.Synthesized app = TestApps.synthesize(context);
        EksAccessStack stack = app.stacks().hub();

        app.hub().resourceCountIs("AWS::Events::EventBus", 0);
        app.hub().hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", EksAccessStack.GRANT_REQUEST_HANDLER,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        Setting.OUTCOME_BUS.variable(), EXISTING_ARN)))));
        Map<String, Object> publish = TemplateJson.statement(app.hub(), logicalId(stack.grantProcessor().role()),
                "PublishOutcomeEvents");
        assertThat(asList(publish.get("Resource"))).containsExactly(EXISTING_ARN);
        assertThat(publish.get("Condition")).isEqualTo(
                Map.of("StringEquals", Map.of("events:source", OutcomeEvents.SOURCE)));
        app.hub().hasOutput("OutcomeBusName", Map.of("Value", "platform-events"));
        app.hub().hasOutput("OutcomeBusArn", Map.of("Value", EXISTING_ARN));
    }

    /** An OutcomeBus and a role allowed to publish on it, in a bare stack. */
    private static final class Fixture {

        final OutcomeBus bus;
        final Template template;
        private final Role role;

        Fixture(Optional<String> existing) {
            Stack stack = new Stack(new App(), "Bare");
            this.bus = new OutcomeBus(stack, "Outcomes", existing);
            this.role = Role.Builder.create(stack, "Publisher")
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
            bus.allowPublishing(role);
            this.template = Template.fromStack(stack);
        }

        Object publishResource() {
            Map<String, Object> publish = TemplateJson.statement(template, logicalId(role), "PublishOutcomeEvents");
            assertThat(asList(publish.get("Action"))).containsExactly("events:PutEvents");
            return publish.get("Resource");
        }
    }
}
