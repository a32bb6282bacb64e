package dev.eksaccess.handler;

import dev.eksaccess.drift.AccessChangeOutcome;
import dev.eksaccess.drift.AccessChangeParser;
import dev.eksaccess.drift.AccessChangeService;
import dev.eksaccess.drift.ChangeClassifier;
import dev.eksaccess.drift.ClusterAccessView;
import dev.eksaccess.drift.DriftResponse;
import dev.eksaccess.drift.ExternalChange;
import dev.eksaccess.log.FunctionLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * Priming of the access-change function: reads {@link #EVENT}, judges it against a cluster view given here (no EKS
 * call), and renders the line the function would log had it recorded it. Nothing is read, recorded or published.
 */
final class AccessChangePriming extends Priming {

    static final String PRINCIPAL = "arn:aws:iam::000000000000:role/priming";

    /** A representative CloudTrail DeleteAccessEntry event by an IAM user: read and judged only. */
    static final String EVENT = """
            {"version":"0","id":"00000000-0000-4000-8000-000000000000","detail-type":"AWS API Call via CloudTrail",
             "source":"aws.eks","account":"000000000000","time":"2026-01-01T00:00:00Z","region":"us-east-1",
             "resources":[],
             "detail":{"eventVersion":"1.11","eventTime":"2026-01-01T00:00:00Z","eventSource":"eks.amazonaws.com",
              "eventName":"DeleteAccessEntry","awsRegion":"us-east-1","eventID":"00000000-0000-4000-8000-00000000000b",
              "recipientAccountId":"000000000000",
              "userIdentity":{"type":"IAMUser","accountId":"000000000000","userName":"priming",
               "arn":"arn:aws:iam::000000000000:user/priming"},
              "requestParameters":{"clusterName":"priming","principalArn":"arn:aws:iam::000000000000:role/priming"},
              "responseElements":{}}}
            """;

    private final AccessChangeService service;
    private final Clock clock;
    private final FunctionLog log;

    AccessChangePriming(AccessChangeService service, Clock clock, FunctionLog log) {
        super(() -> null);
        this.service = service;
        this.clock = clock;
        this.log = log;
    }

    /** @return the {@code recorded} line the event would have produced, rendered and not written */
    @Override
    String prime() {
        if (!(service.read(EVENT.getBytes(StandardCharsets.UTF_8)) instanceof AccessChangeParser.Change change)) {
            throw new IllegalStateException("the priming event must describe an access change");
        }
        ClusterAccessView view = new ClusterAccessView(null, Set.of("arn:aws:iam::000000000000:role/admin"),
                Map.of(PRINCIPAL, Set.of("arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy")), Set.of(PRINCIPAL));
        ExternalChange judged = new ExternalChange(change.change(),
                new ChangeClassifier().classify(change.change(), view), clock.instant());
        return log.unwritten().write(new AccessChangeOutcome.Recorded(judged, true,
                DriftResponse.NONE.respond(judged)).logEvent());
    }
}
