package io.nextlog.trainer.data;

import io.nextlog.schemas.event.JourneyStep;
import java.util.List;
import java.util.Objects;

/**
 * One user's events as the trainer sees them, whatever file they came from.
 *
 * @param userId the user id as the file spells it
 * @param steps the events, oldest first; never empty
 */
public record UserSequence(String userId, List<JourneyStep> steps) {

    /** Copies the steps; rejects an empty sequence. */
    public UserSequence {
        Objects.requireNonNull(userId, "userId");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(
                    "user " + userId + ": expected at least one event, found none");
        }
    }

    /** Returns the number of events. */
    public int length() {
        return steps.size();
    }
}
