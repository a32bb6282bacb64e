package dev.eksaccess.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassCountsTest {

    @Test
    void group_namesEachServiceModuleAndTheLibrariesTheIssueAsksAbout() {
        assertThat(ClassCounts.group("software.amazon.awssdk.services.iam.model.GetRoleRequest"))
                .isEqualTo("AWS SDK services.iam");
        assertThat(ClassCounts.group("software.amazon.awssdk.protocols.query.internal.X")).isEqualTo("AWS SDK protocols");
        assertThat(ClassCounts.group("software.amazon.awssdk.core.SdkBytes"))
                .startsWith("AWS SDK other");
        assertThat(ClassCounts.group("com.fasterxml.jackson.core.JsonFactory")).isEqualTo("Jackson");
        assertThat(ClassCounts.group("com.sun.org.apache.xerces.internal.parsers.SAXParser")).startsWith("JDK XML");
        assertThat(ClassCounts.group("javax.xml.stream.XMLInputFactory")).startsWith("JDK XML");
        assertThat(ClassCounts.group("java.lang.String")).isEqualTo("JDK other");
        assertThat(ClassCounts.group("dev.eksaccess.authz.Senders")).startsWith("project");
        assertThat(ClassCounts.group("org.slf4j.Logger")).isEqualTo("other");
    }

    @Test
    void count_readsTheClassLogAndCountsEachClassOnce() {
        List<String> log = List.of(
                "[0.010s][info][class,load] java.lang.Object source: shared objects file",
                "[0.500s][info][class,load] software.amazon.awssdk.services.eks.EksClient source: file:/f.jar",
                "[0.501s][info][class,load] software.amazon.awssdk.services.eks.model.Cluster source: file:/f.jar",
                "[0.502s][info][class,load] dev.eksaccess.authz.Senders source: file:/f.jar",
                "[0.503s][info][class,load] dev.eksaccess.authz.Senders source: file:/other.jar",
                "[0.504s][info][gc] not a class line");

        assertThat(ClassCounts.count(log)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "JDK other", 1, "AWS SDK services.eks", 2, "project (dev.eksaccess)", 1));
    }

    @Test
    void report_showsEachFunctionsDifferenceFromTheReference() {
        Map<String, Map<String, Integer>> byProbe = new LinkedHashMap<>();
        byProbe.put("SDK alone", Map.of("JDK other", 1000, "AWS SDK services.dynamodb", 300));
        byProbe.put("grant-processor", Map.of("JDK other", 1100, "AWS SDK services.dynamodb", 300,
                "AWS SDK services.iam", 321));

        String table = ClassCounts.report(byProbe, "SDK alone", "lambda");

        assertThat(table)
                .contains("| library | SDK alone | grant-processor |")
                .contains("| AWS SDK services.iam | 0 | 321 (+321) |")
                .contains("| JDK other | 1,000 | 1,100 (+100) |")
                .contains("| **total** | 1,300 | 1,721 (+421) |");
    }
}
