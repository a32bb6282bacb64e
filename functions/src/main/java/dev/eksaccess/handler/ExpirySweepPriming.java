package dev.eksaccess.handler;

import dev.eksaccess.delivery.ExpirySweep;
import dev.eksaccess.delivery.GrantState;
import dev.eksaccess.delivery.GrantStateStore;
import dev.eksaccess.delivery.PendingApprovals;
import dev.eksaccess.log.FunctionLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Priming of the expiry sweep: the sweep's own code over {@link #GRANT} in an in-memory store, its revoke request
 * kept in memory, and the summary line rendered; neither the ledger nor the grant queue is touched.
 */
final class ExpirySweepPriming extends Priming {

    /** 2026-01-01T00:00:00Z, from epoch seconds: parsing text would load java.time's parser on every cold start. */
    private static final Instant EXPIRY = Instant.ofEpochSecond(1_767_225_600L);

    /** A representative expired grant; it exists only in memory, never in the ledger. */
    static final GrantState GRANT = new GrantState("arn:aws:eks:us-east-1:000000000000:cluster/priming",
            "arn:aws:iam::000000000000:role/priming", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            true, EXPIRY.minusSeconds(3600), "priming", EXPIRY);

    private final Clock clock;
    private final FunctionLog log;

    ExpirySweepPriming(Clock clock, FunctionLog log, Supplier<?> preparation) {
        super(preparation);
        this.clock = clock;
        this.log = log;
    }

    /** @return the revoke request body the sweep would have queued */
    @Override
    String prime() {
        List<String> queued = new ArrayList<>();
        int count = new ExpirySweep(new PrimingStates(), PendingApprovals.NONE, queued::add, clock).sweep();
        log.unwritten().write(ExpirySweep.summary(count));
        return String.join("\n", queued);
    }

    /** Holds only {@link #GRANT}, already due. */
    private static final class PrimingStates implements GrantStateStore {

        @Override
        public Optional<GrantState> find(String clusterArn, String principalArn, String policyArn) {
            return Optional.empty();
        }

        @Override
        public List<GrantState> findByPrincipal(String clusterArn, String principalArn) {
            return List.of();
        }

        @Override
        public boolean save(GrantState state) {
            return false;
        }

        @Override
        public List<GrantState> findExpired(Instant now, int limit) {
            return List.of(GRANT);
        }

        @Override
        public boolean markRevocationQueued(GrantState state) {
            return true;
        }
        @Override
        public boolean markOverdue(GrantState state, String reason, Instant at) {
            return true;
        }

        @Override
        public List<GrantState> findOverdue(int limit) {
            return List.of();
        }
    }
}
