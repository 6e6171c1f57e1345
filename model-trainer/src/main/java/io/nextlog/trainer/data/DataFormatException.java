package io.nextlog.trainer.data;

import java.nio.file.Path;

/** An input file broke its format: the message names the file, the line, expected and found. */
public final class DataFormatException extends RuntimeException {

    private final Path file;
    private final long line;

    /**
     * @param file the file being read
     * @param line the 1-based line number; 0 when the problem is the file as a whole
     * @param problem what was expected and what was found
     */
    public DataFormatException(Path file, long line, String problem) {
        super(file + (line > 0 ? " line " + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** Returns the file that broke the format. */
    public Path file() {
        return file;
    }

    /** Returns the 1-based line number of the offending line, or 0 for the whole file. */
    public long line() {
        return line;
    }
}
