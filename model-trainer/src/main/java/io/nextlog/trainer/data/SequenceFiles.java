package io.nextlog.trainer.data;

import io.nextlog.world.Journey;
import io.nextlog.world.JourneyFiles;
import io.nextlog.world.JourneyFormatException;
import io.nextlog.world.JourneyReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the trainer's two input formats into {@link UserSequence}s: the project's journey files
 * (through the synthetic world's {@link JourneyReader}, which checks the format and order) and
 * MovieLens-style ratings files ({@link RatingsFileReader}).
 */
public final class SequenceFiles {

    /** An input format. */
    public enum Format {
        /** The journey file format, version 1; see {@code io.nextlog.world}. */
        JOURNEYS,
        /** {@code user item rating timestamp}, tab or space separated. */
        RATINGS;

        /**
         * Parses a format name, case-insensitively.
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Format parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "format: expected journeys or ratings, found '" + name + "'");
            }
        }
    }

    private SequenceFiles() {}

    /**
     * Reads a file of the given format.
     *
     * @return the users in file order (journeys) or id order (ratings); empty when the file holds
     *     no events
     * @throws DataFormatException when a line breaks the format, naming file and line
     */
    public static List<UserSequence> read(Path file, Format format) throws IOException {
        return switch (format) {
            case JOURNEYS -> readJourneys(file);
            case RATINGS -> RatingsFileReader.read(file);
        };
    }

    private static List<UserSequence> readJourneys(Path file) throws IOException {
        List<UserSequence> sequences = new ArrayList<>();
        try (JourneyReader reader = JourneyFiles.newReader(file)) {
            while (reader.hasNext()) {
                Journey journey = reader.next();
                sequences.add(new UserSequence(journey.userId(), journey.steps()));
            }
        } catch (JourneyFormatException e) {
            throw new DataFormatException(e.file(), e.line(), problemOf(e));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return sequences;
    }

    /** The reader's message without its own "file line n: " prefix, which ours repeats. */
    private static String problemOf(JourneyFormatException e) {
        String prefix = e.file() + " line " + e.line() + ": ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
