package dev.eksaccess.awsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What becomes of one aws-auth mapping.
 *
 * @param source      where the mapping is ({@code mapRoles[2] (line 7)})
 * @param subject     the ARN or account id as aws-auth names it
 * @param username    the mapping's username as written, empty when none
 * @param groups      the mapping's groups as written
 * @param verdict     whether it migrates
 * @param entry       the access entry it becomes; present exactly when {@link Verdict#MIGRATE}, and for a node
 *                    mapping whose entry type the system does not create (so the operator sees what to create)
 * @param explanation why: how it maps, or why it cannot
 */
public record PlannedMapping(String source, String subject, Optional<String> username, List<String> groups,
                             Verdict verdict, Optional<PlannedEntry> entry, String explanation) {

    /** Whether a mapping migrates. */
    public enum Verdict {
        /** It becomes {@link #entry()}. */
        MIGRATE,
        /** EKS cannot express it, or it grants nothing today; {@link #explanation()} says which and why. */
        NOT_MIGRATABLE,
        /** A look-up it needs failed (IAM); planning again may resolve it. */
        UNRESOLVED
    }

    public PlannedMapping {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(username, "username");
        groups = List.copyOf(groups);
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(explanation, "explanation");
        if (verdict == Verdict.MIGRATE && entry.isEmpty()) {
            throw new IllegalArgumentException("a migrating mapping names its entry");
        }
    }
}
