package dev.eksaccess.drift;

/** Where external changes are kept: once per CloudTrail event, since EventBridge may deliver an event twice. */
public interface ExternalChangeLog {

    /** Records the change unless its event is recorded already; returns whether it wrote. */
    boolean recordOnce(ExternalChange change);
}
