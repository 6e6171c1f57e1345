package io.nextlog.scorer;

/** A scoring request that cannot be scored; the message says what was expected and found. */
public final class InvalidRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public InvalidRequestException(String message) {
        super(message);
    }
}
