package io.nextlog.world;

import io.nextlog.schemas.event.BehaviorEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes journey files, the project's one file format for journeys (see the package
 * documentation for the format itself). A name ending in {@code .gz} means gzip.
 */
public final class JourneyFiles {

    /** The header line: the four columns every journey file starts with. */
    public static final String HEADER = "user_id\tevent_time_ms\tdomain\titem";

    /** The first line writers put before the header; readers skip any line starting with '#'. */
    public static final String FORMAT_LINE = "# nextlog journey format 1";

    private static final int BUFFER_BYTES = 1 << 16;

    private JourneyFiles() {}

    /** Opens a writer on {@code file}, replacing it; the header is written at once. */
    public static JourneyWriter newWriter(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        if (isGzip(file)) {
            out = new GZIPOutputStream(out, BUFFER_BYTES);
        }
        BufferedWriter writer =
                new BufferedWriter(
                        new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_BYTES);
        return new JourneyWriter(file, writer);
    }

    /**
     * Opens a reader on {@code file} and checks its header.
     *
     * @throws JourneyFormatException when the header is missing or different
     */
    public static JourneyReader newReader(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (isGzip(file)) {
            in = new GZIPInputStream(in, BUFFER_BYTES);
        }
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER_BYTES);
        return new JourneyReader(file, reader);
    }

    /**
     * Writes {@code events}, which must come grouped by user in ascending user-id order and oldest
     * first within a user, as {@link SyntheticWorld#eventsByUser()} gives them.
     *
     * @return the number of events written
     * @throws JourneyFormatException when the events are out of order
     */
    public static long write(Path file, Iterator<BehaviorEvent> events) throws IOException {
        try (JourneyWriter writer = newWriter(file)) {
            while (events.hasNext()) {
                writer.write(events.next());
            }
            return writer.eventsWritten();
        }
    }

    /** Reads every journey of {@code file} into memory; for small files and tests. */
    public static List<Journey> readAll(Path file) throws IOException {
        List<Journey> journeys = new ArrayList<>();
        try (JourneyReader reader = newReader(file)) {
            reader.forEachRemaining(journeys::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return journeys;
    }

    private static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }
}
