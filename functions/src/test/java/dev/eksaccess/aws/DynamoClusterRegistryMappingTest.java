package dev.eksaccess.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.registry.BootstrapStatus;
import dev.eksaccess.registry.ClusterRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoClusterRegistryMappingTest {

    private static final ClusterRecord FULL = new ClusterRecord("arn:aws:eks:eu-west-1:111122223333:cluster/payments-dev",
            "payments-dev", "111122223333", "eu-west-1", "arn:aws:iam::111122223333:role/platform/teams/eks-provisioner",
            "AssumedRole", "terraform-run-8842", "a note", "3c8d2b71-0e4f-4a6b-9d15-7f2e8c1a9b40",
            Instant.parse("2026-11-28T08:14:41Z"), "terraform", "API_AND_CONFIG_MAP", false, BootstrapStatus.PENDING,
            "waiting", Instant.parse("2026-11-28T08:14:43Z"));

    @Test
    void everyField_survivesTheRoundTrip() {
        assertThat(DynamoClusterRegistry.fromItem(DynamoClusterRegistry.toItem(FULL))).isEqualTo(FULL);
    }

    @Test
    void absentFields_areLeftOutOfTheItem_andReadBackAsNull() {
        ClusterRecord sparse = new ClusterRecord(FULL.clusterArn(), "payments-dev", "111122223333", "eu-west-1", null,
                "AWSService", null, null, "3c8d2b71-0e4f-4a6b-9d15-7f2e8c1a9b40", FULL.eventTime(), null, "API", true,
                BootstrapStatus.NOT_NEEDED, "nothing to bootstrap", FULL.updatedAt());

        Map<String, AttributeValue> item = DynamoClusterRegistry.toItem(sparse);

        assertThat(item).doesNotContainKeys("creatorPrincipalArn", "creatorSessionName", "creatorNote", "source");
        assertThat(item.get("clusterArn").s()).isEqualTo(FULL.clusterArn());
        assertThat(DynamoClusterRegistry.fromItem(item)).isEqualTo(sparse);
    }

    @Test
    void unknownStatus_isReportedWithTheItemKey() {
        Map<String, AttributeValue> item = new HashMap<>(DynamoClusterRegistry.toItem(FULL));
        item.put("bootstrapStatus", AttributeValue.fromS("WAITING"));

        assertThatThrownBy(() -> DynamoClusterRegistry.fromItem(item))
                .hasMessage("registry item " + FULL.clusterArn() + " has an unknown bootstrapStatus 'WAITING'");
    }
}
