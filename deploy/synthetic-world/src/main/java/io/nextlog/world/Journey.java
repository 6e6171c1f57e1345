package io.nextlog.world;

import io.nextlog.schemas.event.JourneyStep;
import java.util.List;
import java.util.Objects;

/**
 * One customer's journey as read from a journey file.
 *
 * @param userId the pseudonymous user id
 * @param steps the events, oldest first; never empty
 */
public record Journey(String userId, List<JourneyStep> steps) {

    public Journey {
        Objects.requireNonNull(userId, "userId");
        steps = List.copyOf(steps);
    }
}
