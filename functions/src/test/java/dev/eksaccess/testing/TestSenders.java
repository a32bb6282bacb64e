package dev.eksaccess.testing;

import dev.eksaccess.authz.Authorizer;
import dev.eksaccess.authz.InternalSenders;
import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.authz.Senders;
import dev.eksaccess.config.GrantProcessorConfig;
import dev.eksaccess.contract.eligibility.Eligibility;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.delivery.AccessControl;
import dev.eksaccess.delivery.OutcomePublisher;
import dev.eksaccess.delivery.PendingApprovals;
import dev.eksaccess.engine.AccessEngine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The senders the tests send as, with the IAM unique ids SQS would put in SenderId, and the eligibility document
 * that the sandbox uses when given none ({@code events/eligibility/sandbox.json}): the team sender may grant every
 * non-admin policy at once and admin-class policies (for at most a day) once the approver approves.
 */
public final class TestSenders {

    public static final String TEAM = "arn:aws:iam::111122223333:role/sandbox/team";
    public static final String APPROVER = "arn:aws:iam::111122223333:role/sandbox/approver";
    public static final String CLUSTER_CREATION = "arn:aws:iam::111122223333:role/eks-access/cluster-creation";
    public static final String EXPIRY_SWEEP = "arn:aws:iam::111122223333:role/eks-access/expiry-sweep";
    /** The grant processor's own role: it sends a bootstrap that waits for its cluster again. */
    public static final String GRANT_PROCESSOR = "arn:aws:iam::111122223333:role/eks-access/grant-processor";
    /** The drift function's role: the only sender of restores. */
    public static final String DRIFT_FUNCTION = "arn:aws:iam::111122223333:role/eks-access/access-changes";
    /** Named by no rule. */
    public static final String STRANGER = "arn:aws:iam::111122223333:role/someone-else";

    public static final String TEAM_ID = "AROATEAMSENDER000001";
    public static final String APPROVER_ID = "AROAAPPROVER00000001";
    public static final String CLUSTER_CREATION_ID = "AROACLUSTERCREATION1";
    public static final String EXPIRY_SWEEP_ID = "AROAEXPIRYSWEEP00001";
    public static final String GRANT_PROCESSOR_ID = "AROAGRANTPROCESSOR01";
    public static final String STRANGER_ID = "AROASTRANGER00000001";
    public static final String DRIFT_FUNCTION_ID = "AROADRIFTFUNCTION001";

    /** The SenderId of a message the team sender sent from session {@code ci}. */
    public static final String TEAM_SENDER = TEAM_ID + ":ci";
    public static final String APPROVER_SENDER = APPROVER_ID + ":alice";
    public static final String CLUSTER_CREATION_SENDER = CLUSTER_CREATION_ID + ":cluster-creation";
    public static final String EXPIRY_SWEEP_SENDER = EXPIRY_SWEEP_ID + ":expiry-sweep";
    public static final String GRANT_PROCESSOR_SENDER = GRANT_PROCESSOR_ID + ":grant-processor";
    public static final String STRANGER_SENDER = STRANGER_ID + ":mallory";
    public static final String DRIFT_FUNCTION_SENDER = DRIFT_FUNCTION_ID + ":access-changes";

    public static final InternalSenders INTERNAL = new InternalSenders(Optional.of(CLUSTER_CREATION),
            Optional.of(EXPIRY_SWEEP), Optional.of(GRANT_PROCESSOR)).withDriftFunction(DRIFT_FUNCTION);

    private TestSenders() {
    }

    /** IAM as the tests see it: every sender above exists with its id. */
    public static PrincipalIds ids() {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(TEAM, TEAM_ID);
        ids.put(APPROVER, APPROVER_ID);
        ids.put(CLUSTER_CREATION, CLUSTER_CREATION_ID);
        ids.put(EXPIRY_SWEEP, EXPIRY_SWEEP_ID);
        ids.put(GRANT_PROCESSOR, GRANT_PROCESSOR_ID);
        ids.put(STRANGER, STRANGER_ID);
        ids.put(DRIFT_FUNCTION, DRIFT_FUNCTION_ID);
        return arn -> Optional.ofNullable(ids.get(arn));
    }

    /** {@code events/eligibility/sandbox.json}. */
    public static EligibilityDocument document() {
        return EligibilityDocument.parse(new String(EventFiles.bytes("eligibility/sandbox.json"),
                StandardCharsets.UTF_8));
    }

    /** {@code config} with the built-in document and the internal senders above. */
    public static GrantProcessorConfig authorized(GrantProcessorConfig config) {
        return config.withAuthorization(document(), INTERNAL);
    }

    /** Access control with the built-in document, the ids above and the internal senders. */
    public static AccessControl control(AccessEngine engine, PendingApprovals pending, OutcomePublisher outcomes,
                                        Clock clock) {
        Authorizer authorizer = new Authorizer(Optional.of(new Eligibility(document())), INTERNAL,
                engine::clusterTags);
        return new AccessControl(new Senders(authorizer.configuredSenders(), ids(), clock), authorizer, pending,
                outcomes);
    }
}
