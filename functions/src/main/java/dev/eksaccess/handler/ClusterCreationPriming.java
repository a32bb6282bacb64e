package dev.eksaccess.handler;

import dev.eksaccess.creation.CloudTrailEventParser;
import dev.eksaccess.creation.ClusterCreated;
import dev.eksaccess.creation.ClusterCreationService;
import dev.eksaccess.creation.CreationOutcome;
import dev.eksaccess.log.FunctionLog;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Priming of the cluster-creation function: parses {@link #EVENT}, plans its record and bootstrap, and renders the
 * line the function would log had it recorded it. The registry write is left out, so nothing is recorded and no
 * bootstrap request is sent.
 */
final class ClusterCreationPriming extends Priming {

    /** The account of {@link #EVENT}, which priming also uses as the function's own account. */
    static final String ACCOUNT = "000000000000";

    /**
     * A representative CloudTrail CreateCluster event (an IAM Identity Center role creates a cluster in
     * API_AND_CONFIG_MAP mode without creator admin): parsed and planned only, never recorded or sent.
     */
    static final String EVENT = """
            {"version":"0","id":"00000000-0000-4000-8000-000000000000","detail-type":"AWS API Call via CloudTrail",
             "source":"aws.eks","account":"000000000000","time":"2026-01-01T00:00:00Z","region":"us-east-1",
             "resources":[],
             "detail":{"eventVersion":"1.11","eventTime":"2026-01-01T00:00:00Z","eventSource":"eks.amazonaws.com",
              "eventName":"CreateCluster","awsRegion":"us-east-1","eventID":"00000000-0000-4000-8000-00000000000a",
              "recipientAccountId":"000000000000",
              "userIdentity":{"type":"AssumedRole","accountId":"000000000000",
               "arn":"arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_Priming_0123456789abcdef/priming",
               "sessionContext":{"sessionIssuer":{"type":"Role","accountId":"000000000000",
                "arn":"arn:aws:iam::000000000000:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Priming_0123456789abcdef",
                "userName":"AWSReservedSSO_Priming_0123456789abcdef"}}},
              "requestParameters":{"name":"priming","accessConfig":{"authenticationMode":"API_AND_CONFIG_MAP",
               "bootstrapClusterCreatorAdminPermissions":false}},
              "responseElements":{"cluster":{"name":"priming","arn":"arn:aws:eks:us-east-1:000000000000:cluster/priming",
               "status":"CREATING","accessConfig":{"authenticationMode":"API_AND_CONFIG_MAP",
               "bootstrapClusterCreatorAdminPermissions":false}}}}}
            """;

    private final CloudTrailEventParser parser;
    private final ClusterCreationService service;
    private final FunctionLog log;

    ClusterCreationPriming(CloudTrailEventParser parser, ClusterCreationService service, FunctionLog log,
                           Supplier<?> preparation) {
        super(preparation);
        this.parser = parser;
        this.service = service;
        this.log = log;
    }

    /** @return the {@code recorded} line the event would have produced, rendered and not written */
    @Override
    String prime() {
        if (!(parser.parse(EVENT.getBytes(StandardCharsets.UTF_8)) instanceof ClusterCreated created)) {
            throw new IllegalStateException("the priming event must describe a created cluster");
        }
        return log.unwritten().write(new CreationOutcome.Recorded(service.plannedRecord(created, ACCOUNT), false)
                .logEvent());
    }
}
