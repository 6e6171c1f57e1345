package io.nextlog.world;

import java.nio.file.Path;

/** A journey file broke the format: the message names the file, the line, expected and found. */
public final class JourneyFormatException extends RuntimeException {

    private final Path file;
    private final long line;

    JourneyFormatException(Path file, long line, String problem) {
        super(file + " line " + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** The file that broke the format. */
    public Path file() {
        return file;
    }

    /** The 1-based line number of the offending line. */
    public long line() {
        return line;
    }
}
