package dev.eksaccess.config;

import dev.eksaccess.contract.Setting;
import dev.eksaccess.contract.eligibility.EligibilityDocument;
import dev.eksaccess.contract.eligibility.EligibilityDocumentException;
import java.util.Optional;

/**
 * Reads the eligibility document ({@link Setting#ELIGIBILITY_FILE}, from the eligibility layer) once at start: the grant
 * processor authorizes with it, the access-change function reads each rule's {@code drift} mode from it.
 */
public final class EligibilityFile {

    private EligibilityFile() {
    }

    /**
     * The document the variable names; empty when it is unset.
     *
     * @throws ConfigException naming the variable, the file and every problem (each with its JSON path)
     */
    public static Optional<EligibilityDocument> read(Environment environment) {
        Optional<String> text = environment.file(Setting.ELIGIBILITY_FILE);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(EligibilityDocument.parse(text.get()));
        } catch (EligibilityDocumentException e) {
            throw ConfigException.ofFile(Setting.ELIGIBILITY_FILE, environment, "an eligibility document", e.problems());
        }
    }
}
