package dev.eksaccess.emulator.eks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eksaccess.emulator.eks.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

    @Test
    void countedFault_hitsOnlyMatchingCalls_thenExpires() {
        FaultInjector faults = new FaultInjector(new Random(1));
        faults.add(Fault.throttling().onOperation("CreateAccessEntry").forNextCalls(2));

        assertThat(faults.decide("DescribeCluster").error()).isEmpty();
        assertThat(faults.decide("CreateAccessEntry").error()).hasValueSatisfying(e -> assertThat(e.status()).isEqualTo(429));
        assertThat(faults.decide("CreateAccessEntry").error()).isPresent();
        assertThat(faults.decide("CreateAccessEntry").error()).isEmpty();
    }

    @Test
    void latencies_addUp_andComeWithTheFirstError() {
        FaultInjector faults = new FaultInjector(new Random(1));
        faults.add(Fault.latency(Duration.ofMillis(100)));
        faults.add(Fault.serverError().forNextCalls(1));
        faults.add(Fault.throttling().forNextCalls(1));
        faults.add(Fault.latency(Duration.ofMillis(50)));

        FaultInjector.Decision decision = faults.decide("ListAccessEntries");

        assertThat(decision.latency()).isEqualTo(Duration.ofMillis(150));
        assertThat(decision.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo("ServerException"));
        assertThat(faults.decide("ListAccessEntries").error()).as("the throttle not used by the first call")
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo("ThrottlingException"));
    }

    @Test
    void probabilisticFaults_repeatForTheSameSeed() {
        assertThat(pattern(7)).isEqualTo(pattern(7)).contains(true, false);
    }

    private static List<Boolean> pattern(long seed) {
        FaultInjector faults = new FaultInjector(new Random(seed));
        faults.add(Fault.serverError().withProbability(0.3));
        List<Boolean> hits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            hits.add(faults.decide("DescribeCluster").error().isPresent());
        }
        return hits;
    }
}
