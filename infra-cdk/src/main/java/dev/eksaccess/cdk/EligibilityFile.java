package dev.eksaccess.cdk;

import dev.eksaccess.contract.eligibility.EligibilityDocument;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The eligibility document a deployment ships, as {@code cdk synth} read and validated it. The text is kept so that
 * the grant processor receives exactly the bytes that were checked, not a re-serialisation of the parsed model.
 *
 * @param path     where it was read from (context key {@code eligibility})
 * @param text     the file's content, unchanged
 * @param document {@code text} parsed by {@link EligibilityDocument#parse}, the parser the functions use
 */
public record EligibilityFile(Path path, String text, EligibilityDocument document) {

    /** Where the document is inside its layer's archive; the function reads it under {@code /opt}. */
    public static final String FILE_IN_LAYER = "eks-access/eligibility.json";

    public EligibilityFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(document, "document");
    }
}
