package dev.eksaccess.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eksaccess.contract.Tables;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger's IAM building blocks: changes are allowed in the contract's mutable partitions, never elsewhere. */
class LedgerPermissionsTest {

    private static final String LEDGER = "arn:aws:dynamodb:eu-west-1:111122223333:table/ledger";

    @Test
    void inMutablePartitions_refusesAPartitionThatIsNotOneOfTheContracts_suchAsTheAuditRecords() {
        assertThatThrownBy(() -> LedgerPermissions.inMutablePartitions("Sid", LEDGER,
                List.of(Tables.LEDGER_AUDIT_PARTITION_PREFIX + "*"), "dynamodb:DeleteItem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CLUSTER#*");
    }

    @Test
    void theStacksPartitionLists_areAllMutablePartitionsOfTheContract() {
        assertThat(Tables.LEDGER_MUTABLE_PARTITIONS).containsAll(LedgerPermissions.GRANT_STATES)
                .containsAll(LedgerPermissions.LEASES_AND_PENDING);
    }
}
