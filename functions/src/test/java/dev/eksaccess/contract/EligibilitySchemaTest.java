package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.contract.eligibility.EligibilityDocumentException;
import dev.eksaccess.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The eligibility document's JSON Schema, for editors and for checks before a deploy, agrees with the parser that
 * cdk synth and the functions run: every shape the schema refuses, the parser refuses too; what only the parser
 * refuses is a rule a schema cannot express, listed in the schema's description.
 */
class EligibilitySchemaTest {

    static final JsonSchemaFile SCHEMA = new JsonSchemaFile("dev/eksaccess/contract/eligibility-v1.schema.json");
    static final ObjectMapper JSON = new ObjectMapper();

    static final String RULE = "\"id\":\"r\",\"senders\":[\"arn:aws:iam::111122223333:role/teams/ci\"],"
            + "\"clusters\":{\"names\":[\"*\"]},\"principals\":{\"self\":true},\"policies\":[\"AmazonEKSViewPolicy\"],"
            + "\"scopes\":{\"cluster\":true}";

    static String document(String ruleFields) {
        return "{\"version\":1,\"rules\":[{" + ruleFields + "}]}";
    }

    static List<String> schemaErrors(String text) throws IOException {
        JsonNode json = JSON.readTree(text);
        return SCHEMA.errors(json);
    }

    static boolean parserAccepts(String text) {
        try {
            EligibilityDocument.parse(text);
            return true;
        } catch (EligibilityDocumentException e) {
            return false;
        }
    }

    @Test
    void everyEligibilitySample_isValid_forTheSchemaAndTheParser() throws IOException {
        try (var files = Files.list(RepoFiles.root().resolve("events/eligibility"))) {
            List<java.nio.file.Path> samples = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(samples).isNotEmpty();
            for (java.nio.file.Path sample : samples) {
                String text = Files.readString(sample);
                assertThat(schemaErrors(text)).as(sample.toString()).isEmpty();
                assertThat(parserAccepts(text)).as(sample.toString()).isTrue();
            }
        }
    }

    /** Shapes both refuse: the schema names the problem before a deploy does. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown field                | ,"colour":"red"
            STS session as sender        | ,"senders":["arn:aws:sts::111122223333:assumed-role/x/y"]
            no sender                    | ,"senders":[]
            policy with a space          | ,"policies":["Admin Policy"]
            system group                 | ,"kubernetesGroups":["system:masters"]
            reserved username pattern    | ,"usernames":["eks:*"]
            username pattern reaching system: | ,"usernames":["sys*"]
            empty cluster selector       | ,"clusters":{}
            short account                | ,"clusters":{"accounts":["1234"]}
            no principal                 | ,"principals":{"self":false}
            no scope                     | ,"scopes":{"cluster":false}
            upper-case namespace         | ,"scopes":{"namespaces":["Payments"]}
            negative duration            | ,"maxDuration":"-PT1H"
            zero approvals               | ,"approval":{"approvers":["arn:aws:iam::111122223333:role/a"],"count":0}
            bad rule id                  | ,"id":"has space"
            break glass as text          | ,"breakGlass":"yes"
            """)
    void aShapeTheSchemaRefuses_theParserRefusesToo(String name, String override) throws IOException {
        String text = document(RULE + override);

        assertThat(schemaErrors(text)).as("schema on " + name).isNotEmpty();
        assertThat(parserAccepts(text)).as("parser on " + name).isFalse();
    }

    /** What only the parser can judge: across rules, across fields, or against the deployment's limits. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            admin without approval nor limit | ,"policies":["AmazonEKSClusterAdminPolicy"]
            more approvals than approvers    | ,"approval":{"approvers":["arn:aws:iam::111122223333:role/a"],"count":2}
            approval timeout over 7 days     | ,"approval":{"approvers":["arn:aws:iam::111122223333:role/a"],"timeout":"P30D"}
            """)
    void aRuleOnlyTheParserCanJudge_passesTheSchema_andIsRefusedAtSynth(String name, String override)
            throws IOException {
        String text = document(RULE + override);

        assertThat(schemaErrors(text)).as("schema on " + name).isEmpty();
        assertThat(parserAccepts(text)).as("parser on " + name).isFalse();
    }

    @Test
    void repeatedRuleIds_areForTheParserToRefuse() throws IOException {
        String text = "{\"version\":1,\"rules\":[{" + RULE + "},{" + RULE + "}]}";

        assertThat(schemaErrors(text)).isEmpty();
        assertThat(parserAccepts(text)).isFalse();
    }

    @Test
    void theSchemasDescription_namesEveryRuleOnlyTheParserChecks() {
        assertThat(SCHEMA.tree().path("description").asText())
                .contains("unique rule ids", "count does not exceed the approvers", "timeouts are at most 7 days",
                        "admin-class policies come with approval and maxDuration unless breakGlass");
    }
}
