package dev.eksaccess.authz;

import java.util.Optional;

/**
 * Who sent a message, as far as the configuration knows it.
 *
 * @param arn     the IAM user or role ARN that the sender id resolved to
 * @param session the role session name, for the audit; empty for users
 * @param raw     the SenderId as SQS delivered it
 */
public record Sender(String arn, Optional<String> session, String raw) {
}
