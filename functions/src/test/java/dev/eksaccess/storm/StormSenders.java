package dev.eksaccess.storm;

import dev.eksaccess.authz.InternalSenders;
import dev.eksaccess.authz.PrincipalIds;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who sends the storm's messages: three team senders with different rules, an approver, a sender that no rule names
 * (an IAM role that exists but is not configured, as AWS produces it), and the system's own two roles, each with
 * the IAM unique id SQS puts in SenderId. The rules are in {@code storm/eligibility.json} (test resources); what they
 * mean is modelled on its own in {@link StormRules}.
 */
enum StormSenders {

    /** View in four namespaces, for team roles ({@code storm-viewer-namespaces}). */
    VIEWER("arn:aws:iam::111122223333:role/teams/storm-viewer", "AROASTORMVIEWER00001", "ci"),
    /** View and edit, any scope, on storm-00..19 only ({@code storm-editor-first-clusters}). */
    EDITOR("arn:aws:iam::111122223333:role/teams/storm-editor", "AROASTORMEDITOR00001", "deploy"),
    /** An IAM user: admin view at once, admin-class with approval and at most PT4H; also an approver. */
    OPS("arn:aws:iam::111122223333:user/storm-ops", "AIDASTORMOPS00000001", null),
    /** Approves and denies; named by no rule as a sender. */
    APPROVER("arn:aws:iam::111122223333:role/platform/storm-approver", "AROASTORMAPPROVER001", "alice"),
    /** Exists in IAM, configured nowhere: unknown to the grant processor. */
    STRANGER("arn:aws:iam::111122223333:role/teams/storm-stranger", "AROASTORMSTRANGER001", "mallory"),
    CLUSTER_CREATION("arn:aws:iam::111122223333:role/eks-access/storm-cluster-creation", "AROASTORMCREATION001",
            "cluster-creation"),
    EXPIRY_SWEEP("arn:aws:iam::111122223333:role/eks-access/storm-expiry-sweep", "AROASTORMSWEEP000001",
            "expiry-sweep");

    static final InternalSenders INTERNAL = new InternalSenders(Optional.of(CLUSTER_CREATION.arn),
            Optional.of(EXPIRY_SWEEP.arn));

    final String arn;
    final String uniqueId;
    /** The role session name; null for an IAM user. */
    final String session;

    StormSenders(String arn, String uniqueId, String session) {
        this.arn = arn;
        this.uniqueId = uniqueId;
        this.session = session;
    }

    /** The SenderId SQS gives this sender's messages. */
    String senderId() {
        return session == null ? uniqueId : uniqueId + ":" + session;
    }

    /** IAM as the storm sees it: every sender above exists with its id (the stranger too: it is simply unconfigured). */
    static PrincipalIds ids() {
        Map<String, String> ids = Arrays.stream(values()).collect(Collectors.toMap(s -> s.arn, s -> s.uniqueId));
        return arn -> Optional.ofNullable(ids.get(arn));
    }

    static StormSenders byArn(String arn) {
        return Arrays.stream(values()).collect(Collectors.toMap(s -> s.arn, Function.identity())).get(arn);
    }

    /** The storm's own eligibility document, {@code storm/eligibility.json}. */
    static EligibilityDocument document() {
        try (InputStream in = StormSenders.class.getResourceAsStream("/storm/eligibility.json")) {
            if (in == null) {
                throw new IllegalStateException("storm/eligibility.json is not on the test class path");
            }
            return EligibilityDocument.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
