package io.nextlog.world;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * Everything a synthetic world is built from. Two worlds with equal configurations produce the same
 * customers, catalog and journeys, event for event.
 *
 * @param seed the seed every random draw derives from
 * @param customers number of customers, at least 1
 * @param events total number of behavior events over all journeys, at least 0; the world hits it
 *     exactly
 * @param start first instant of the world, a local midnight in {@code zone}
 * @param days the span journeys cover on average, at least 1; a customer's journey ends when their
 *     share of {@code events} is used up, so single journeys may end a little before or after
 * @param zone the customers' time zone; rhythms (commute hours, evening TV) are local times
 * @param plantedCauses trigger/consequence pairs to plant, possibly empty
 * @param preferenceShift the change of taste to apply, or null for none
 * @param newCampaignAt when the new campaign's offers become valid
 * @param trendingCampaign whether the new campaign's headline offer becomes popular once valid
 */
public record WorldConfig(
        long seed,
        int customers,
        long events,
        Instant start,
        int days,
        ZoneId zone,
        List<PlantedCause> plantedCauses,
        @Nullable PreferenceShift preferenceShift,
        Instant newCampaignAt,
        boolean trendingCampaign) {

    /** Events a day of the average customer when the span is derived. */
    public static final int TYPICAL_EVENTS_PER_DAY = 12;

    /** Default zone: the operator's customers live in Korea. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Seoul");

    /** Default start: Monday 3 June 2024, midnight in Seoul. */
    public static final Instant DEFAULT_START =
            ZonedDateTime.of(2024, 6, 3, 0, 0, 0, 0, DEFAULT_ZONE).toInstant();

    public WorldConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(newCampaignAt, "newCampaignAt");
        plantedCauses = List.copyOf(plantedCauses);
        if (customers < 1) {
            throw new IllegalArgumentException(
                    "customers: expected at least 1, found " + customers);
        }
        if (events < 0) {
            throw new IllegalArgumentException("events: expected at least 0, found " + events);
        }
        if (days < 1) {
            throw new IllegalArgumentException("days: expected at least 1, found " + days);
        }
    }

    /** A builder starting from the defaults: seed 42, 1,000 customers, 100,000 events. */
    public static Builder builder() {
        return new Builder();
    }

    /** The nominal span, {@code days} days. */
    public Duration span() {
        return Duration.ofDays(days);
    }

    /** A builder for a copy of this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .seed(seed)
                .customers(customers)
                .events(events)
                .start(start)
                .days(days)
                .zone(zone)
                .plantedCauses(plantedCauses)
                .preferenceShift(preferenceShift)
                .newCampaignAt(newCampaignAt)
                .trendingCampaign(trendingCampaign);
    }

    /**
     * The span that gives the average customer about {@value #TYPICAL_EVENTS_PER_DAY} events a day,
     * but at least a week so that every journey sees a weekend.
     */
    static int typicalDays(long events, int customers) {
        long perCustomer = events / Math.max(customers, 1);
        return (int) Math.max(7, Math.round((double) perCustomer / TYPICAL_EVENTS_PER_DAY));
    }

    /**
     * Builds a {@link WorldConfig}. Unless set, the span is {@link #typicalDays} and the new
     * campaign starts halfway through it. Not thread-safe.
     */
    public static final class Builder {
        private long seed = 42;
        private int customers = 1_000;
        private long events = 100_000;
        private Instant start = DEFAULT_START;
        @Nullable private Integer days;
        private ZoneId zone = DEFAULT_ZONE;
        private List<PlantedCause> plantedCauses = List.of();
        @Nullable private PreferenceShift preferenceShift;
        @Nullable private Instant newCampaignAt;
        private boolean trendingCampaign;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder customers(int customers) {
            this.customers = customers;
            return this;
        }

        public Builder events(long events) {
            this.events = events;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** The span in days; when never called, {@link WorldConfig#typicalDays} decides. */
        public Builder days(int days) {
            this.days = days;
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = zone;
            return this;
        }

        public Builder plantedCauses(List<PlantedCause> plantedCauses) {
            this.plantedCauses = plantedCauses;
            return this;
        }

        public Builder preferenceShift(@Nullable PreferenceShift preferenceShift) {
            this.preferenceShift = preferenceShift;
            return this;
        }

        public Builder newCampaignAt(@Nullable Instant newCampaignAt) {
            this.newCampaignAt = newCampaignAt;
            return this;
        }

        public Builder trendingCampaign(boolean trendingCampaign) {
            this.trendingCampaign = trendingCampaign;
            return this;
        }

        public WorldConfig build() {
            int span = days != null ? days : typicalDays(events, customers);
            Instant campaign =
                    newCampaignAt != null
                            ? newCampaignAt
                            : start.plus(Duration.ofDays(Math.max(span, 1)).dividedBy(2));
            return new WorldConfig(
                    seed,
                    customers,
                    events,
                    start,
                    span,
                    zone,
                    plantedCauses,
                    preferenceShift,
                    campaign,
                    trendingCampaign);
        }
    }
}
