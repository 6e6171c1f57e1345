package io.nextlog.scorer.release;

/** What applying one release did. */
public enum ReleaseOutcome {
    /** A newly loaded model is live. */
    PROMOTED,
    /** The previous model is live again, without loading (an instant rollback). */
    SWITCHED_BACK,
    /** The named version was already live; only the sequence advanced. */
    ALREADY_LIVE,
    /** The sequence was not newer than the last applied one; nothing changed. */
    STALE,
    /** The bundle failed a check or the release was malformed; the live model keeps serving. */
    REFUSED
}
