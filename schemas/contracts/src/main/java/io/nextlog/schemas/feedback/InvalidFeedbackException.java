package io.nextlog.schemas.feedback;

/** A feedback event refused before sending; the message says which field and why. */
public final class InvalidFeedbackException extends IllegalArgumentException {

    public InvalidFeedbackException(String message) {
        super(message);
    }
}
