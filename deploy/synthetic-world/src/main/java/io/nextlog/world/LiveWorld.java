package io.nextlog.world;

import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka mode of the world: publishes the catalog, then behavior events at a target rate, and
 * answers the recommendations it reads with feedback drawn from the {@link ResponseModel}.
 *
 * <p>Events go to {@link TopicCatalog#BEHAVIOR_EVENTS}, the catalog to {@link
 * TopicCatalog#CATALOG_ITEMS} (keyed by item id), feedback to {@link TopicCatalog#FEEDBACK_EVENTS};
 * recommendations are read from {@code recommendations.<channel>} of every default channel. Values
 * use the registry serde with auto-register on, which suits a demo and tests; production registers
 * schemas ahead of deployment.
 *
 * <p>Events keep their journey order but are stamped with the wall clock at sending, so freshness
 * measured downstream is real; the gaps between a customer's events are therefore those of the
 * sending pace, not of the simulated day. Feedback is stamped the same way.
 *
 * <p>Lifecycle: {@link #start()} starts a publisher thread and a responder thread; {@link
 * #awaitPublished()} waits until the duration has passed or the events ran out; {@link #close()}
 * stops answering and closes the clients. Thread-safe.
 */
public final class LiveWorld implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveWorld.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    /**
     * Where and how fast to publish.
     *
     * @param bootstrapServers Kafka {@code bootstrap.servers}
     * @param registryUrl Confluent-compatible registry base URL
     * @param eventsPerSecond target publishing rate, positive
     * @param duration how long to publish; publishing stops earlier when the events run out
     * @param consumerGroup consumer group for reading recommendations
     * @param answerFromEarliest whether a new consumer group starts at the earliest recommendations
     *     (tests) rather than the latest (a demo joining a running system)
     * @param answerInterval least time between two answers to one customer on one channel; zero
     *     answers every recommendation read. An in-app slot is refreshed on nearly every scoring,
     *     but a customer looks at it now and then: answering each refresh floods {@code
     *     feedback-events} with impressions no app would send.
     * @param feedbackWhenDue send each feedback event when its event time comes, as a channel app
     *     would (a click seconds, a conversion minutes after the impression); false sends it at
     *     once with its future event time, for tests that read every answer without waiting
     * @param fatigueWindow how far back a customer's contacts count towards their fatigue (see
     *     {@link ResponseModel}): a day for a world in real time; a demo that compresses a
     *     customer's days into minutes (one look at a slot per answer interval) shortens it alike,
     *     or fatigue only grows through the run and drags every arm's click rate down alike
     */
    public record Settings(
            String bootstrapServers,
            String registryUrl,
            double eventsPerSecond,
            Duration duration,
            String consumerGroup,
            boolean answerFromEarliest,
            Duration answerInterval,
            boolean feedbackWhenDue,
            Duration fatigueWindow) {

        public Settings {
            Objects.requireNonNull(fatigueWindow, "fatigueWindow");
            Objects.requireNonNull(answerInterval, "answerInterval");
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(registryUrl, "registryUrl");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(consumerGroup, "consumerGroup");
            if (!(eventsPerSecond > 0)) {
                throw new IllegalArgumentException(
                        "eventsPerSecond: expected a positive rate, found " + eventsPerSecond);
            }
        }
    }

    /**
     * What the live world did so far.
     *
     * @param eventsSent behavior events handed to the producer
     * @param eventsAcknowledged behavior events the broker acknowledged
     * @param publishing time from the first to the last event sent
     * @param recommendationsAnswered recommendations read for known customers
     * @param unknownUsers recommendations for users who are not customers of this world
     * @param feedbackSent feedback events handed to the producer
     * @param sendFailures records the broker refused
     */
    public record Report(
            long eventsSent,
            long eventsAcknowledged,
            Duration publishing,
            long recommendationsAnswered,
            long unknownUsers,
            long feedbackSent,
            long sendFailures) {

        /** Events sent per second of publishing. */
        public double achievedEventsPerSecond() {
            double seconds = publishing.toNanos() / 1e9;
            return seconds == 0 ? 0 : eventsSent / seconds;
        }
    }

    private final SyntheticWorld world;
    private final Settings settings;
    private final Clock clock;
    private final ResponseModel responses;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong eventsSent = new AtomicLong();
    private final AtomicLong eventsAcknowledged = new AtomicLong();
    private final AtomicLong publishingNanos = new AtomicLong();
    private final AtomicLong recommendationsAnswered = new AtomicLong();

    /** Feedback waiting for its event time, soonest first; only the responder thread uses it. */
    private final PriorityQueue<FeedbackEvent> pendingFeedback =
            new PriorityQueue<>(Comparator.comparing(FeedbackEvent::getEventTime));

    /** Only the responder thread reads and writes it. */
    private final Map<String, Long> lastAnsweredMs = new HashMap<>();

    private final AtomicLong unknownUsers = new AtomicLong();
    private final AtomicLong feedbackSent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param world the world whose events and customers to use
     * @param settings where and how fast
     * @param clock stamps events and feedback
     */
    public LiveWorld(SyntheticWorld world, Settings settings, Clock clock) {
        this.world = world;
        this.settings = settings;
        this.clock = clock;
        this.responses = world.responses(settings.fatigueWindow());
        this.producer = newProducer(settings);
    }

    private static KafkaProducer<String, SpecificRecord> newProducer(Settings settings) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "nextlog-synthetic-world");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        SchemaRegistryClient registry = new SchemaRegistryClient(settings.registryUrl());
        return new KafkaProducer<>(
                props, new StringSerializer(), new RegistryAvroSerializer<>(registry, true));
    }

    /** Publishes the catalog, then starts publishing events and answering recommendations. */
    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("live world already started");
        }
        publishCatalog();
        threads.add(startThread("synthetic-world-responder", this::answerRecommendations));
        threads.add(startThread("synthetic-world-publisher", this::publishEvents));
        LOG.info(
                "live world started: {} customers, {} events/s for {} to {}",
                world.population().size(),
                settings.eventsPerSecond(),
                settings.duration(),
                settings.bootstrapServers());
    }

    private static Thread startThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void publishCatalog() {
        for (CatalogItem item : world.catalog().all()) {
            producer.send(
                    new ProducerRecord<>(TopicCatalog.CATALOG_ITEMS, item.getItemId(), item),
                    failureCounter());
        }
        producer.flush();
    }

    /** Sends events on a fixed schedule: event i is due {@code i / rate} after the first. */
    private void publishEvents() {
        Iterator<BehaviorEvent> events = world.eventsByTime();
        long periodNanos = (long) (1e9 / settings.eventsPerSecond());
        long startNanos = System.nanoTime();
        long endNanos = startNanos + settings.duration().toNanos();
        long sent = 0;
        Callback acknowledged = acknowledgementCounter();
        while (running.get() && events.hasNext()) {
            long dueNanos = startNanos + sent * periodNanos;
            if (dueNanos >= endNanos) {
                break;
            }
            waitUntil(dueNanos);
            BehaviorEvent event =
                    BehaviorEvent.newBuilder(events.next()).setEventTime(clock.instant()).build();
            producer.send(
                    new ProducerRecord<>(TopicCatalog.BEHAVIOR_EVENTS, event.getUserId(), event),
                    acknowledged);
            sent = eventsSent.incrementAndGet();
            publishingNanos.set(System.nanoTime() - startNanos);
        }
        producer.flush();
        LOG.info("published {} behavior events", sent);
    }

    private static void waitUntil(long dueNanos) {
        long waitNanos;
        while ((waitNanos = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(waitNanos);
        }
    }

    private void answerRecommendations() {
        try (KafkaConsumer<String, Recommendation> consumer = newConsumer()) {
            consumer.subscribe(recommendationTopics());
            while (running.get()) {
                for (ConsumerRecord<String, Recommendation> record : consumer.poll(POLL_TIMEOUT)) {
                    answer(record);
                }
                sendDue(settings.feedbackWhenDue() ? clock.instant() : Instant.MAX);
            }
        } catch (RuntimeException e) {
            LOG.error("responder stopped; recommendations are no longer answered", e);
        }
    }

    private KafkaConsumer<String, Recommendation> newConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup());
        // As every channel app must: the ingest job writes in transactions, and a recommendation
        // read before its commit may be aborted, or answered before the updater can see its
        // context (which commits with it), and its feedback is then dead-lettered.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                settings.answerFromEarliest() ? "earliest" : "latest");
        SchemaRegistryClient registry = new SchemaRegistryClient(settings.registryUrl());
        return new KafkaConsumer<>(
                props,
                new StringDeserializer(),
                new RegistryAvroDeserializer<>(registry, Recommendation.class));
    }

    private static List<String> recommendationTopics() {
        List<String> topics = new ArrayList<>();
        for (Channel channel : Channels.defaults().all()) {
            topics.add(TopicCatalog.recommendationsTopic(channel.id()));
        }
        return topics;
    }

    private void answer(ConsumerRecord<String, Recommendation> record) {
        Recommendation recommendation = record.value();
        if (recommendation == null) {
            return; // a tombstone of the compacted topic
        }
        if (world.population().find(recommendation.getUserId()).isEmpty()) {
            if (unknownUsers.getAndIncrement() == 0) {
                LOG.warn(
                        "recommendation for a user who is not a customer of this world at {}-{}@{};"
                                + " such recommendations are counted and left unanswered",
                        record.topic(),
                        record.partition(),
                        record.offset());
            }
            return;
        }
        if (!dueForAnswer(recommendation)) {
            return;
        }
        recommendationsAnswered.incrementAndGet();
        Instant now = clock.instant();
        pendingFeedback.addAll(responses.respond(recommendation, now));
        sendDue(settings.feedbackWhenDue() ? now : Instant.MAX);
    }

    /**
     * Sends the feedback whose time has come. A click comes seconds after the impression and a
     * conversion minutes after, so each is sent when it happens, as a channel app would: sent at
     * once with its future event time, it would move the updater's stream time ahead and every
     * window of the present would close before its impressions arrived.
     */
    private void sendDue(Instant now) {
        FeedbackEvent next;
        while ((next = pendingFeedback.peek()) != null && !next.getEventTime().isAfter(now)) {
            FeedbackEvent feedback = pendingFeedback.poll();
            producer.send(
                    new ProducerRecord<>(
                            TopicCatalog.FEEDBACK_EVENTS, feedback.getUserId(), feedback),
                    failureCounter());
            feedbackSent.incrementAndGet();
        }
    }

    /** Whether the customer looks at this channel again: its answer interval has passed. */
    private boolean dueForAnswer(Recommendation recommendation) {
        long intervalMs = settings.answerInterval().toMillis();
        if (intervalMs == 0) {
            return true;
        }
        long now = clock.millis();
        String key = recommendation.getUserId() + "|" + recommendation.getChannel();
        Long last = lastAnsweredMs.get(key);
        if (last != null && now - last < intervalMs) {
            return false;
        }
        lastAnsweredMs.put(key, now);
        return true;
    }

    private Callback acknowledgementCounter() {
        return (metadata, exception) -> {
            if (exception == null) {
                eventsAcknowledged.incrementAndGet();
            } else {
                countFailure(exception);
            }
        };
    }

    private Callback failureCounter() {
        return (metadata, exception) -> {
            if (exception != null) {
                countFailure(exception);
            }
        };
    }

    private void countFailure(Exception exception) {
        if (sendFailures.getAndIncrement() == 0) {
            LOG.warn("the broker refused a record; later refusals are only counted", exception);
        }
    }

    /**
     * Waits until publishing is done: the duration passed or the events ran out.
     *
     * @return the report at that moment
     */
    public Report awaitPublished() throws InterruptedException {
        Thread publisher;
        synchronized (this) {
            if (threads.size() < 2) {
                throw new IllegalStateException("live world not started");
            }
            publisher = threads.get(1);
        }
        publisher.join();
        return report();
    }

    /** The counts so far. */
    public Report report() {
        return new Report(
                eventsSent.get(),
                eventsAcknowledged.get(),
                Duration.ofNanos(publishingNanos.get()),
                recommendationsAnswered.get(),
                unknownUsers.get(),
                feedbackSent.get(),
                sendFailures.get());
    }

    /**
     * Stops publishing and answering, flushes what was sent and closes the clients. An interrupt
     * while waiting for the threads stops the wait and is kept on the calling thread.
     */
    @Override
    public synchronized void close() {
        running.set(false);
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(10).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
        LOG.info("live world closed: {}", report());
    }
}
