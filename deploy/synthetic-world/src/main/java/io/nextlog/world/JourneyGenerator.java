package io.nextlog.world;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.Domain;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes customers' journeys, one day at a time.
 *
 * <p>A day is built from routine parts and free parts, then sorted by time. Routine: the weekday
 * commute of commuting personas (home cell, transit app, station, the customer's commute app, work
 * cell; and back in the evening), calls, light browsing, and the weekend evening TV habit. Free
 * events: an hour drawn from the persona's rhythm, a category drawn from the customer's hidden
 * preferences at that instant, a domain that has items in that category, and an item (mostly the
 * customer's own favourite there). Items with a typical follow-up get it with its probability. Once
 * sorted, every planted trigger gets its consequence as the very next event. Purchases and campaign
 * responses only name offers valid at their time; when the new campaign trends, customers take its
 * headline offer up in proportion to their liking of its category.
 *
 * <p>Every day of every customer draws from its own random stream (seed, customer, day), so a
 * journey does not depend on which other journeys were generated, or in which order. Thread-safe:
 * the generator holds no mutable state; each {@link Iterator} it returns is for one thread.
 */
final class JourneyGenerator {

    private static final long DAY_STREAM = 3;
    private static final double COMMUTE_PROBABILITY = 0.9;
    private static final double WEEKEND_TV_PROBABILITY = 0.85;
    private static final double FAVOURITE_ITEM_PROBABILITY = 0.6;
    private static final double TRENDING_DAILY_UPTAKE = 0.15;
    private static final double TRENDING_PURCHASE_PROBABILITY = 0.4;
    private static final double COMMUTER_ROUTINE_EVENTS_PER_DAY = 7.5;
    private static final double HOMEBODY_ROUTINE_EVENTS_PER_DAY = 2.5;
    private static final double MIN_FREE_EVENTS_PER_DAY = 1.0;
    private static final int MAX_DAYS_PER_SPAN = 50;
    private static final int MAX_FOLLOW_UPS = 2;
    private static final List<String> COMMUTE_APPS =
            List.of("app:melon", "app:news", "app:youtube", "app:webtoon", "app:flo");

    private final WorldConfig config;
    private final OfferCatalog catalog;
    private final BehaviorItems items = BehaviorItems.standard();
    private final Set<Category> tvCategories = EnumSet.noneOf(Category.class);

    JourneyGenerator(WorldConfig config, OfferCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
        for (Category category : Category.values()) {
            if (!items.items(Domain.TV_VIEWING, category).isEmpty()) {
                tvCategories.add(category);
            }
        }
    }

    /** The journey of {@code customer}, oldest first, exactly {@code budget} events long. */
    Iterator<BehaviorEvent> journey(Customer customer, long budget) {
        return new Cursor(customer, budget);
    }

    /** One event before ids and attributes are attached. */
    private record Draft(long epochMilli, Domain domain, String item) {}

    /** Generates a journey lazily, one day per refill. */
    private final class Cursor implements Iterator<BehaviorEvent> {
        private final Customer customer;
        private final long budget;
        private final double freeEventsPerDay;
        private final ArrayDeque<BehaviorEvent> today = new ArrayDeque<>();
        private long emitted;
        private int day;

        Cursor(Customer customer, long budget) {
            this.customer = customer;
            this.budget = budget;
            double routine =
                    customer.persona().commutes()
                            ? COMMUTER_ROUTINE_EVENTS_PER_DAY
                            : HOMEBODY_ROUTINE_EVENTS_PER_DAY;
            this.freeEventsPerDay =
                    Math.max(MIN_FREE_EVENTS_PER_DAY, (double) budget / config.days() - routine);
        }

        @Override
        public boolean hasNext() {
            while (today.isEmpty() && emitted < budget && day < config.days() * MAX_DAYS_PER_SPAN) {
                today.addAll(day(customer, day++, freeEventsPerDay));
            }
            return !today.isEmpty() && emitted < budget;
        }

        @Override
        public BehaviorEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException(
                        "journey of " + customer.userId() + " ended after " + emitted + " events");
            }
            emitted++;
            return today.removeFirst();
        }
    }

    /** All events of one customer's day {@code dayIndex}, in time order. */
    private List<BehaviorEvent> day(Customer customer, int dayIndex, double freeEventsPerDay) {
        SplittableRandom random =
                Seeds.random(config.seed(), DAY_STREAM, customer.index(), dayIndex);
        Instant midnight = config.start().plus(Duration.ofDays(dayIndex));
        DayOfWeek weekday = midnight.atZone(config.zone()).getDayOfWeek();
        boolean weekend = weekday == DayOfWeek.SATURDAY || weekday == DayOfWeek.SUNDAY;

        List<Draft> drafts = new ArrayList<>();
        if (customer.persona().commutes()
                && !weekend
                && random.nextDouble() < COMMUTE_PROBABILITY) {
            commute(customer, midnight, random, drafts);
        }
        routine(customer, midnight, weekend, random, drafts);
        int freeEvents = Seeds.poisson(random, freeEventsPerDay);
        for (int i = 0; i < freeEvents; i++) {
            freeEvent(customer, midnight, weekend, random, drafts);
        }
        trendingCampaign(customer, midnight, random, drafts);

        Instant endOfDay = midnight.plus(Duration.ofDays(1));
        // a late follow-up would overtake the next day's first events: it is left out
        drafts.removeIf(draft -> draft.epochMilli() >= endOfDay.toEpochMilli());
        drafts.sort((a, b) -> Long.compare(a.epochMilli(), b.epochMilli()));
        List<Draft> withCauses = plantCauses(drafts, endOfDay);
        return toEvents(customer, withCauses, random);
    }

    private void commute(
            Customer customer, Instant midnight, SplittableRandom random, List<Draft> out) {
        String home = BehaviorItems.cell(customer.homeCell());
        String work = BehaviorItems.cell(customer.workCell());
        String commuteApp = COMMUTE_APPS.get(customer.index() % COMMUTE_APPS.size());
        long t = at(midnight, 7, random.nextInt(90));
        t = step(out, t, random, Domain.LOCATION_VISIT, home);
        t = step(out, t, random, Domain.APP_USE, BehaviorItems.TRANSIT_APP);
        t =
                step(
                        out,
                        t,
                        random,
                        Domain.LOCATION_VISIT,
                        BehaviorItems.stationNear(customer.homeCell()));
        t = step(out, t, random, Domain.APP_USE, commuteApp);
        step(out, t, random, Domain.LOCATION_VISIT, work);

        t = at(midnight, 18, random.nextInt(90));
        t = step(out, t, random, Domain.LOCATION_VISIT, work);
        t =
                step(
                        out,
                        t,
                        random,
                        Domain.LOCATION_VISIT,
                        BehaviorItems.stationNear(customer.workCell()));
        t =
                step(
                        out,
                        t,
                        random,
                        Domain.LOCATION_VISIT,
                        BehaviorItems.stationNear(customer.homeCell()));
        step(out, t, random, Domain.LOCATION_VISIT, home);
    }

    /** Adds one commute step and returns the time of the next, 3 to 15 minutes later. */
    private static long step(
            List<Draft> out, long epochMilli, SplittableRandom random, Domain domain, String item) {
        out.add(new Draft(epochMilli, domain, item));
        return epochMilli + Duration.ofMinutes(3 + random.nextInt(13)).toMillis();
    }

    private void routine(
            Customer customer,
            Instant midnight,
            boolean weekend,
            SplittableRandom random,
            List<Draft> out) {
        int calls = Seeds.poisson(random, 1.0);
        for (int i = 0; i < calls; i++) {
            out.add(
                    new Draft(
                            activeMoment(customer, midnight, random),
                            Domain.CALL,
                            callKind(customer, weekend, random)));
        }
        if (customer.persona() == Persona.BUSINESS && !weekend && random.nextDouble() < 0.3) {
            long t = activeMoment(customer, midnight, random);
            out.add(new Draft(t, Domain.DATA_USAGE, "data:tethering"));
        }
        if (random.nextDouble() < 0.5) {
            out.add(
                    new Draft(
                            activeMoment(customer, midnight, random),
                            Domain.DATA_USAGE,
                            "data:light-browsing"));
        }
        if (weekend
                && customer.hasWeekendTvHabit()
                && random.nextDouble() < WEEKEND_TV_PROBABILITY) {
            Instant evening = midnight.plus(Duration.ofHours(20));
            Category favourite = customer.behaviorFavourite(tvCategories, evening);
            List<String> programmes = items.items(Domain.TV_VIEWING, favourite);
            out.add(
                    new Draft(
                            at(midnight, 20, random.nextInt(30)),
                            Domain.TV_VIEWING,
                            programmes.get(0)));
        }
    }

    private static String callKind(Customer customer, boolean weekend, SplittableRandom random) {
        double draw = random.nextDouble();
        if (draw < 0.03) {
            return "call:support";
        }
        return switch (customer.persona()) {
            case FAMILY, SENIOR -> draw < 0.7 ? "call:family" : "call:friend";
            case BUSINESS, COMMUTER -> !weekend && draw < 0.6 ? "call:work" : "call:family";
            case STUDENT, GAMER -> draw < 0.75 ? "call:friend" : "call:family";
        };
    }

    private void freeEvent(
            Customer customer,
            Instant midnight,
            boolean weekend,
            SplittableRandom random,
            List<Draft> out) {
        long t = activeMoment(customer, midnight, random);
        Instant at = Instant.ofEpochMilli(t);
        Category category = drawCategory(customer.behaviorPreferencesAt(at), random);
        int hour = at.atZone(config.zone()).getHour();
        Domain domain = drawDomain(category, at, weekend || hour >= 18, random);
        String item = drawItem(customer, domain, category, at, random);
        if (item == null) {
            return;
        }
        out.add(new Draft(t, domain, item));
        followUps(new Draft(t, domain, item), at, random, out);
    }

    /** Adds the chain of follow-ups of {@code trigger}, at most {@value #MAX_FOLLOW_UPS} long. */
    private void followUps(Draft trigger, Instant at, SplittableRandom random, List<Draft> out) {
        Draft last = trigger;
        for (int i = 0; i < MAX_FOLLOW_UPS; i++) {
            Optional<BehaviorItems.FollowUp> next = items.followUp(last.item());
            if (next.isEmpty() || random.nextDouble() >= next.get().probability()) {
                return;
            }
            BehaviorItems.FollowUp follow = next.get();
            long delay = (long) (follow.typicalDelay().toMillis() * (0.5 + random.nextDouble()));
            boolean offer = follow.domain() == Domain.PURCHASE;
            if (offer && !isValidOffer(follow.item(), at)) {
                return;
            }
            last = new Draft(last.epochMilli() + delay, follow.domain(), follow.item());
            out.add(last);
        }
    }

    private boolean isValidOffer(String itemId, Instant at) {
        return catalog.get(itemId).filter(item -> OfferCatalog.isValid(item, at)).isPresent();
    }

    private static Category drawCategory(double[] shares, SplittableRandom random) {
        double draw = random.nextDouble();
        double cumulative = 0;
        Category[] categories = Category.values();
        for (int i = 0; i < shares.length; i++) {
            cumulative += shares[i];
            if (draw < cumulative) {
                return categories[i];
            }
        }
        return categories[categories.length - 1];
    }

    /**
     * Domain weights: mostly app use; TV in the evening and at weekends; a few visits, data
     * sessions, purchases and campaign responses.
     */
    private Domain drawDomain(
            Category category, Instant at, boolean tvTime, SplittableRandom random) {
        double app = has(Domain.APP_USE, category) ? 0.55 : 0;
        double tv = has(Domain.TV_VIEWING, category) ? (tvTime ? 0.25 : 0.04) : 0;
        double place = has(Domain.LOCATION_VISIT, category) ? 0.12 : 0;
        double data = has(Domain.DATA_USAGE, category) ? 0.06 : 0;
        boolean offers = !catalog.offers(category, at).isEmpty();
        double purchase = offers ? 0.04 : 0;
        double response = offers ? 0.03 : 0;
        double draw = random.nextDouble() * (app + tv + place + data + purchase + response);
        if ((draw -= app) < 0) {
            return Domain.APP_USE;
        }
        if ((draw -= tv) < 0) {
            return Domain.TV_VIEWING;
        }
        if ((draw -= place) < 0) {
            return Domain.LOCATION_VISIT;
        }
        if ((draw -= data) < 0) {
            return Domain.DATA_USAGE;
        }
        return draw < purchase ? Domain.PURCHASE : Domain.CAMPAIGN_RESPONSE;
    }

    private boolean has(Domain domain, Category category) {
        return !items.items(domain, category).isEmpty();
    }

    /** An item of the domain and category; null when there is none (no valid offer, say). */
    private String drawItem(
            Customer customer,
            Domain domain,
            Category category,
            Instant at,
            SplittableRandom random) {
        List<String> candidates =
                domain == Domain.PURCHASE || domain == Domain.CAMPAIGN_RESPONSE
                        ? catalog.offers(category, at).stream().map(CatalogItem::getItemId).toList()
                        : items.items(domain, category);
        if (candidates.isEmpty()) {
            return null;
        }
        if (random.nextDouble() < FAVOURITE_ITEM_PROBABILITY) {
            long favourite =
                    Seeds.mix(
                            config.seed(), customer.index(), domain.ordinal(), category.ordinal());
            return candidates.get((int) Math.floorMod(favourite, (long) candidates.size()));
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private void trendingCampaign(
            Customer customer, Instant midnight, SplittableRandom random, List<Draft> out) {
        if (!config.trendingCampaign()) {
            return;
        }
        long t = activeMoment(customer, midnight, random);
        Instant at = Instant.ofEpochMilli(t);
        CatalogItem headline = catalog.get(OfferCatalog.NEW_CAMPAIGN_HEADLINE).orElseThrow();
        if (!OfferCatalog.isValid(headline, at)) {
            return;
        }
        double liking = customer.behaviorAffinity(Category.fromId(headline.getCategory()), at);
        if (random.nextDouble() < TRENDING_DAILY_UPTAKE * (0.3 + liking)) {
            out.add(new Draft(t, Domain.CAMPAIGN_RESPONSE, headline.getItemId()));
            if (random.nextDouble() < TRENDING_PURCHASE_PROBABILITY) {
                out.add(
                        new Draft(
                                t + Duration.ofMinutes(10).toMillis(),
                                Domain.PURCHASE,
                                headline.getItemId()));
            }
        }
    }

    /**
     * Puts each planted consequence right after its trigger: after the configured delay, or halfway
     * to the next event (or to the end of the day) when that comes sooner.
     */
    private List<Draft> plantCauses(List<Draft> sorted, Instant endOfDay) {
        if (config.plantedCauses().isEmpty()) {
            return sorted;
        }
        List<Draft> out = new ArrayList<>(sorted.size() + 4);
        for (int i = 0; i < sorted.size(); i++) {
            Draft draft = sorted.get(i);
            out.add(draft);
            for (PlantedCause cause : config.plantedCauses()) {
                if (cause.triggerDomain() == draft.domain()
                        && cause.triggerItem().equals(draft.item())) {
                    long next =
                            i + 1 < sorted.size()
                                    ? sorted.get(i + 1).epochMilli()
                                    : endOfDay.toEpochMilli();
                    long gap = Math.min(cause.delay().toMillis(), (next - draft.epochMilli()) / 2);
                    out.add(
                            new Draft(
                                    draft.epochMilli() + gap,
                                    cause.consequenceDomain(),
                                    cause.consequenceItem()));
                    break;
                }
            }
        }
        return out;
    }

    private List<BehaviorEvent> toEvents(
            Customer customer, List<Draft> drafts, SplittableRandom random) {
        List<BehaviorEvent> events = new ArrayList<>(drafts.size());
        for (Draft draft : drafts) {
            events.add(
                    BehaviorEvent.newBuilder()
                            .setEventId(new UUID(random.nextLong(), random.nextLong()).toString())
                            .setUserId(customer.userId())
                            .setEventTime(Instant.ofEpochMilli(draft.epochMilli()))
                            .setDomain(draft.domain())
                            .setItem(draft.item())
                            .setAttributes(attributes(customer, draft, random))
                            .build());
        }
        return events;
    }

    private Map<String, String> attributes(
            Customer customer, Draft draft, SplittableRandom random) {
        return switch (draft.domain()) {
            case APP_USE, CALL -> Map.of("duration_s", Integer.toString(20 + random.nextInt(1200)));
            case TV_VIEWING -> Map.of("duration_min", Integer.toString(10 + random.nextInt(110)));
            case DATA_USAGE -> Map.of("megabytes", Integer.toString(5 + random.nextInt(2000)));
            case LOCATION_VISIT -> Map.of("dwell_min", Integer.toString(1 + random.nextInt(120)));
            case PURCHASE, CAMPAIGN_RESPONSE -> Map.of("device", customer.device());
            default -> Map.of();
        };
    }

    /** A moment of the day drawn from the persona's hourly rhythm, as epoch millis. */
    private long activeMoment(Customer customer, Instant midnight, SplittableRandom random) {
        Persona persona = customer.persona();
        int draw = random.nextInt(persona.totalHourWeight());
        int hour = 0;
        while ((draw -= persona.hourWeight(hour)) >= 0) {
            hour++;
        }
        return at(midnight, hour, random.nextInt(60));
    }

    private static long at(Instant midnight, int hour, int minute) {
        return midnight.toEpochMilli() + Duration.ofHours(hour).plusMinutes(minute).toMillis();
    }
}
