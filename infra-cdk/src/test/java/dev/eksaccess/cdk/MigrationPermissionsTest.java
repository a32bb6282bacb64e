package dev.eksaccess.cdk;

import static dev.eksaccess.cdk.EksAccessStackTest.logicalId;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * EC2_LINUX entries (migrated node roles) may be created only when the eligibility document has a migration rule, in
 * a statement of their own whose condition names that one type; the STANDARD statement stays as it is.
 */
class MigrationPermissionsTest {

    private static final String MIGRATION_ELIGIBILITY = "../events/eligibility/migration.json";

    @Test
    void aMigrationRule_addsCreateAccessEntry_forEc2LinuxOnly() {
        Map<String, Object> context = new LinkedHashMap<>(TestApps.fullContext());
        context.put("eligibility", MIGRATION_ELIGIBILITY);
        TestApps.Synthesized app = TestApps.synthesize(context);
        String role = logicalId(app.stacks().hub().grantProcessor().role());

        Map<String, Object> nodes = TemplateJson.statement(app.hub(), role, "CreateMigratedNodeEntriesOnly");
        assertThat(nodes.get("Action")).isEqualTo("eks:CreateAccessEntry");
        assertThat(nodes.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("eks:accessEntryType", "EC2_LINUX")));
        assertThat(TemplateJson.statement(app.hub(), role, "CreateStandardAccessEntries").get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("eks:accessEntryType", "STANDARD")));
        assertThat(TemplateJson.statementsOfRole(app.spoke(), logicalId(app.stacks().spoke().orElseThrow()
                .hubAccessRole())).stream().map(statement -> statement.get("Sid")))
                .contains("CreateMigratedNodeEntriesOnly");
    }

    @Test
    void withoutAMigrationRule_noNodeEntryMayBeCreated() {
        String role = logicalId(TestApps.FULL.stacks().hub().grantProcessor().role());

        assertThat(TemplateJson.statementsOfRole(TestApps.FULL.hub(), role))
                .filteredOn(statement -> List.of("eks:CreateAccessEntry").equals(List.of(statement.get("Action")))
                        || String.valueOf(statement.get("Action")).contains("CreateAccessEntry"))
                .extracting(statement -> statement.get("Condition"))
                .containsOnly(Map.of("StringEquals", Map.of("eks:accessEntryType", "STANDARD")));
    }
}
