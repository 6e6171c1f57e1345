package io.nextlog.scorer.batch;

/** A request shed because the scorer is at capacity; answered 503 with Retry-After. */
public final class OverloadedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message says what was full or late. */
    public OverloadedException(String message) {
        super(message);
    }
}
