package io.nextlog.world;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of taste: from {@code at} on, a fixed group of customers (chosen from the seed) moves
 * {@code strength} of their preference mass onto {@code towards}. Their responses to offers follow
 * the new preferences, and so does their behavior unless the shift is in responses only; everybody
 * else stays as they were.
 *
 * <p>A shift in responses only leaves the journeys as they were, so a model that reads journeys
 * cannot see it there: only the feedback to offers reveals it. That tells an updating model apart
 * from a pinned one more sharply than a shift the journeys show.
 *
 * @param at when the shift happens
 * @param customerFraction share of customers in the shifted group, in (0, 1]
 * @param towards the category the group turns to
 * @param strength share of preference mass moved, in (0, 1]
 * @param inBehavior whether the group's behavior follows the shift too, not only their responses
 */
public record PreferenceShift(
        Instant at,
        double customerFraction,
        Category towards,
        double strength,
        boolean inBehavior) {

    /** A shift that both behavior and responses follow. */
    public PreferenceShift(Instant at, double customerFraction, Category towards, double strength) {
        this(at, customerFraction, towards, strength, true);
    }

    public PreferenceShift {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(towards, "towards");
        requireShare("customerFraction", customerFraction);
        requireShare("strength", strength);
    }

    private static void requireShare(String what, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(
                    "preference shift " + what + ": expected a value in (0, 1], found " + value);
        }
    }
}
