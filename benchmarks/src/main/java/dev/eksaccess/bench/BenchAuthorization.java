package dev.eksaccess.bench;

import dev.eksaccess.authz.InternalSenders;
import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import java.util.Map;
import java.util.Optional;

/**
 * Who sends the benchmarks' messages, and the eligibility document that lets it: the grant processor decides every
 * message by its SQS SenderId, so the benchmarks send as a team role whose only rule allows what they send (view
 * access at cluster scope, applied at once, no approval), with the functions' own roles as the internal senders.
 * Authorization is part of the measured work, as it is of a deployed function's.
 */
final class BenchAuthorization {

    /** The role session the benchmark sender signs with; SenderId is {@code ROLE_ID:SESSION}. */
    static final String SESSION = "bench";
    /** The team role's unique id where IAM is in memory (warm path, batch latency). */
    static final String TEAM_ROLE_ID = "AROABENCHTEAM0000001";
    /** The expiry sweep's role's unique id where IAM is in memory. */
    static final String SWEEP_ROLE_ID = "AROABENCHSWEEP000001";
    /**
     * The flood benchmark's sender: a configured sender whose only rule names clusters the benchmarks never create, so
     * every grant it sends to theirs is refused after the full authorization path (lease, duplicate check, rules).
     */
    static final String FLOODER_ROLE_ID = "AROABENCHFLOOD000001";

    private BenchAuthorization() {
    }

    static String teamRole(String account) {
        return "arn:aws:iam::" + account + ":role/bench/team";
    }

    static String clusterCreationRole(String account) {
        return "arn:aws:iam::" + account + ":role/eks-access/cluster-creation";
    }

    static String flooderRole(String account) {
        return "arn:aws:iam::" + account + ":role/bench/flooder";
    }

    static String expirySweepRole(String account) {
        return "arn:aws:iam::" + account + ":role/eks-access/expiry-sweep";
    }

    /** The SenderId of the team role's messages where IAM is in memory. */
    static String teamSenderId() {
        return TEAM_ROLE_ID + ":" + SESSION;
    }

    static InternalSenders internalSenders(String account) {
        return new InternalSenders(Optional.of(clusterCreationRole(account)), Optional.of(expirySweepRole(account)));
    }

    /** The document's text: the team role may grant the view policy to anyone, at cluster scope, at once. */
    static String documentJson(String account) {
        return """
                {"version": 1, "rules": [{"id": "bench-view",
                  "description": "what the benchmarks send: view access at cluster scope, applied at once",
                  "senders": ["%s"], "clusters": {"names": ["*"]}, "principals": {"patterns": ["arn:aws:iam::*"]},
                  "policies": ["AmazonEKSViewPolicy"], "scopes": {"cluster": true}},
                 {"id": "bench-flooder",
                  "description": "the flood benchmark's sender: a known sender whose rule matches no benchmark cluster",
                  "senders": ["%s"], "clusters": {"names": ["sandbox-*"]}, "principals": {"patterns": ["arn:aws:iam::*"]},
                  "policies": ["AmazonEKSViewPolicy"], "scopes": {"cluster": true}}]}
                """.formatted(teamRole(account), flooderRole(account));
    }

    static EligibilityDocument document(String account) {
        return EligibilityDocument.parse(documentJson(account));
    }

    /** IAM in memory: the team role has {@link #TEAM_ROLE_ID}; the functions' roles have ids of their own. */
    static PrincipalIds ids(String account) {
        Map<String, String> ids = Map.of(teamRole(account), TEAM_ROLE_ID,
                clusterCreationRole(account), "AROABENCHCREATION001",
                expirySweepRole(account), SWEEP_ROLE_ID, flooderRole(account), FLOODER_ROLE_ID);
        return arn -> Optional.ofNullable(ids.get(arn));
    }
}
