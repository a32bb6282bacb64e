package dev.eksaccess.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.eksaccess.request.AccessRequest;
import dev.eksaccess.testing.EventFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The contract's JSON Schema as a document: valid JSON Schema 2020-12, described field by field, naming exactly the
 * contract's fields, with the principal rule of {@link IamPrincipal} and the blank test of Java; and documented.
 */
class RequestSchemaTest {

    private static final JsonNode SCHEMA = RequestSchema.tree();

    @Test
    void isValidJsonSchema2020_12_withIdTitleAndDescription() {
        Schema metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        ObjectNode broken = SCHEMA.deepCopy();
        broken.put("type", 5);

        assertThat(metaSchema.validate(SCHEMA)).isEmpty();
        assertThat(metaSchema.validate(broken)).as("the meta-schema's verdict on a broken copy").isNotEmpty();
        assertThat(SCHEMA.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(SCHEMA.path("$id").asText()).endsWith("/access-request-v1.schema.json");
        assertThat(SCHEMA.path("title").asText()).contains("contract v1");
        assertThat(SCHEMA.path("description").asText()).isNotBlank();
    }

    @Test
    void namesExactlyTheContractsFields_eachWithADescription() {
        JsonNode bootstrap = SCHEMA.at("/$defs/bootstrap");

        assertThat(names(SCHEMA.path("properties"))).isEqualTo(AccessRequest.FIELDS);
        assertThat(names(SCHEMA.at("/properties/accessScope/properties")))
                .containsExactlyInAnyOrder(AccessRequest.SCOPE_TYPE, AccessRequest.SCOPE_NAMESPACES);
        assertThat(names(SCHEMA.at("/$defs/revoke/properties"))).isEqualTo(AccessRequest.GRANT_ONLY_FIELDS);
        assertThat(names(bootstrap.path("properties"))).isEqualTo(AccessRequest.BOOTSTRAP_FIELDS);
        assertThat(bootstrap.path("title").asText()).contains("internal");
        List<String> undescribed = new ArrayList<>();
        for (String path : List.of("/properties", "/properties/accessScope/properties", "/$defs/bootstrap/properties")) {
            SCHEMA.at(path).properties().forEach(field -> {
                if (field.getValue().path("description").asText().isBlank()) {
                    undescribed.add(path + "/" + field.getKey());
                }
            });
        }
        assertThat(undescribed).as("properties without a description").isEmpty();
    }

    @Test
    void teamsCannotSendABootstrap_butItsDefinitionAcceptsTheSample() {
        String bootstrap = new String(EventFiles.bytes("requests/bootstrap.json"), StandardCharsets.UTF_8);

        assertThat(RequestSchema.validate(bootstrap).accepted()).isFalse();
        assertThat(RequestSchema.validateBootstrap(bootstrap).accepted()).isTrue();
        assertThat(SCHEMA.at("/properties/action/enum").toString()).isEqualTo("[\"grant\",\"revoke\"]");
    }

    @Test
    void principalArnRule_isIamPrincipalsPattern_anchored_withItsLengthLimit() {
        JsonNode principal = SCHEMA.at("/properties/principalArn");

        assertThat(principal.path("pattern").asText()).isEqualTo("^" + IamPrincipal.USER_OR_ROLE.pattern() + "$");
        assertThat(principal.path("maxLength").asInt()).isEqualTo(IamPrincipal.MAX_LENGTH);
    }

    @Test
    void notBlank_isJavasIsBlank_forEveryCharacterOfTheBasicPlane() {
        Pattern notBlank = Pattern.compile(SCHEMA.at("/$defs/notBlank/pattern").asText());
        List<String> disagreements = new ArrayList<>();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String text = String.valueOf(c);
            if (notBlank.matcher(text).find() == text.isBlank()) {
                disagreements.add(String.format("U+%04X", (int) c));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void docsSayWhereTheSchemaIs_andListEveryRuleOnlyTheProcessorChecks() throws IOException {
        String docs = Files.readString(RequestSchema.repoRoot().resolve("docs/grant-requests.md"));
        String readme = Files.readString(RequestSchema.repoRoot().resolve("README.md"));

        assertThat(docs).contains(RequestSchema.REPO_PATH);
        assertThat(readme).contains("access-request-v1.schema.json");
        for (ProcessorOnlyRule rule : ProcessorOnlyRule.values()) {
            assertThat(docs).as("docs/grant-requests.md names %s", rule).contains(rule.label());
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
