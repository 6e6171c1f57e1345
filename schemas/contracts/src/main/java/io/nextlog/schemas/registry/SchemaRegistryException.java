package io.nextlog.schemas.registry;

/**
 * The schema registry refused a call or could not be reached.
 *
 * <p>{@link #httpStatus()} is the HTTP status (409 for a schema incompatible with the subject's
 * earlier versions, 404 for an unknown subject, schema or id), or -1 when the registry did not
 * answer. {@link #errorCode()} is the Confluent error code from the body, or -1.
 */
public final class SchemaRegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    /** HTTP status of the refusal, or -1 when the registry could not be reached. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code from the response body, or -1. */
    public int errorCode() {
        return errorCode;
    }

    /** Whether the registry refused the schema as incompatible (HTTP 409). */
    public boolean isIncompatible() {
        return httpStatus == 409;
    }

    /** Whether the subject, version, schema or id was not found (HTTP 404). */
    public boolean isNotFound() {
        return httpStatus == 404;
    }
}
