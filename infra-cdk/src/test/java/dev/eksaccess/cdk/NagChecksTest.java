package dev.eksaccess.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AWS Solutions rules, applied by the app itself, find nothing unsuppressed. */
// Annotations.findError/findWarning still return cxapi.SynthesisMessage, which CDK has deprecated.
@SuppressWarnings("deprecation")
class NagChecksTest {

    @Test
    void hubAndSpoke_haveNoUnsuppressedAwsSolutionsErrorsOrWarnings() {
        List<Stack> stacks = Stream.of(TestApps.FULL.stacks().hub(), TestApps.FULL.stacks().spoke().orElseThrow(),
                TestApps.minimal().stacks().hub()).map(Stack.class::cast).toList();

        for (Stack stack : stacks) {
            List<SynthesisMessage> errors = Annotations.fromStack(stack)
                    .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            List<SynthesisMessage> warnings = Annotations.fromStack(stack)
                    .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));

            assertThat(errors).as(stack.getStackName() + " errors").extracting(NagChecksTest::describe).isEmpty();
            assertThat(warnings).as(stack.getStackName() + " warnings").extracting(NagChecksTest::describe).isEmpty();
        }
    }

    /**
     * The positive control: a queue without a dead-letter queue and without TLS enforcement, added to the hub the app
     * builds, is flagged. So "no findings" above means the checks ran over these stacks, not that none was applied.
     */
    @Test
    void aQueueBreakingTheRules_addedToTheHub_isFlagged() {
        EksAccessApp.Stacks stacks = EksAccessApp.build(TestApps.app(TestApps.fullContext()));
        software.amazon.awscdk.services.sqs.Queue.Builder.create(stacks.hub(), "NagPositiveControl").build();

        List<String> findings = Stream.concat(
                        Annotations.fromStack(stacks.hub()).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))
                                .stream(),
                        Annotations.fromStack(stacks.hub()).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))
                                .stream())
                .map(NagChecksTest::describe).toList();

        assertThat(findings).as("findings on the control queue, and only there").isNotEmpty()
                .allSatisfy(finding -> assertThat(finding).contains("NagPositiveControl"))
                .anySatisfy(finding -> assertThat(finding).contains("AwsSolutions-SQS4"))
                .anySatisfy(finding -> assertThat(finding).contains("AwsSolutions-SQS3"));
    }

    private static String describe(SynthesisMessage message) {
        return message.getId() + ": " + message.getEntry().getData();
    }
}
