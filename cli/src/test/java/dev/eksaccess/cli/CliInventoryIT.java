package dev.eksaccess.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eksaccess.aws.DynamoInventory;
import dev.eksaccess.cli.CliHarness.Run;
import dev.eksaccess.contract.Tables;
import dev.eksaccess.eks.AccessScope;
import dev.eksaccess.eks.AssociatedPolicy;
import dev.eksaccess.inventory.ClusterInventory;
import dev.eksaccess.inventory.Flag;
import dev.eksaccess.inventory.InventoryEntry;
import dev.eksaccess.inventory.Origin;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.testsupport.AwsBackend;
import dev.eksaccess.testsupport.DynamoDbTables;
import dev.eksaccess.testsupport.EmulatedAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code inventory} and {@code who-can} against emulated DynamoDB (dynalite), reading a snapshot the reconciler's own
 * adapter wrote, through the SDK's default credentials chain as a team member's CLI would.
 */
@Tag("integration")
@ExtendWith(EmulatedAws.class)
class CliInventoryIT {

    static final String PAYMENTS = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod";
    static final String LEGACY = "arn:aws:eks:eu-west-1:111122223333:cluster/legacy";
    static final String GONE = "arn:aws:eks:eu-west-1:444455556666:cluster/gone";
    static final String CREATOR = "arn:aws:iam::111122223333:role/platform/cluster-creator";
    static final String DEV = "arn:aws:iam::111122223333:role/teams/payments-dev";
    static final String DEPARTED = "arn:aws:iam::111122223333:role/people/departed";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final String ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

    private final AwsBackend aws;
    private String table;

    CliInventoryIT(AwsBackend aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTheTable_andExposeCredentialsToTheDefaultChain() {
        table = DynamoDbTables.createUnique(aws.dynamoDb(), "cli-inventory", Tables.INVENTORY);
        CliHarness.exposeToDefaultChain(aws);
    }

    @AfterEach
    void forgetCredentials() {
        CliHarness.forgetDefaultChainCredentials();
    }

    private void publish() {
        new DynamoInventory(aws.dynamoDb(), table).publish(new Snapshot("reconcile-1",
                CliHarness.NOW.minus(Duration.ofHours(3)), List.of(
                new ClusterInventory(PAYMENTS, "API_AND_CONFIG_MAP", null, Set.of(), List.of(
                        new InventoryEntry(PAYMENTS, CREATOR, "STANDARD", List.of(), null,
                                List.of(new AssociatedPolicy(ADMIN, AccessScope.cluster())), Origin.CREATOR, null,
                                null, Set.of()),
                        new InventoryEntry(PAYMENTS, DEV, "STANDARD", List.of("payments, readers"), "dev",
                                List.of(new AssociatedPolicy(VIEW, AccessScope.namespaces(List.of("pay", "pay-*")))),
                                Origin.SYSTEM, "req-42", CliHarness.NOW.minus(Duration.ofHours(1)), Set.of()),
                        new InventoryEntry(PAYMENTS, DEPARTED, "STANDARD", List.of("auditors"), null, List.of(),
                                Origin.EXTERNAL, null, null, Set.of(Flag.NO_POLICY, Flag.PRINCIPAL_GONE)))),
                new ClusterInventory(LEGACY, "CONFIG_MAP", null, Set.of(Flag.CONFIG_MAP), List.of()),
                ClusterInventory.unreadable(GONE, "EksNotFoundException: No cluster found for name: gone."))));
    }

    private Run cli(String... args) {
        CliContext context = new CliContext(CliHarness.CLOCK, Map.of(CliContext.INVENTORY_TABLE_VARIABLE, table),
                CliHarness.NO_SQS, DynamoDbConnector.defaultChain(), CliHarness.NO_STS);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--region", aws.region().id(), "--endpoint-url", aws.dynamoDbEndpoint().toString()));
        return CliHarness.run(context, all.toArray(String[]::new));
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(item -> item.get(field).asText()).toList();
    }

    @Test
    void inventory_table_showsEveryClusterAndEntry_withFlags_andWhoMadeIt() {
        publish();

        Run result = cli("inventory");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("inventory snapshot reconcile-1 taken 2026-11-28T07:00:00Z "
                + "(3 registered clusters)");
        assertThat(result.out()).contains(String.join("\n",
                PAYMENTS + "  API_AND_CONFIG_MAP",
                "  PRINCIPAL                                                TYPE      POLICIES                       "
                        + "           MADE BY            EXPIRES               FLAGS",
                "  " + DEPARTED + "           STANDARD  -                                         external        "
                        + "   -                     NO_POLICY PRINCIPAL_GONE",
                "  " + CREATOR + "  STANDARD  AmazonEKSClusterAdminPolicy@cluster       creator            -",
                "  " + DEV + "        STANDARD  AmazonEKSViewPolicy@namespaces:pay,pay-*  eks-access:req-42  "
                        + "2026-11-28T09:00:00Z  PAST_END"),
                LEGACY + "  CONFIG_MAP  [CONFIG_MAP]\n  access is in the aws-auth ConfigMap",
                GONE + "  [UNREADABLE]\n  not read: EksNotFoundException");
    }

    @Test
    void inventory_json_andFilters() {
        publish();

        Run result = cli("inventory", "--cluster", "payments-prod", "--principal", DEV, "--format", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode document = JsonOutput.read(result.out());
        assertThat(document.get("snapshotId").asText()).isEqualTo("reconcile-1");
        assertThat(texts(document.get("clusters"), "clusterArn")).containsExactly(PAYMENTS);
        JsonNode entry = document.get("clusters").get(0).get("entries").get(0);
        assertThat(entry.get("principalArn").asText()).isEqualTo(DEV);
        assertThat(entry.get("origin").asText()).isEqualTo("SYSTEM");
        assertThat(entry.get("requestId").asText()).isEqualTo("req-42");
        assertThat(entry.get("policies").get(0).get("namespaces")).extracting(JsonNode::asText)
                .containsExactly("pay", "pay-*");
        assertThat(entry.get("flags")).extracting(JsonNode::asText).containsExactly("PAST_END");
        assertThat(document.get("clusters").get(0).get("entries")).hasSize(1);
    }

    @Test
    void inventory_csv_quotesFields_andListsClustersWithoutEntries() {
        publish();

        Run result = cli("inventory", "--format", "csv");

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("clusterArn,clusterFlags,principalArn,type,kubernetesGroups,username,"
                + "policies,origin,requestId,expiresAt,flags,why");
        assertThat(lines).hasSize(6).contains(PAYMENTS + ",," + DEV + ",STANDARD,\"payments, readers\",dev,"
                        + "\"AmazonEKSViewPolicy@namespaces:pay,pay-*\",SYSTEM,req-42,2026-11-28T09:00:00Z,PAST_END,"
                        + "eks-access request req-42",
                LEGACY + ",CONFIG_MAP,,,,,,,,,,",
                GONE + ",UNREADABLE,,,,,,,,,,EksNotFoundException: No cluster found for name: gone.");
    }

    @Test
    void whoCan_answersWhatThePrincipalReaches_andWhatIsUnknown() {
        publish();

        Run text = cli("who-can", "--principal", DEV);
        Run json = cli("who-can", "--principal", DEV, "--format", "json");
        Run nobody = cli("who-can", "--principal", "arn:aws:iam::111122223333:role/nobody", "--cluster", PAYMENTS);

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).startsWith(DEV + " can reach 1 cluster (inventory snapshot reconcile-1")
                .contains(PAYMENTS + "\n", "policies:  AmazonEKSViewPolicy@namespaces:pay,pay-*",
                        "why:       eks-access request req-42", "flags:     PAST_END", "unknown on 2 clusters:",
                        LEGACY + "  CONFIG_MAP", GONE + "  not read: EksNotFoundException");
        JsonNode document = JsonOutput.read(json.out());
        assertThat(document.get("principalArn").asText()).isEqualTo(DEV);
        assertThat(texts(document.get("clusters"), "clusterArn")).containsExactly(PAYMENTS);
        assertThat(texts(document.get("unknown"), "clusterArn")).containsExactlyInAnyOrder(LEGACY, GONE);
        assertThat(nobody.exitCode()).isZero();
        assertThat(nobody.out()).startsWith("arn:aws:iam::111122223333:role/nobody has no access entry on any "
                + "registered cluster");
    }

    @Test
    void emptyTable_missingTable_andUnknownCluster_saySoClearly() {
        Run empty = cli("inventory");
        publish();
        Run unknownCluster = cli("who-can", "--principal", DEV, "--cluster", "nope");
        Run missing = cli("inventory", "--inventory-table", "no-such-inventory");

        assertThat(empty.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(empty.err()).contains("holds no snapshot yet: the reconciliation has not run");
        assertThat(empty.out()).isEmpty();
        assertThat(unknownCluster.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknownCluster.err()).contains("no registered cluster nope in inventory snapshot reconcile-1");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.AWS_FAILED);
        assertThat(missing.err()).startsWith("eks-access: could not read the inventory table no-such-inventory:")
                .doesNotContain("\tat ");
    }
}
