package io.nextlog.scorer.model;

import java.nio.file.Path;

/**
 * A bundle failed a load check and was not put live. The message names the bundle, the check, what
 * was expected and what was found.
 */
public final class BundleRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path bundle;
    private final String check;
    private final String expected;
    private final String found;

    /**
     * @param bundle the bundle directory
     * @param check which check failed, such as {@code sha256 of model.onnx}
     * @param expected what the check wanted
     * @param found what it found
     * @param cause the underlying error, or null
     */
    public BundleRefusedException(
            Path bundle, String check, String expected, String found, Throwable cause) {
        super(
                "bundle "
                        + bundle
                        + " refused by check '"
                        + check
                        + "': expected "
                        + expected
                        + ", found "
                        + found,
                cause);
        this.bundle = bundle;
        this.check = check;
        this.expected = expected;
        this.found = found;
    }

    /** Returns the bundle directory. */
    public Path bundle() {
        return bundle;
    }

    /** Returns the check that failed. */
    public String check() {
        return check;
    }

    /** Returns what the check expected. */
    public String expected() {
        return expected;
    }

    /** Returns what the check found. */
    public String found() {
        return found;
    }
}
