package io.nextlog.scorer;

/** A forward pass failed inside ONNX Runtime; the message names the model and the batch shape. */
public final class ScoringException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public ScoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
