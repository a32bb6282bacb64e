package dev.eksaccess.contract.eligibility;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The eligibility policy: which senders may ask for which access, and who approves. Deployed with the stack
 * ({@code cdk deploy} is its change process), validated by {@code cdk synth} and again at every function start with
 * the same {@link #parse parser}. Default deny: a request no rule allows is rejected before any AWS call.
 *
 * @param version the document format, {@value #VERSION}
 * @param rules   in document order, which decides between several rules that need approval
 */
public record EligibilityDocument(int version, List<EligibilityRule> rules) {

    /** The one format version this code reads. */
    public static final int VERSION = 1;

    public EligibilityDocument {
        rules = List.copyOf(rules);
    }

    /**
     * Reads and checks a document.
     *
     * @throws EligibilityDocumentException listing every problem, each with its JSON path
     */
    public static EligibilityDocument parse(String json) {
        return new EligibilityParser().parse(json);
    }

    /** Every ARN the document names as a sender or an approver: the identities the functions must recognise. */
    public Set<String> identities() {
        Set<String> identities = new LinkedHashSet<>();
        for (EligibilityRule rule : rules) {
            identities.addAll(rule.senders());
            rule.approval().ifPresent(approval -> identities.addAll(approval.approvers()));
        }
        return identities;
    }

    /** The rule with this id. */
    public Optional<EligibilityRule> rule(String id) {
        return rules.stream().filter(rule -> rule.id().equals(id)).findFirst();
    }
}
