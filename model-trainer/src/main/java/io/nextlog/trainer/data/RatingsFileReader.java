package io.nextlog.trainer.data;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a MovieLens-style ratings file: one rating a line, {@code user item rating timestamp},
 * separated by tabs or runs of spaces, as MovieLens 100K's {@code u.data} is. The timestamp is in
 * epoch seconds; the rating must be a number but is otherwise ignored, since a rating is an
 * interaction like any other for next-item prediction. Blank lines are skipped; there is no header.
 *
 * <p>Every rating becomes a {@link JourneyStep} with the item id as written, domain {@link #DOMAIN}
 * and the timestamp as event time. Each user's rows are ordered by timestamp, rows with equal
 * timestamps in file order (a stable sort); users come in ascending order of their id (as numbers
 * when both ids are numbers, else as strings), so the result does not depend on how the file is
 * shuffled across users.
 *
 * <p>A malformed line stops the read with a {@link DataFormatException} naming file and line: a
 * ratings file is a data set to measure on, and a silently skipped row would change the figures.
 */
public final class RatingsFileReader {

    /** The domain every rating gets; MovieLens has a single kind of event. */
    public static final Domain DOMAIN = Domain.TV_VIEWING;

    private static final Pattern SEPARATOR = Pattern.compile("[\\t ]+");

    private RatingsFileReader() {}

    /**
     * Reads the whole file into memory.
     *
     * @return one sequence per user; empty for a file without ratings
     * @throws DataFormatException on a line without four columns or with a non-numeric rating or
     *     timestamp
     */
    public static List<UserSequence> read(Path file) throws IOException {
        Map<String, List<Row>> rowsByUser = new TreeMap<>(RatingsFileReader::compareIds);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                Row row = parse(file, lineNumber, trimmed);
                rowsByUser.computeIfAbsent(row.user(), user -> new ArrayList<>()).add(row);
            }
        }
        return toSequences(rowsByUser);
    }

    private static Row parse(Path file, long lineNumber, String line) {
        String[] columns = SEPARATOR.split(line);
        if (columns.length != 4) {
            throw new DataFormatException(
                    file,
                    lineNumber,
                    "expected 4 columns 'user item rating timestamp', found "
                            + columns.length
                            + ": '"
                            + line
                            + "'");
        }
        try {
            Double.parseDouble(columns[2]);
        } catch (NumberFormatException e) {
            throw new DataFormatException(
                    file, lineNumber, "rating: expected a number, found '" + columns[2] + "'");
        }
        long seconds;
        try {
            seconds = Long.parseLong(columns[3]);
        } catch (NumberFormatException e) {
            throw new DataFormatException(
                    file,
                    lineNumber,
                    "timestamp: expected epoch seconds, found '" + columns[3] + "'");
        }
        return new Row(columns[0], columns[1], seconds);
    }

    private static List<UserSequence> toSequences(Map<String, List<Row>> rowsByUser) {
        List<UserSequence> sequences = new ArrayList<>(rowsByUser.size());
        for (Map.Entry<String, List<Row>> entry : rowsByUser.entrySet()) {
            List<Row> rows = entry.getValue();
            // List.sort is stable: equal timestamps keep file order.
            rows.sort(Comparator.comparingLong(Row::epochSeconds));
            List<JourneyStep> steps = new ArrayList<>(rows.size());
            for (Row row : rows) {
                steps.add(
                        new JourneyStep(
                                row.item(), DOMAIN, Instant.ofEpochSecond(row.epochSeconds())));
            }
            sequences.add(new UserSequence(entry.getKey(), steps));
        }
        return sequences;
    }

    /** Numeric order when both ids are plain numbers, string order otherwise. */
    static int compareIds(String a, String b) {
        if (isDigits(a) && isDigits(b)) {
            int byValue = new BigInteger(a).compareTo(new BigInteger(b));
            if (byValue != 0) {
                return byValue;
            }
        }
        return a.compareTo(b);
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private record Row(String user, String item, long epochSeconds) {}
}
