package dev.eksaccess.contract.eligibility;

import java.util.List;

/** An eligibility document that cannot be used: every problem found, each starting with its JSON path. */
public final class EligibilityDocumentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public EligibilityDocumentException(List<String> problems) {
        super("eligibility document: " + String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
