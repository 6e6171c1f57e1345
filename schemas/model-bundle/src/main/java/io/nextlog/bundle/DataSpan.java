package io.nextlog.bundle;

import java.time.Instant;

/**
 * The event-time range of the data a model was trained on.
 *
 * @param from the oldest event time included
 * @param to the newest event time included; not before {@code from}
 */
public record DataSpan(Instant from, Instant to) {

    /** Checks that the range is not inverted. */
    public DataSpan {
        if (from == null || to == null || to.isBefore(from)) {
            throw new IllegalArgumentException(
                    "data span: expected from <= to, both set, found " + from + " .. " + to);
        }
    }
}
