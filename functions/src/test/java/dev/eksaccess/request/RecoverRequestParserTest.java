package dev.eksaccess.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.contract.RequestSchema;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.testing.EventFiles;
import dev.eksaccess.testing.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recover messages ({@code events/requests/recover/}): cluster admin at cluster scope, always time-bound, nothing
 * else; the contract's {@code $defs/recover} agrees with the parser on every sample.
 */
class RecoverRequestParserTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final MessageMeta META = new MessageMeta("msg-1", NOW, "AIDASENDER", 1);
    private final RequestParser parser = new RequestParser(RequestRules.defaults("eu-west-1", "111122223333"),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private ParsedMessage parse(String name) {
        return parser.parse(RepoFiles.request("recover/" + name), META);
    }

    private AccessRequest valid(String name) {
        ParsedMessage parsed = parse(name);
        assertThat(parsed).as(name).isInstanceOf(ParsedMessage.Access.class);
        return ((ParsedMessage.Access) parsed).request();
    }

    private List<FieldError> invalid(String name) {
        ParsedMessage parsed = parse(name);
        assertThat(parsed).as(name).isInstanceOf(ParsedMessage.Invalid.class);
        return ((ParsedMessage.Invalid) parsed).errors();
    }

    @Test
    void aRecover_isClusterAdminAtClusterScope_untilItsExpiry_withNoGroupsOrUsername() {
        AccessRequest request = valid("recover-break-glass.json");

        assertThat(request.action()).isEqualTo(Action.RECOVER);
        assertThat(request.policyName()).isEqualTo("AmazonEKSClusterAdminPolicy");
        assertThat(request.scope()).isEqualTo(AccessScope.cluster());
        assertThat(request.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(request.kubernetesGroups()).isNull();
        assertThat(request.username()).isNull();
        assertThat(request.associatesPolicy()).isTrue();
        assertThat(request.reason()).startsWith("INC-4711");
    }

    @Test
    void thePolicyAndScope_mayBeGiven_whenTheyAreClusterAdminAtClusterScope() {
        AccessRequest request = valid("recover-expires-at-with-policy.json");

        assertThat(request.policyName()).isEqualTo("AmazonEKSClusterAdminPolicy");
        assertThat(request.scope()).isEqualTo(AccessScope.cluster());
        assertThat(request.expiresAt()).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
    }

    @Test
    void aRecoverWithoutDuration_isRefused_recoveryAlwaysEnds() {
        assertThat(invalid("invalid-no-duration.json")).containsExactly(new FieldError("duration",
                "is required for recover (or expiresAt): recovered access is always time-bound"));
    }

    @Test
    void aRecoverForAnotherPolicy_orScope_orWithGroups_isRefusedByName() {
        assertThat(invalid("invalid-other-policy.json")).containsExactly(new FieldError("accessPolicy",
                "'AmazonEKSEditPolicy' is not what a recover gives; only AmazonEKSClusterAdminPolicy at cluster scope"));
        assertThat(invalid("invalid-namespace-scope.json")).containsExactly(new FieldError("accessScope",
                "a recover gives cluster admin at cluster scope only: {\"type\":\"cluster\"}"));
        assertThat(invalid("invalid-with-groups.json")).containsExactly(new FieldError("kubernetesGroups",
                "unknown field"));
    }

    @Test
    void theWireForm_readsBackAsTheSameRequest() {
        AccessRequest request = valid("recover-break-glass.json");

        assertThat(((ParsedMessage.Access) parser.parse(request.toJson(), META)).request()).isEqualTo(request);
    }

    @Test
    void theSchemasRecoverDefinition_agreesWithTheParser_onEverySample() {
        List<String> samples = EventFiles.list("requests/recover");
        assertThat(samples).hasSize(6);
        for (String file : samples) {
            String body = new String(EventFiles.bytes(file), StandardCharsets.UTF_8);
            boolean parserAccepts = !(parser.parse(body, META) instanceof ParsedMessage.Invalid);
            assertThat(parserAccepts).as(file).isEqualTo(!file.contains("/invalid-"));
            assertThat(RequestSchema.validateQueueMessage(body).accepted()).as(file).isEqualTo(parserAccepts);
        }
    }
}
