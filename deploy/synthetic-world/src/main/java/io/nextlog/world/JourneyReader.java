package io.nextlog.world;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import javax.annotation.Nullable;

/**
 * Reads a journey file one {@link Journey} at a time, checking every line: four tab-separated
 * columns at least (later columns are ignored, so newer files with more columns stay readable), a
 * numeric time, a known domain, users ascending and times non-decreasing within a user. A bad line
 * fails the read with a {@link JourneyFormatException} naming file and line: a journey file is
 * written by nextlog's own tools, so a bad line means a broken file, not a bad record to skip.
 *
 * <p>I/O errors during iteration surface as {@link UncheckedIOException}. Not thread-safe.
 */
public final class JourneyReader implements Iterator<Journey>, Closeable {

    private final Path file;
    private final BufferedReader in;
    private long lineNumber;
    @Nullable private Row pending;

    /** One parsed line. */
    private record Row(String userId, JourneyStep step) {}

    JourneyReader(Path file, BufferedReader in) throws IOException {
        this.file = file;
        this.in = in;
        String header = nextDataLine();
        if (header == null || !header.startsWith(JourneyFiles.HEADER)) {
            throw new JourneyFormatException(
                    file,
                    lineNumber,
                    "expected the header '"
                            + JourneyFiles.HEADER.replace("\t", "\\t")
                            + "', found "
                            + (header == null ? "end of file" : "'" + header + "'"));
        }
        this.pending = readRow();
    }

    @Override
    public boolean hasNext() {
        return pending != null;
    }

    @Override
    public Journey next() {
        if (pending == null) {
            throw new NoSuchElementException(file + ": no more journeys");
        }
        String user = pending.userId();
        List<JourneyStep> steps = new ArrayList<>();
        while (pending != null && pending.userId().equals(user)) {
            steps.add(pending.step());
            pending = readRow();
            checkOrder(user, steps.get(steps.size() - 1));
        }
        return new Journey(user, steps);
    }

    private void checkOrder(String user, JourneyStep previous) {
        if (pending == null) {
            return;
        }
        String next = pending.userId();
        if (next.equals(user)) {
            if (pending.step().getEventTime().isBefore(previous.getEventTime())) {
                throw new JourneyFormatException(
                        file,
                        lineNumber,
                        "user "
                                + user
                                + ": expected event_time_ms at or after "
                                + previous.getEventTime().toEpochMilli()
                                + ", found "
                                + pending.step().getEventTime().toEpochMilli());
            }
        } else if (next.compareTo(user) < 0) {
            throw new JourneyFormatException(
                    file,
                    lineNumber,
                    "expected user ids in ascending order, found " + next + " after " + user);
        }
    }

    @Nullable
    private Row readRow() {
        try {
            String line = nextDataLine();
            return line == null ? null : parse(line);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not read " + file + " after line " + lineNumber, e);
        }
    }

    @Nullable
    private String nextDataLine() throws IOException {
        String line;
        do {
            line = in.readLine();
            lineNumber++;
        } while (line != null && (line.isEmpty() || line.startsWith("#")));
        return line;
    }

    private Row parse(String line) {
        String[] columns = line.split("\t", -1);
        if (columns.length < 4) {
            throw new JourneyFormatException(
                    file, lineNumber, "expected 4 tab-separated columns, found " + columns.length);
        }
        return new Row(
                nonEmpty(columns[0], "user_id"),
                new JourneyStep(
                        nonEmpty(columns[3], "item"), domain(columns[2]), time(columns[1])));
    }

    private String nonEmpty(String value, String column) {
        if (value.isEmpty()) {
            throw new JourneyFormatException(
                    file, lineNumber, column + ": expected a value, found none");
        }
        return value;
    }

    private Instant time(String value) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new JourneyFormatException(
                    file,
                    lineNumber,
                    "event_time_ms: expected epoch milliseconds, found '" + value + "'");
        }
    }

    private Domain domain(String value) {
        try {
            Domain domain = Domain.valueOf(value);
            if (domain != Domain.UNKNOWN) {
                return domain;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the other unknown values
        }
        throw new JourneyFormatException(
                file, lineNumber, "domain: expected a known Domain symbol, found '" + value + "'");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
