package dev.eksaccess.log;

/**
 * How much a log line asks of an operator. The rule, the same in every function:
 *
 * <ul>
 *   <li>{@link #INFO}: the function did its job: a change applied, a cluster recorded, an event or request ignored
 *       because there was nothing to do (a duplicate, a stale or failed call), a sweep run.</li>
 *   <li>{@link #WARN}: an input was refused or has to wait: a request or event {@code rejected} (the sender has to
 *       fix it), a message that {@code failed-transient} for a reason the design expects (EKS throttling, a cluster
 *       not yet ACTIVE, another invocation holding the principal) and will be retried, a retry delay that could not
 *       be set. One such line needs nobody; many for one cause do.</li>
 *   <li>{@link #ERROR}: something a person must look at: an exception the function did not expect, whether it failed
 *       the invocation ({@code error}) or one message (a {@code failed-transient} line with an {@code errorType}), and
 *       a request rejected because the deployment's permissions are wrong (a {@code rejected} line with
 *       {@code errorType} {@code AccessDenied}), and a CreateCluster event EKS does not confirm (a {@code rejected}
 *       line with the failed check as {@code errorType}). Every ERROR line raises the function's logged-errors
 *       alarm.</li>
 * </ul>
 *
 * <p>The names are Lambda's own, so that its application log-level filter applies to these lines.
 */
public enum Level {
    INFO,
    WARN,
    ERROR
}
