package dev.eksaccess.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eksaccess.contract.GrantQueueSettings;
import dev.eksaccess.emulator.eks.EksEmulator;
import dev.eksaccess.testsupport.LockoutInvariants;
import dev.eksaccess.testsupport.RepositoryRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox end to end, in this JVM: ElasticMQ, dynalite and the EKS emulator, both functions, the JSON report.
 * After every test the {@link LockoutInvariants} must hold in the emulated EKS each sandbox ran against.
 */
class SandboxIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = RepositoryRoot.locate();
    private static final String ADMIN = "arn:aws:iam::111122223333:role/platform/eks-admin";
    private static final String CREATOR = "arn:aws:iam::111122223333:role/platform/teams/eks-provisioner";
    private static final String DEVELOPERS = "arn:aws:iam::111122223333:role/teams/checkout-developers";
    private static final String DEPLOYER = "arn:aws:iam::111122223333:role/teams/checkout-deployer";
    private static final String CLUSTER_ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    private static final String ONCALL = "arn:aws:iam::111122223333:role/teams/checkout-oncall";
    private static final String TEAM = "arn:aws:iam::111122223333:role/sandbox/team";
    private static final String APPROVER = "arn:aws:iam::111122223333:role/sandbox/approver";
    private static final String STRANGER = "arn:aws:iam::111122223333:role/teams/payments-ci";
    private static final String EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";
    /** The CloudTrail event id of the demo's 03b: a person deletes the deployer's entry. */
    private static final String DELETION = "e1f2a3b4-c5d6-4e7f-9a8b-0000000000d1";
    private static final String RESTORE = "eks-access:restore:" + DELETION;
    /** The legacy scenario: config-map-mode.json's creator and event id, and the migration role. */
    private static final String FACTORY = "arn:aws:iam::111122223333:role/service/cluster-factory";
    private static final String LEGACY_EVENT = "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6";
    private static final String MIGRATOR = "arn:aws:iam::111122223333:role/platform/aws-auth-migrator";

    @TempDir
    Path dir;

    /** The emulated EKS of each sandbox the test ran. */
    private final List<EksEmulator> emulators = new CopyOnWriteArrayList<>();

    @AfterEach
    void lockoutInvariantsHold() {
        // Every cluster here starts with an admin, or in CONFIG_MAP with the creator's entry appearing on the switch.
        assertThat(emulators).as("the test ran a sandbox").isNotEmpty();
        emulators.forEach(LockoutInvariants::assertHold);
    }

    @Test
    void demo_showsTheBootstrapTheGrantsARestoreTheRefusalTheRevoke_anApprovalFlowWithAnExpiry_andAnUnknownSender()
            throws IOException {
        Run run = run("--json", "--cluster-delay", "PT1S");

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        JsonNode report = run.report();
        JsonNode cluster = single(report.get("clusters"));
        assertThat(cluster.get("arn").asText()).isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/checkout-staging");
        assertThat(cluster.get("creator").get("principalArn").asText()).isEqualTo(CREATOR);
        assertThat(cluster.get("creator").get("type").asText()).isEqualTo("AssumedRole");
        assertThat(cluster.get("authenticationMode").asText()).isEqualTo("API_AND_CONFIG_MAP");
        assertThat(cluster.get("bootstrap").get("status").asText()).isEqualTo("DONE");

        assertThat(entry(report, ADMIN).get("policies").get(0).get("policyArn").asText()).isEqualTo(CLUSTER_ADMIN);
        assertThat(entry(report, ADMIN).get("policies").get(0).get("accessScope").get("type").asText())
                .isEqualTo("cluster");
        assertThat(entry(report, CREATOR).get("policies").get(0).get("policyArn").asText()).isEqualTo(CLUSTER_ADMIN);
        JsonNode deployer = entry(report, DEPLOYER);
        assertThat(texts(deployer.get("kubernetesGroups"))).containsExactly("checkout-deployers");
        assertThat(deployer.get("policies").get(0).get("policyArn").asText()).endsWith("/AmazonEKSEditPolicy");
        assertThat(texts(deployer.get("policies").get(0).get("accessScope").get("namespaces")))
                .containsExactly("checkout", "checkout-*");
        assertThat(principals(report)).doesNotContain(DEVELOPERS)
                .as("approved, applied, then revoked by the expiry sweep").doesNotContain(ONCALL)
                .as("refused: its sender is named by no rule").doesNotContain(STRANGER);

        assertThat(eventOutcomes(report)).containsExactly("recorded", "recorded");
        assertThat(outcomes(report)).containsExactly(
                "bootstrap bootstrap applied",
                "demo-checkout-view grant applied",
                "demo-checkout-deployer grant applied",
                RESTORE + " restore applied",
                "demo-system-masters grant rejected",
                "demo-checkout-view-revoke revoke applied",
                "demo-oncall-time-bound grant pending-approval",
                "demo-oncall-self-approval approve rejected",
                "demo-oncall-approval approve applied",
                "expiry revoke applied",
                "demo-unknown-sender grant rejected");
        assertThat(request(report, "demo-system-masters").get("reason").asText()).contains("system:masters");

        assertThat(senders(report)).as("who sent each message, as the grant processor resolved its SenderId")
                .containsExactly(Sandbox.CLUSTER_CREATION_ROLE, TEAM, TEAM, Sandbox.ACCESS_CHANGE_ROLE, TEAM, TEAM, TEAM,
                        TEAM, APPROVER,
                        Sandbox.EXPIRY_SWEEP_ROLE, STRANGER);
        JsonNode held = request(report, "demo-oncall-time-bound");
        assertThat(held.get("outcome").asText()).as("how its message ended").isEqualTo("pending-approval");
        assertThat(held.get("state").asText()).as("where it stands now: approved, then applied").isEqualTo("applied");
        JsonNode selfApproval = request(report, "demo-oncall-self-approval");
        assertThat(selfApproval.get("state").asText()).isEqualTo("rejected");
        assertThat(selfApproval.get("reason").asText()).contains("not counted")
                .contains(TEAM + " is not an approver");
        assertThat(request(report, "demo-oncall-approval").get("reason").asText())
                .contains("completed request demo-oncall-time-bound");
        assertThat(request(report, "demo-unknown-sender").get("reason").asText()).startsWith("unknown sender");
        assertThat(request(report, "demo-checkout-view").get("state").asText()).isEqualTo("applied");

        JsonNode approval = single(report.get("approvals"));
        assertThat(approval.get("requestId").asText()).isEqualTo("demo-oncall-time-bound");
        assertThat(approval.get("requester").asText()).isEqualTo(TEAM);
        assertThat(approval.get("principalArn").asText()).isEqualTo(ONCALL);
        assertThat(approval.get("policy").asText()).isEqualTo("AmazonEKSAdminPolicy");
        assertThat(approval.get("state").asText()).isEqualTo("applied");
        assertThat(approval.get("required").asInt()).isEqualTo(1);
        assertThat(texts(approval.get("approvedBy"))).containsExactly(APPROVER);
        assertThat(texts(approval.get("approvers"))).containsExactly(APPROVER);
        assertThat(report.get("settings").get("eligibility").asText()).endsWith("events/eligibility/sandbox.json");
        assertThat(report.get("deadLetters")).isEmpty();
        assertThat(report.get("warnings")).isEmpty();
    }

    /**
     * The demo's 03b: a person deletes the entry of the deployer, whose grant's rule says {@code "drift": "restore"}.
     * The access-change function records it as conflicting with the grant and sends a restore with its own role's
     * credentials; the grant processor trusts that role with restores and re-creates the entry with its groups and
     * scoped policy. (Mutations: the sandbox wires {@code DriftResponse.NONE} -> no restore request, the entry stays
     * deleted; the processor's internal senders lack {@code withDriftFunction} -> the restore is rejected.) The
     * reconciliation run at the end then lists every entry with its policies and who made it.
     */
    @Test
    void demo_restoresTheEntryAPersonDeleted_andEndsWithTheInventory() throws IOException {
        Run run = run("--json", "--cluster-delay", "PT1S");

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        JsonNode report = run.report();
        JsonNode deletion = single(report.get("externalChanges"));
        assertThat(deletion.get("eventId").asText()).isEqualTo(DELETION);
        assertThat(deletion.get("clusterName").asText()).isEqualTo("checkout-staging");
        assertThat(deletion.get("change").asText()).startsWith("DeleteAccessEntry").contains(DEPLOYER);
        assertThat(deletion.get("severity").asText()).isEqualTo("conflicts-with-grant");
        assertThat(deletion.get("actor").asText()).contains("AWSReservedSSO_AdministratorAccess");
        JsonNode restore = request(report, RESTORE);
        assertThat(restore.get("action").asText()).isEqualTo("restore");
        assertThat(restore.get("sender").asText()).isEqualTo(Sandbox.ACCESS_CHANGE_ROLE);
        assertThat(restore.get("outcome").asText()).as(restore.toString()).isEqualTo("applied");
        JsonNode deployer = entry(report, DEPLOYER);
        assertThat(texts(deployer.get("kubernetesGroups"))).containsExactly("checkout-deployers");
        assertThat(texts(deployer.get("policies").get(0).get("accessScope").get("namespaces")))
                .containsExactly("checkout", "checkout-*");

        JsonNode cluster = single(report.get("inventory"));
        assertThat(cluster.get("clusterArn").asText())
                .isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/checkout-staging");
        assertThat(cluster.get("authenticationMode").asText()).isEqualTo("API_AND_CONFIG_MAP");
        assertThat(texts(cluster.get("flags"))).isEmpty();
        List<JsonNode> inventory = list(cluster.get("entries"));
        assertThat(inventory).extracting(e -> e.get("principalArn").asText())
                .containsExactlyInAnyOrder(ADMIN, CREATOR, DEPLOYER);
        assertThat(inventory).as("every principal exists in IAM, and every entry holds a policy")
                .allSatisfy(e -> assertThat(texts(e.get("flags"))).isEmpty());
        JsonNode restored = inventoryEntry(inventory, DEPLOYER);
        assertThat(restored.get("madeBy").asText()).isEqualTo("SYSTEM");
        assertThat(restored.get("requestId").asText()).isEqualTo("demo-checkout-deployer");
        assertThat(restored.get("policies").get(0).get("policyArn").asText()).isEqualTo(EDIT);
        assertThat(texts(restored.get("policies").get(0).get("accessScope").get("namespaces")))
                .containsExactly("checkout", "checkout-*");
        JsonNode creator = inventoryEntry(inventory, CREATOR);
        assertThat(creator.get("madeBy").asText()).isEqualTo("CREATOR");
        assertThat(creator.get("policies").get(0).get("policyArn").asText()).isEqualTo(CLUSTER_ADMIN);
        JsonNode admin = inventoryEntry(inventory, ADMIN);
        assertThat(admin.get("madeBy").asText()).isEqualTo("SYSTEM");
        assertThat(admin.get("requestId").asText()).startsWith("bootstrap:");
        assertThat(report.get("warnings")).isEmpty();
    }

    @Test
    void fileList_deliversMatchingEventsAndSendsEverythingElseToTheQueue() throws IOException {
        Path grant = Files.writeString(dir.resolve("grant-legacy.json"), """
                {"action":"grant","clusterName":"legacy-batch","principalArn":"arn:aws:iam::111122223333:user/carol",
                 "accessPolicy":"AmazonEKSViewPolicy","accessScope":{"type":"namespace","namespaces":["batch"]},
                 "requestId":"carol-view"}
                """);

        Path eligibility = Files.writeString(dir.resolve("eligibility.json"), """
                {"version": 1, "rules": [{"id": "batch-ci-view",
                  "senders": ["arn:aws:iam::111122223333:user/batch-ci"],
                  "clusters": {"names": ["legacy-*"]}, "principals": {"arns": ["arn:aws:iam::111122223333:user/carol"]},
                  "policies": ["AmazonEKSViewPolicy"], "scopes": {"namespaces": ["batch"]}}]}
                """);

        Run run = run("--json", "--cluster-delay", "PT1S", "--admin", ADMIN + "=AmazonEKSAdminPolicy",
                "--allow-auth-mode-switch", "--eligibility", eligibility.toString(),
                repo("events/cloudtrail/other/delete-cluster.json"),
                repo("events/cloudtrail/create-cluster/failed-call-error-code.json"),
                repo("events/cloudtrail/create-cluster/config-map-mode.json"),
                grant.toString(),
                "--sender", "arn:aws:iam::111122223333:user/batch-ci",
                grant.toString(),
                repo("events/requests/invalid-malformed-json.json"));

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        JsonNode report = run.report();
        assertThat(eventOutcomes(report)).containsExactly("not-matched", "ignored", "recorded");
        JsonNode cluster = single(report.get("clusters"));
        assertThat(cluster.get("name").asText()).isEqualTo("legacy-batch");
        assertThat(cluster.get("authenticationMode").asText())
                .as("switched from CONFIG_MAP so that access entries work").isEqualTo("API_AND_CONFIG_MAP");
        assertThat(cluster.get("bootstrap").get("status").asText()).isEqualTo("DONE");
        assertThat(entry(report, ADMIN).get("policies").get(0).get("policyArn").asText())
                .endsWith("/AmazonEKSAdminPolicy");
        assertThat(texts(entry(report, "arn:aws:iam::111122223333:user/carol").get("policies").get(0)
                .get("accessScope").get("namespaces"))).containsExactly("batch");
        List<JsonNode> requests = list(report.get("requests"));
        assertThat(requests).hasSize(4);
        assertThat(requests.get(0).get("action").asText()).isEqualTo("bootstrap");
        assertThat(requests.get(0).get("outcome").asText()).isEqualTo("applied");
        assertThat(requests.get(0).get("sender").asText()).isEqualTo(Sandbox.CLUSTER_CREATION_ROLE);
        JsonNode fromTeam = requests.get(1);
        assertThat(fromTeam.get("sender").asText()).as("before any --sender").isEqualTo(TEAM);
        assertThat(fromTeam.get("outcome").asText()).isEqualTo("rejected");
        assertThat(fromTeam.get("reason").asText()).as("the document names no team sender")
                .startsWith("unknown sender");
        JsonNode fromBatch = requests.get(2);
        assertThat(fromBatch.get("sender").asText()).isEqualTo("arn:aws:iam::111122223333:user/batch-ci");
        assertThat(fromBatch.get("requestId").asText()).isEqualTo("carol-view");
        assertThat(fromBatch.get("outcome").asText()).isEqualTo("applied");
        assertThat(fromBatch.get("source").asText()).isEqualTo(grant.toString());
        assertThat(report.get("settings").get("eligibility").asText()).isEqualTo(eligibility.toString());
        JsonNode malformed = requests.get(3);
        assertThat(malformed.get("outcome").asText()).isEqualTo("rejected");
        assertThat(malformed.get("reason").asText()).contains("not valid JSON");
        assertThat(report.get("deadLetters")).isEmpty();
    }

    /**
     * Access changes someone else made play as external changes: made in the emulated EKS, delivered through the
     * access-change rule, judged and recorded; the system's own call is skipped. (Mutation: the sandbox delivers
     * access changes to nobody -> their outcomes say not-matched and externalChanges is empty.)
     */
    @Test
    void accessChangeEvents_playAsExternalChanges_judgedAndRecorded_andTheSystemsOwnCallIsSkipped() throws IOException {
        Run run = run("--json", "--cluster-delay", "PT1S",
                repo("events/cloudtrail/create-cluster/iam-user.json"),
                repo("events/cloudtrail/access-changes/create-access-entry.json"),
                repo("events/cloudtrail/access-changes/associate-by-eks-access.json"),
                repo("events/cloudtrail/access-changes/update-cluster-config-api.json"));

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        JsonNode report = run.report();
        assertThat(eventOutcomes(report)).containsExactly("recorded", "recorded", "own-call", "recorded");
        assertThat(principals(report)).contains(CREATOR);
        assertThat(single(report.get("clusters")).get("authenticationMode").asText()).isEqualTo("API");
        List<JsonNode> external = list(report.get("externalChanges"));
        assertThat(external).extracting(change -> change.get("eventId").asText()).containsExactlyInAnyOrder(
                "a0b1c2d3-e4f5-4a67-9c89-d0e1f2a3b4c5", "a0b1c2d3-e4f5-4a67-9c89-000000000007");
        assertThat(external).extracting(change -> change.get("severity").asText())
                .containsExactlyInAnyOrder("harmless", "lockout-risk");
        assertThat(external).allSatisfy(change -> assertThat(change.get("clusterName").asText())
                .isEqualTo("payments-dev"));
        assertThat(report.get("warnings")).isEmpty();
    }

    /**
     * An aws-auth ConfigMap file is attached to the cluster its annotation names, served by that cluster's Kubernetes
     * API, and planned as {@code eks-access migrate --plan} plans it, role paths from IAM. (Mutation: the sandbox
     * plays the file as a grant-queue message -> awsAuth is empty and a request is rejected.)
     */
    @Test
    void anAwsAuthFile_isAttachedToItsCluster_andPlanned() throws IOException {
        Run run = run("--json", "--cluster-delay", "PT0S",
                repo("events/cloudtrail/create-cluster/config-map-mode.json"),
                repo("events/aws-auth/sandbox/legacy-batch.yaml"));

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        JsonNode report = run.report();
        assertThat(report.get("requests")).noneSatisfy(request -> assertThat(request.get("source").asText())
                .contains("legacy-batch.yaml"));
        List<JsonNode> plan = list(report.get("awsAuth"));
        assertThat(plan).extracting(m -> m.get("source").asText())
                .containsExactly("mapRoles[0] (line 1)", "mapRoles[1] (line 5)", "mapRoles[2] (line 9)");
        assertThat(plan).allSatisfy(m -> assertThat(m.get("clusterName").asText()).isEqualTo("legacy-batch"));
        assertThat(plan.get(0).get("verdict").asText()).isEqualTo("MIGRATE");
        assertThat(plan.get(0).get("principalArn").asText()).isEqualTo(TEAM);
        assertThat(texts(plan.get(0).get("kubernetesGroups"))).containsExactly("view");
        assertThat(plan.get(1).get("principalArn").asText()).isEqualTo(APPROVER);
        assertThat(texts(plan.get(1).get("clusterPolicies"))).containsExactly("AmazonEKSClusterAdminPolicy");
        assertThat(plan.get(2).get("verdict").asText()).isNotEqualTo("MIGRATE");
        assertThat(plan.get(2).get("explanation").asText()).contains("legacy-jenkins");
        // The cluster's Kubernetes API serves what the file holds.
        assertThat(emulators.get(0).kubernetesApi("legacy-batch").resourceVersion())
                .isEqualTo(plan.get(0).get("resourceVersion").asText());
        assertThat(report.get("warnings")).isEmpty();
    }

    /**
     * The legacy scenario ({@code --scenario legacy}): a CONFIG_MAP cluster older than eks-access, whose CreateCluster
     * event only CloudTrail's history holds, is planned for adoption (nothing written), adopted with the creator that
     * history names, and bootstrapped by the adoption role through the grant queue, which first moves it to
     * API_AND_CONFIG_MAP (the creator's entry appears with the switch); then its aws-auth is attached and planned,
     * {@code eks-access migrate --apply} runs as the migration role, and {@code --compare} finds every migrating mapping
     * EQUIVALENT, with aws-auth as it was. (Mutations, each failing this test: the sandbox puts no event in
     * CloudTrail -> registered "creator unknown"; the grant processor's internal senders lack {@code withAdoption} ->
     * the bootstrap is refused as from an unknown sender and stays PENDING; the migration rule removed from
     * sandbox.json -> both migrate requests are rejected and compare says "0 equivalent, 2 missing".)
     */
    @Test
    void legacyScenario_adoptsAConfigMapClusterOlderThanTheSystem_thenMigratesItsAwsAuth_withNobodyLockedOut()
            throws IOException {
        Run run = run("--json", "--scenario", "legacy", "--cluster-delay", "PT1S");

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        JsonNode report = run.report();
        JsonNode existing = single(report.get("events"));
        assertThat(existing.get("outcome").asText()).as("made in EKS and CloudTrail, not delivered to the rule")
                .isEqualTo("existing");
        assertThat(existing.get("reason").asText()).contains("ACTIVE, CONFIG_MAP, created at");

        JsonNode cluster = single(report.get("clusters"));
        assertThat(cluster.get("name").asText()).isEqualTo("legacy-batch");
        assertThat(cluster.get("registeredBy").asText()).startsWith("eks-access adopt (CreateCluster event found");
        assertThat(cluster.get("creator").get("principalArn").asText()).as("from CloudTrail's LookupEvents")
                .isEqualTo(FACTORY);
        assertThat(cluster.get("creator").get("type").asText()).isEqualTo("AssumedRole");
        assertThat(cluster.get("bootstrap").get("status").asText()).isEqualTo("DONE");
        assertThat(cluster.get("authenticationMode").asText()).as("switched for access entries, never to API")
                .isEqualTo("API_AND_CONFIG_MAP");
        assertThat(texts(cluster.get("updates"))).singleElement().asString()
                .startsWith("AuthenticationMode=API_AND_CONFIG_MAP Successful");

        List<JsonNode> commands = list(report.get("commands"));
        assertThat(commands).extracting(c -> c.get("command").asText()).containsExactly(
                "eks-access adopt --plan", "eks-access adopt",
                "eks-access migrate --cluster legacy-batch --region eu-west-1 --apply",
                "eks-access migrate --cluster legacy-batch --region eu-west-1 --compare");
        assertThat(commands).allSatisfy(c -> {
            assertThat(c.get("exitCode").asInt()).as(c.toString()).isZero();
            assertThat(c.get("sender").asText()).isEqualTo(MIGRATOR);
        });
        assertThat(commands.get(0).get("output").asText()).contains("nothing registered or sent")
                .containsPattern("would-adopt +arn:aws:eks:eu-west-1:111122223333:cluster/legacy-batch +" + FACTORY);
        assertThat(commands.get(1).get("output").asText()).containsPattern("adopted +arn:aws:eks:eu-west-1:"
                + "111122223333:cluster/legacy-batch +" + FACTORY + " +PENDING +registered; admin bootstrap sent");
        assertThat(commands.get(2).get("output").asText()).contains("Sending 2 migrate requests")
                .contains("Before moving legacy-batch to authentication mode API (by hand; eks-access never does")
                .contains("aws eks update-cluster-config --name legacy-batch --access-config authenticationMode=API");
        assertThat(commands.get(3).get("output").asText())
                .contains("2 equivalent, 0 missing, 1 not migratable")
                .containsPattern("mapRoles\\[0\\] \\(line 1\\) +EQUIVALENT")
                .containsPattern("mapRoles\\[1\\] \\(line 5\\) +EQUIVALENT")
                .containsPattern("mapRoles\\[2\\] \\(line 9\\) +NOT_MIGRATABLE .*legacy-jenkins");

        // The plan wrote and sent nothing: one bootstrap, by the adoption role, with the CloudTrail event's id.
        assertThat(outcomes(report)).containsExactly("bootstrap bootstrap applied",
                "migrate-legacy-batch migrate applied", "migrate-legacy-batch migrate applied");
        assertThat(senders(report)).containsExactly(Sandbox.ADOPTION_ROLE, MIGRATOR, MIGRATOR);
        assertThat(list(report.get("requests")).getFirst().get("requestId").asText())
                .isEqualTo("bootstrap:" + LEGACY_EVENT);

        // Every mapping that migrates has its entry, as planned; the one that does not has none.
        List<JsonNode> plan = list(report.get("awsAuth"));
        assertThat(plan).filteredOn(m -> m.get("verdict").asText().equals("MIGRATE")).hasSize(2).allSatisfy(m -> {
            JsonNode entry = entry(report, m.get("principalArn").asText());
            assertThat(texts(entry.get("kubernetesGroups"))).containsExactlyElementsOf(texts(m.get("kubernetesGroups")));
            assertThat(list(entry.get("policies"))).extracting(p -> p.get("policyArn").asText()
                    .substring(p.get("policyArn").asText().lastIndexOf('/') + 1))
                    .containsExactlyElementsOf(texts(m.get("clusterPolicies")));
        });
        assertThat(principals(report)).as("creator (appeared with the switch), admin, and the two migrated")
                .containsExactlyInAnyOrder(FACTORY, ADMIN, TEAM, APPROVER);
        assertThat(entry(report, TEAM).get("username").asText()).isEqualTo("team:{{SessionName}}");
        // aws-auth is as it was attached: the cluster's Kubernetes API serves the version that was planned.
        assertThat(emulators.get(0).kubernetesApi("legacy-batch").resourceVersion())
                .isEqualTo(plan.get(0).get("resourceVersion").asText());
        assertThat(report.get("warnings")).isEmpty();
        assertThat(report.get("deadLetters")).isEmpty();
    }

    @Test
    void anAwsAuthFileForAClusterNotThere_isAWarning_notAMessage() throws IOException {
        Run run = run("--json", repo("events/aws-auth/sandbox/legacy-batch.yaml"));

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        JsonNode report = run.report();
        assertThat(report.get("requests")).isEmpty();
        assertThat(report.get("awsAuth")).isEmpty();
        assertThat(texts(report.get("warnings"))).singleElement().asString()
                .contains("no cluster legacy-batch in the sandbox");
    }

    @Test
    void bootstrapThatKeepsFailing_isRedrivenToTheDeadLetterQueueAfterMaxReceiveCount() throws IOException {
        // The cluster stays CREATING far longer than eight immediate retries take.
        Run run = run("--json", "--cluster-delay", "PT25S", "--retry-delay", "PT0S", "--admin", ADMIN,
                repo("events/cloudtrail/create-cluster/iam-user.json"));

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        JsonNode report = run.report();
        JsonNode bootstrap = single(report.get("requests"));
        assertThat(bootstrap.get("action").asText()).isEqualTo("bootstrap");
        assertThat(bootstrap.get("outcome").asText()).isEqualTo("dead-lettered");
        assertThat(bootstrap.get("attempts").asInt()).isEqualTo(GrantQueueSettings.MAX_RECEIVE_COUNT);
        assertThat(bootstrap.get("reason").asText()).contains("waiting for ACTIVE");
        JsonNode letter = single(report.get("deadLetters"));
        assertThat(letter.get("messageId").asText()).isEqualTo(bootstrap.get("messageId").asText());
        assertThat(letter.get("body").asText()).contains("\"action\":\"bootstrap\"");
        assertThat(single(report.get("clusters")).get("bootstrap").get("status").asText()).isEqualTo("PENDING");
        assertThat(principals(report)).doesNotContain(ADMIN);
    }

    @Test
    void withoutJson_printsReadableTables() throws IOException {
        Run run = run("--cluster-delay", "PT0S", repo("events/cloudtrail/create-cluster/iam-user.json"),
                repo("events/requests/grant-cluster-view.json"));

        assertThat(run.status()).isEqualTo(SandboxCommand.OK);
        assertThat(run.out()).contains("CLUSTERS", "ACCESS ENTRIES", "EVENTS", "REQUESTS", "APPROVALS", "DEAD LETTERS")
                .containsPattern("(?s)INVENTORY.*MADE BY.*payments-dev .*\\(cluster\\).*ONLY_CREATOR_ADMIN"
                        + ".*payments-dev .*user/alice .*AmazonEKSClusterAdminPolicy \\(cluster\\) +CREATOR")
                .as("alice exists in the sandbox's IAM, as the creator of a played event does in AWS")
                .doesNotContain("PRINCIPAL_GONE")
                .contains("recorded").contains("SENDER", "STATE", "role/sandbox/team");
    }

    private record Run(int status, String out, String err) {
        JsonNode report() throws IOException {
            return JSON.readTree(out);
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SandboxCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), sandbox -> emulators.add(sandbox.eks()));
        System.err.print(err.toString(StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String repo(String path) {
        return REPO.resolve(path).toString();
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array).hasSize(1);
        return array.get(0);
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }

    private static JsonNode entry(JsonNode report, String principalArn) {
        return list(report.get("accessEntries")).stream()
                .filter(e -> e.get("principalArn").asText().equals(principalArn)).findFirst()
                .orElseThrow(() -> new AssertionError("no access entry for " + principalArn + " in " + report));
    }

    private static JsonNode inventoryEntry(List<JsonNode> entries, String principalArn) {
        return entries.stream().filter(e -> e.get("principalArn").asText().equals(principalArn)).findFirst()
                .orElseThrow(() -> new AssertionError("no inventory entry for " + principalArn + " in " + entries));
    }

    private static List<String> principals(JsonNode report) {
        return list(report.get("accessEntries")).stream().map(e -> e.get("principalArn").asText()).toList();
    }

    private static JsonNode request(JsonNode report, String requestId) {
        return list(report.get("requests")).stream().filter(r -> requestId.equals(r.get("requestId").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no request " + requestId + " in " + report));
    }

    /** "REQUEST-ID ACTION OUTCOME", with generated ids (bootstrap, expiry) shortened to their prefix. */
    private static List<String> outcomes(JsonNode report) {
        List<String> outcomes = new ArrayList<>();
        for (JsonNode r : report.get("requests")) {
            String id = r.get("requestId").asText();
            outcomes.add(id.replaceFirst("^(bootstrap|expiry):.*", "$1").replaceFirst("^(migrate-[a-z-]+)-[0-9a-f]+$",
                    "$1") + " " + r.get("action").asText() + " "
                    + r.get("outcome").asText());
        }
        return outcomes;
    }

    private static List<String> senders(JsonNode report) {
        return list(report.get("requests")).stream().map(r -> r.get("sender").asText()).toList();
    }

    private static List<String> eventOutcomes(JsonNode report) {
        return list(report.get("events")).stream().map(e -> e.get("outcome").asText()).toList();
    }
}
