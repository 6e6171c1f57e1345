package io.nextlog.bundle;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A bundle whose files do not match its manifest: a changed, missing or unlisted file. The bundle
 * must not be used.
 */
public final class BundleIntegrityException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What {@link #found()} says for a listed file that is absent. */
    public static final String MISSING = "missing";

    /** What {@link #expected()} says for a file that the manifest does not list. */
    public static final String NOT_LISTED = "not listed in the manifest";

    private final transient Path file;
    private final String expected;
    private final String found;

    /**
     * @param file the offending file
     * @param expected the sha256 the manifest lists, or {@link #NOT_LISTED}
     * @param found the sha256 of the file as it is, or {@link #MISSING}
     */
    public BundleIntegrityException(Path file, String expected, String found) {
        super("bundle file " + file + ": expected sha256 " + expected + ", found " + found);
        this.file = file;
        this.expected = expected;
        this.found = found;
    }

    /** Returns the offending file. */
    public Path file() {
        return file;
    }

    /** Returns the sha256 the manifest lists, or {@link #NOT_LISTED}. */
    public String expected() {
        return expected;
    }

    /** Returns the sha256 of the file as it is, or {@link #MISSING}. */
    public String found() {
        return found;
    }
}
