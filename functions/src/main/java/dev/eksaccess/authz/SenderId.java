package dev.eksaccess.authz;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQS {@code SenderId} of a message, which SQS sets from the credentials that sent it: an IAM user's unique id
 * ({@code AIDA…}), or a role's unique id and the session name ({@code AROA…:session}). It names neither the account
 * nor the ARN; {@link Senders} maps the id to the ARN that the eligibility rules name.
 *
 * @param raw      the attribute as SQS delivered it
 * @param uniqueId the IAM unique id of the user or role
 * @param session  the role session name; empty for users
 */
public record SenderId(String raw, String uniqueId, Optional<String> session) {

    /** IAM unique ids: a four-letter kind prefix and 16 to 128 upper-case letters and digits. */
    private static final Pattern FORM = Pattern.compile("(AIDA[A-Z0-9]{12,124})|(AROA[A-Z0-9]{12,124}):([\\w+=,.@-]{2,64})");

    /**
     * Reads a SenderId; empty for anything else (a missing attribute, the account id that SQS shows for the root
     * user, another kind of id): such senders are never eligible.
     */
    public static Optional<SenderId> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        Matcher matcher = FORM.matcher(raw);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return matcher.group(1) != null
                ? Optional.of(new SenderId(raw, matcher.group(1), Optional.empty()))
                : Optional.of(new SenderId(raw, matcher.group(2), Optional.of(matcher.group(3))));
    }

    /** Whether the id is a role's (with a session), not a user's. */
    public boolean isRole() {
        return session.isPresent();
    }
}
