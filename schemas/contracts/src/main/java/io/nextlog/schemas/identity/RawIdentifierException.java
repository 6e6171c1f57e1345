package io.nextlog.schemas.identity;

/** A record carried an id that is not pseudonymous; its content must not be stored or logged. */
public final class RawIdentifierException extends IllegalArgumentException {

    public RawIdentifierException(String message) {
        super(message);
    }
}
