package dev.eksaccess.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.testing.RepoFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Logs Insights queries of docs/deploy.md (its {@code logs-insights} code blocks) run over the lines the handlers
 * really write, in a scenario with every outcome: each query selects lines, and names only fields the lines have.
 */
class LogsInsightsQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FENCE = Pattern.compile("(?ms)^```([\\w-]*)\\n(.*?)^```$");
    private static final String QUERY_BLOCK = "logs-insights";

    private static final String DEPLOY = read("docs/deploy.md");
    private static final List<JsonNode> LINES = EveryOutcomeScenario.lines().stream()
            .map(LogsInsightsQueriesTest::json).toList();

    @Test
    void everyQueryInTheDocs_selectsLinesTheFunctionsWrite_andNamesOnlyFieldsTheyHave() {
        List<InsightsQuery> queries = blocks(QUERY_BLOCK).stream().map(InsightsQuery::parse).toList();
        Set<String> written = new TreeSet<>();
        LINES.forEach(line -> line.fieldNames().forEachRemaining(written::add));

        assertThat(queries).as("the queries of docs/deploy.md").hasSizeGreaterThanOrEqualTo(8);
        assertThat(queries).allSatisfy(query -> {
            assertThat(written).as("fields named by %s", query.text()).containsAll(query.fields());
            assertThat(LINES).as("lines selected by %s", query.text()).anyMatch(query::selects);
        });
    }

    @Test
    void everyQueryInTheDocs_isInALogsInsightsBlock_soThatThisTestRunsIt() {
        String outside = FENCE.matcher(DEPLOY).replaceAll(match -> QUERY_BLOCK.equals(match.group(1)) ? "" : "$0");

        assertThat(outside).doesNotContainPattern("\\|\\s*(filter|stats|sort|fields)\\b")
                .doesNotContainPattern("(?m)^\\s*(filter|stats) ");
    }

    @Test
    void theEvaluator_followsLogsInsights_onTheOperatorsTheDocsUse() {
        JsonNode line = json("{\"level\":\"WARN\",\"outcome\":\"failed-transient\",\"reason\":\"held back to keep "
                + "order\",\"revocationsQueued\":0,\"coldStart\":true,\"awsRequestId\":null}");

        assertThat(select("filter level = \"WARN\"", line)).isTrue();
        assertThat(select("filter level != \"WARN\"", line)).isFalse();
        assertThat(select("filter missing != \"WARN\"", line)).as("no field, no match").isFalse();
        assertThat(select("filter level in [\"INFO\", \"WARN\"]", line)).isTrue();
        assertThat(select("filter reason like /held back|another invocation/", line)).isTrue();
        assertThat(select("filter reason like \"keep order\"", line)).isTrue();
        assertThat(select("filter reason like \"keep.order\"", line)).as("a string is not a pattern").isFalse();
        assertThat(select("filter revocationsQueued != 0", line)).isFalse();
        assertThat(select("filter revocationsQueued = 0 and (level = \"INFO\" or outcome = \"failed-transient\")",
                line)).isTrue();
        assertThat(select("filter ispresent(reason) and ispresent(awsRequestId)", line)).isFalse();
        assertThat(InsightsQuery.parse("filter level = \"ERROR\" | stats count(*) as lines by function | sort lines "
                + "desc | fields @timestamp, reason").fields()).containsExactly("level", "function", "reason");
    }

    private static boolean select(String query, JsonNode line) {
        return InsightsQuery.parse(query).selects(line);
    }

    /** The contents of the markdown code blocks of docs/deploy.md fenced as {@code info}. */
    private static List<String> blocks(String info) {
        List<String> blocks = new ArrayList<>();
        Matcher fence = FENCE.matcher(DEPLOY);
        while (fence.find()) {
            if (fence.group(1).equals(info)) {
                blocks.add(fence.group(2).strip());
            }
        }
        return blocks;
    }

    private static String read(String path) {
        try {
            return Files.readString(RepoFiles.root().resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
