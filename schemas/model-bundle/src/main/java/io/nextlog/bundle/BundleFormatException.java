package io.nextlog.bundle;

import java.io.IOException;

/** A bundle that is intact but that this code cannot use: unknown format, inconsistent parts. */
public final class BundleFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message says expected, found and which bundle or file. */
    public BundleFormatException(String message) {
        super(message);
    }
}
