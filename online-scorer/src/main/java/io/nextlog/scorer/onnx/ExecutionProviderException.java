package io.nextlog.scorer.onnx;

/** The configured ONNX Runtime execution provider cannot be used, and no fallback is allowed. */
public final class ExecutionProviderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the provider, expected and found. */
    public ExecutionProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
