package io.nextlog.world;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of taste: from {@code at} on, a fixed group of customers (chosen from the seed) moves
 * {@code strength} of their preference mass onto {@code towards}. Their behavior and their
 * responses to offers follow the new preferences; everybody else stays as they were.
 *
 * @param at when the shift happens
 * @param customerFraction share of customers in the shifted group, in (0, 1]
 * @param towards the category the group turns to
 * @param strength share of preference mass moved, in (0, 1]
 */
public record PreferenceShift(
        Instant at, double customerFraction, Category towards, double strength) {

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
