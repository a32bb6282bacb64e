package dev.eksaccess.handler;

import static dev.eksaccess.testing.AccessFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.inventory.InventoryStore;
import dev.eksaccess.inventory.Snapshot;
import dev.eksaccess.reconcile.Reconciler;
import dev.eksaccess.registry.ClusterRecord;
import dev.eksaccess.testing.AccessFixture;
import com.amazonaws.services.lambda.runtime.Context;
import dev.eksaccess.testing.FakeLambdaContext;
import dev.eksaccess.testsupport.LocalLambdaContext;
import dev.eksaccess.testing.FakeRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcilerHandlerTest {

    private final AccessFixture f = new AccessFixture();
    private final List<String> logs = new ArrayList<>();
    private final List<String> accounts = new ArrayList<>();
    private final List<Snapshot> published = new ArrayList<>();
    private final List<ClusterRecord> registered = new ArrayList<>(List.of(f.registry.find(CLUSTER.arn()).orElseThrow()));
    private final ReconcilerHandler handler = new ReconcilerHandler(account -> {
        accounts.add(account);
        return new Reconciler(() -> registered, f.states, f.eks, arn -> Optional.of("AROA1"), f.states,
                new InventoryStore() {
                    @Override
                    public void publish(Snapshot snapshot) {
                        published.add(snapshot);
                    }

                    @Override
                    public Optional<Snapshot> current() {
                        return Optional.empty();
                    }
                }, f.clock);
    }, f.clock, logs::add);

    @Test
    void run_publishesTheSnapshotUnderTheInvocationsId_andLogsOneLine_withTheReconcilerOfItsAccount() {
        FakeLambdaContext context = new FakeLambdaContext(ACCOUNT);

        String summary = handler.handleRequest(null, context);
        handler.handleRequest(null, new FakeLambdaContext(ACCOUNT));

        assertThat(accounts).containsExactly(ACCOUNT);
        assertThat(published.getFirst().snapshotId()).isEqualTo("reconcile-" + context.getAwsRequestId());
        assertThat(logs).hasSize(2).first().isEqualTo(summary);
        assertThat(summary).contains("\"function\":\"reconciliation\"", "\"level\":\"INFO\"",
                "\"outcome\":\"reconciled\"", "\"clusters\":1", "\"entries\":1");
    }

    @Test
    void unreadableCluster_logsAnError_forTheAlarm_andTheRunStillPublishes() {
        registered.add(FakeRegistry.record("arn:aws:eks:eu-west-1:111122223333:cluster/gone", CREATOR, "API", true));

        String summary = handler.handleRequest(null, new FakeLambdaContext(ACCOUNT));

        assertThat(summary).contains("\"level\":\"ERROR\"", "\"errorType\":\"ClusterUnreadable\"",
                "\"unreadableClusters\":1", "\"CLUSTER_FAILED\":1", "cluster/gone");
        assertThat(published).hasSize(1);
    }

    /** With two minutes or less left (the time kept to publish), no cluster is read and the snapshot still goes out. */
    @Test
    void anInvocationWithoutTimeLeft_readsNoCluster_butPublishes_andLogsRunOutOfTime() {
        String arn = new FakeLambdaContext(ACCOUNT).getInvokedFunctionArn();
        Context late = new LocalLambdaContext(arn, line -> { }) {
            @Override
            public int getRemainingTimeInMillis() {
                return (int) ReconcilerHandler.PUBLISH_RESERVE_MILLIS;
            }
        };

        String summary = handler.handleRequest(null, late);

        assertThat(summary).contains("\"level\":\"ERROR\"", "\"errorType\":\"RunOutOfTime\"",
                "\"CLUSTER_NOT_READ\":1", "\"entries\":0");
        assertThat(published).hasSize(1);
        assertThat(ReconcilerHandler.outOfTime(new FakeLambdaContext(ACCOUNT))).isFalse();
        assertThat(ReconcilerHandler.outOfTime(null)).isFalse();
    }

    @Test
    void registryFailure_isLoggedAndRethrown_nothingPublished() {
        ReconcilerHandler failing = new ReconcilerHandler(account -> new Reconciler(() -> {
            throw new IllegalStateException("ResourceNotFoundException: registry");
        }, f.states, f.eks, arn -> Optional.empty(), f.states, null, f.clock), f.clock, logs::add);

        assertThatThrownBy(() -> failing.handleRequest(null, new FakeLambdaContext(ACCOUNT)))
                .hasMessageContaining("registry");
        assertThat(logs).singleElement().asString().contains("\"level\":\"ERROR\"");
    }

    @Test
    void priming_runsTheReconcilerInMemory_andRendersItsLine() {
        String line = handler.priming().prime();

        assertThat(line).contains("\"outcome\":\"reconciled\"", "\"level\":\"INFO\"", "\"clusters\":1",
                "\"entries\":2");
        assertThat(logs).isEmpty();
        assertThat(f.eks.calls).isEmpty();
    }
}
