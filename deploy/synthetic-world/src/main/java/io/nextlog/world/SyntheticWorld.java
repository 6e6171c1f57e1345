package io.nextlog.world;

import io.nextlog.schemas.event.BehaviorEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A synthetic telecom world built from a {@link WorldConfig}: its {@link Population}, its {@link
 * OfferCatalog}, the customers' journeys and a {@link ResponseModel} for their answers to offers.
 *
 * <p>Journeys are generated lazily whenever they are asked for, so a world of millions of events
 * costs little memory; asking twice gives the same events. Thread-safe; each stream or iterator it
 * returns is for one thread.
 */
public final class SyntheticWorld {

    private final WorldConfig config;
    private final Population population;
    private final OfferCatalog catalog;
    private final JourneyGenerator generator;

    private SyntheticWorld(WorldConfig config) {
        this.config = config;
        this.population = Population.create(config);
        this.catalog = OfferCatalog.create(config.start(), config.span(), config.newCampaignAt());
        this.generator = new JourneyGenerator(config, catalog);
    }

    /** Builds the customers and the catalog of {@code config}; journeys come later, on demand. */
    public static SyntheticWorld create(WorldConfig config) {
        return new SyntheticWorld(config);
    }

    public WorldConfig config() {
        return config;
    }

    public Population population() {
        return population;
    }

    public OfferCatalog catalog() {
        return catalog;
    }

    /**
     * A fresh response model (with its own, empty contact history) for this world, whose customers
     * tire of contacts within a day.
     */
    public ResponseModel responses() {
        return responses(ResponseModel.DAY_FATIGUE_WINDOW);
    }

    /**
     * A fresh response model whose customers count the contacts within {@code fatigueWindow}
     * towards their fatigue: a day in real time, less where the world's days are compressed.
     */
    public ResponseModel responses(Duration fatigueWindow) {
        return new ResponseModel(config.seed(), population, catalog, config.zone(), fatigueWindow);
    }

    /** The journey of the customer at {@code position} in {@link Population#customers()}. */
    public List<BehaviorEvent> journey(int position) {
        List<BehaviorEvent> events = new ArrayList<>();
        journeyIterator(position).forEachRemaining(events::add);
        return events;
    }

    private Iterator<BehaviorEvent> journeyIterator(int position) {
        Customer customer = population.customers().get(position);
        return generator.journey(customer, population.eventBudget(position));
    }

    /**
     * Every behavior event, grouped by user in ascending user-id order, each journey oldest first:
     * the order of journey files. Exactly {@link WorldConfig#events()} events.
     */
    public Stream<BehaviorEvent> eventsByUser() {
        return IntStream.range(0, population.size())
                .boxed()
                .flatMap(position -> stream(journeyIterator(position)));
    }

    /**
     * Every behavior event in event-time order over all users (ties by user id), as a live feed
     * would deliver them. Holds one day of every journey in memory.
     */
    public Iterator<BehaviorEvent> eventsByTime() {
        return new TimeOrderedMerge(population.size());
    }

    private static Stream<BehaviorEvent> stream(Iterator<BehaviorEvent> iterator) {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        iterator, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /** The head event of one journey in the merge. */
    private record Head(BehaviorEvent event, Iterator<BehaviorEvent> rest) {}

    /** K-way merge of all journeys by event time. */
    private final class TimeOrderedMerge implements Iterator<BehaviorEvent> {
        private final PriorityQueue<Head> heads;

        TimeOrderedMerge(int journeys) {
            this.heads =
                    new PriorityQueue<>(
                            Math.max(1, journeys),
                            Comparator.comparing((Head h) -> h.event().getEventTime())
                                    .thenComparing(h -> h.event().getUserId()));
            for (int position = 0; position < journeys; position++) {
                offerNext(journeyIterator(position));
            }
        }

        private void offerNext(Iterator<BehaviorEvent> journey) {
            if (journey.hasNext()) {
                heads.add(new Head(journey.next(), journey));
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public BehaviorEvent next() {
            Head head = heads.poll();
            if (head == null) {
                throw new NoSuchElementException("all journeys are exhausted");
            }
            offerNext(head.rest());
            return head.event();
        }
    }
}
