package io.nextlog.trainer.data;

import io.nextlog.bundle.DataSpan;
import io.nextlog.schemas.event.JourneyStep;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a data set holds, for logs and the bundle's training-run record.
 *
 * @param source the file read
 * @param format its format
 * @param users the number of users
 * @param events the number of events
 * @param items the number of distinct items
 * @param minLength the shortest user's events
 * @param medianLength the median user's events
 * @param maxLength the longest user's events
 * @param from the oldest event time
 * @param to the newest event time
 */
public record DataSummary(
        String source,
        String format,
        int users,
        long events,
        int items,
        int minLength,
        int medianLength,
        int maxLength,
        Instant from,
        Instant to) {

    /**
     * Summarises a data set.
     *
     * @throws IllegalArgumentException for an empty data set, naming the source
     */
    public static DataSummary of(String source, String format, List<UserSequence> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": expected at least one event, found none");
        }
        int[] lengths = sequences.stream().mapToInt(UserSequence::length).sorted().toArray();
        Set<String> items = new HashSet<>();
        Instant from = Instant.MAX;
        Instant to = Instant.MIN;
        for (UserSequence sequence : sequences) {
            for (JourneyStep step : sequence.steps()) {
                items.add(step.getItem());
                from = step.getEventTime().isBefore(from) ? step.getEventTime() : from;
                to = step.getEventTime().isAfter(to) ? step.getEventTime() : to;
            }
        }
        return new DataSummary(
                source,
                format,
                lengths.length,
                Arrays.stream(lengths).asLongStream().sum(),
                items.size(),
                lengths[0],
                lengths[lengths.length / 2],
                lengths[lengths.length - 1],
                from,
                to);
    }

    /** Returns the event-time span for the bundle's provenance. */
    public DataSpan span() {
        return new DataSpan(from, to);
    }
}
