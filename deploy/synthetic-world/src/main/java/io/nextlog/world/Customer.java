package io.nextlog.world;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One synthetic customer: their persona, places, device and plan, and their hidden preferences over
 * {@link Category categories}. The preferences never appear in any event; they only shape what the
 * customer does and how they respond to offers, which is what the platform has to learn.
 *
 * <p>Immutable and thread-safe.
 */
public final class Customer {

    private final int index;
    private final String userId;
    private final Persona persona;
    private final int homeCell;
    private final int workCell;
    private final String device;
    private final String plan;
    private final double activity;
    private final boolean weekendTvHabit;
    private final double[] preferences;
    @Nullable private final Instant shiftedAt;
    @Nullable private final double[] shiftedPreferences;
    private final boolean shiftInBehavior;

    Customer(
            int index,
            String userId,
            Persona persona,
            int homeCell,
            int workCell,
            String device,
            String plan,
            double activity,
            boolean weekendTvHabit,
            double[] preferences,
            @Nullable PreferenceShift shift) {
        this.index = index;
        this.userId = Objects.requireNonNull(userId, "userId");
        this.persona = persona;
        this.homeCell = homeCell;
        this.workCell = workCell;
        this.device = device;
        this.plan = plan;
        this.activity = activity;
        this.weekendTvHabit = weekendTvHabit;
        this.preferences = preferences;
        this.shiftedAt = shift == null ? null : shift.at();
        this.shiftedPreferences = shift == null ? null : shifted(preferences, shift);
        this.shiftInBehavior = shift == null || shift.inBehavior();
    }

    private static double[] shifted(double[] before, PreferenceShift shift) {
        double[] after = new double[before.length];
        for (int i = 0; i < before.length; i++) {
            after[i] = before[i] * (1 - shift.strength());
        }
        after[shift.towards().ordinal()] += shift.strength();
        return after;
    }

    /** Position of this customer in the world's creation order (0-based). */
    public int index() {
        return index;
    }

    /** The pseudonymous user id, matching {@code PseudonymousIds.defaults()}. */
    public String userId() {
        return userId;
    }

    public Persona persona() {
        return persona;
    }

    /** Index of the home cell, 0..{@value BehaviorItems#CELLS}-1. */
    public int homeCell() {
        return homeCell;
    }

    /** Index of the work (or school) cell; equals the home cell for those who do not commute. */
    public int workCell() {
        return workCell;
    }

    public String device() {
        return device;
    }

    public String plan() {
        return plan;
    }

    /** How active the customer is relative to the average customer (mean about 1). */
    public double activity() {
        return activity;
    }

    /** Whether the customer watches their favourite programme on weekend evenings. */
    public boolean hasWeekendTvHabit() {
        return weekendTvHabit;
    }

    /** Whether this customer belongs to the group of the configured preference shift. */
    public boolean isShifted() {
        return shiftedAt != null;
    }

    /**
     * The hidden preference for {@code category} at {@code at}, as a share: the shares of all
     * categories add up to 1.
     */
    public double preference(Category category, Instant at) {
        return preferencesAt(at)[category.ordinal()];
    }

    /**
     * How much the customer likes {@code category} at {@code at} relative to their favourite
     * category: 1 for the favourite, near 0 for categories they ignore.
     */
    public double affinity(Category category, Instant at) {
        return affinity(preferencesAt(at), category);
    }

    /**
     * Like {@link #affinity}, for the customer's behavior: without the shift when it shows in
     * responses only.
     */
    double behaviorAffinity(Category category, Instant at) {
        return affinity(behaviorPreferencesAt(at), category);
    }

    private static double affinity(double[] shares, Category category) {
        double max = 0;
        for (double share : shares) {
            max = Math.max(max, share);
        }
        return shares[category.ordinal()] / max;
    }

    /**
     * The category among {@code candidates} the customer likes most at {@code at}.
     *
     * @throws IllegalArgumentException when {@code candidates} is empty
     */
    public Category favourite(Collection<Category> candidates, Instant at) {
        return favourite(preferencesAt(at), candidates);
    }

    /**
     * Like {@link #favourite}, for the customer's behavior: without the shift when it shows in
     * responses only.
     */
    Category behaviorFavourite(Collection<Category> candidates, Instant at) {
        return favourite(behaviorPreferencesAt(at), candidates);
    }

    private Category favourite(double[] shares, Collection<Category> candidates) {
        Category best = null;
        for (Category category : candidates) {
            if (best == null || shares[category.ordinal()] > shares[best.ordinal()]) {
                best = category;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException(
                    "favourite category of " + userId + ": expected candidates, found none");
        }
        return best;
    }

    /**
     * The preference shares the customer's behavior follows at {@code at}: those of {@link
     * #preferencesAt}, or the ones from before the shift when it shows in responses only. Not a
     * copy.
     */
    double[] behaviorPreferencesAt(Instant at) {
        return shiftInBehavior ? preferencesAt(at) : preferences;
    }

    /** The preference shares in force at {@code at}, indexed by category ordinal; not a copy. */
    double[] preferencesAt(Instant at) {
        if (shiftedAt != null && !at.isBefore(shiftedAt)) {
            return shiftedPreferences;
        }
        return preferences;
    }

    @Override
    public String toString() {
        return "Customer[" + userId + ", " + persona + "]";
    }
}
