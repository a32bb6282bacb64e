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

    private static String describe(SynthesisMessage message) {
        return message.getId() + ": " + message.getEntry().getData();
    }
}
