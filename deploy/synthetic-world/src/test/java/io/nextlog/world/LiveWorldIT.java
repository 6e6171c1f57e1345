package io.nextlog.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import io.nextlog.schemas.topic.TopicSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfraExtension.class)
class LiveWorldIT {

    private static final double TARGET_EVENTS_PER_SECOND = 2_000;
    private static final Duration PUBLISHING = Duration.ofSeconds(5);
    private static final int RECOMMENDATIONS_PER_ARM = 500;
    private static final String CHANNEL = "t-deal";

    @Test
    void shouldSustainTheTargetRateAndAnswerMatchedOffersMoreOften(LocalInfra infra)
            throws Exception {
        createTopics(infra);
        Instant today =
                LocalDate.now(WorldConfig.DEFAULT_ZONE)
                        .atStartOfDay(WorldConfig.DEFAULT_ZONE)
                        .toInstant();
        SyntheticWorld world =
                SyntheticWorld.create(
                        WorldConfig.builder()
                                .seed(13)
                                .customers(2_000)
                                .events(15_000)
                                .start(today)
                                .build());
        LiveWorld.Settings settings =
                new LiveWorld.Settings(
                        infra.bootstrapServers(),
                        infra.registryUrl(),
                        TARGET_EVENTS_PER_SECOND,
                        PUBLISHING,
                        "synthetic-world-it",
                        true,
                        Duration.ZERO,
                        false,
                        ResponseModel.DAY_FATIGUE_WINDOW);

        LiveWorld.Report published;
        Map<String, Boolean> matchedByRecommendation;
        Map<String, Boolean> clickedByRecommendation;
        try (LiveWorld live = new LiveWorld(world, settings, Clock.systemUTC())) {
            live.start();
            matchedByRecommendation = sendRecommendations(infra, world);
            published = live.awaitPublished();
            clickedByRecommendation = awaitFeedback(infra, matchedByRecommendation.size());
            System.out.println(live.report());
        }

        System.out.printf(
                "published %d events in %d ms: %.0f events/s (target %.0f)%n",
                published.eventsSent(),
                published.publishing().toMillis(),
                published.achievedEventsPerSecond(),
                TARGET_EVENTS_PER_SECOND);
        assertTrue(published.achievedEventsPerSecond() > 0.95 * TARGET_EVENTS_PER_SECOND);
        assertEquals(published.eventsSent(), recordsIn(infra, TopicCatalog.BEHAVIOR_EVENTS));
        assertEquals(0, published.sendFailures());

        double matchedCtr = ctr(matchedByRecommendation, clickedByRecommendation, true);
        double randomCtr = ctr(matchedByRecommendation, clickedByRecommendation, false);
        System.out.printf(
                "CTR over %d recommendations per arm: preference-matched %.3f, random %.3f%n",
                RECOMMENDATIONS_PER_ARM, matchedCtr, randomCtr);
        assertEquals(matchedByRecommendation.keySet(), clickedByRecommendation.keySet());
        assertTrue(matchedCtr > 2 * randomCtr, matchedCtr + " vs " + randomCtr);
    }

    private static void createTopics(LocalInfra infra) {
        try (Admin admin = admin(infra)) {
            List<TopicSpec> topics = TopicCatalog.local().all();
            new TopicCreator(admin).ensure(topics, (short) 1);
        }
    }

    /** One single-offer recommendation per customer, alternating matched and random offers. */
    private static Map<String, Boolean> sendRecommendations(LocalInfra infra, SyntheticWorld world)
            throws Exception {
        Instant now = Instant.now();
        List<CatalogItem> deals = world.catalog().offers(CHANNEL, now);
        List<Category> categories =
                deals.stream().map(d -> Category.fromId(d.getCategory())).toList();
        SplittableRandom random = new SplittableRandom(99);
        Map<String, Boolean> matched = new HashMap<>();
        try (KafkaProducer<String, Recommendation> producer = recommendationProducer(infra)) {
            for (int i = 0; i < 2 * RECOMMENDATIONS_PER_ARM; i++) {
                Customer customer = world.population().customers().get(i);
                boolean isMatched = i % 2 == 0;
                CatalogItem offer =
                        isMatched
                                ? deals.get(categories.indexOf(customer.favourite(categories, now)))
                                : deals.get(random.nextInt(deals.size()));
                Recommendation recommendation = recommendation("rec-" + i, customer, offer, now);
                producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.recommendationsTopic(CHANNEL),
                                customer.userId(),
                                recommendation));
                matched.put(recommendation.getRecommendationId(), isMatched);
            }
        }
        return matched;
    }

    private static Recommendation recommendation(
            String id, Customer customer, CatalogItem offer, Instant now) {
        return Recommendation.newBuilder()
                .setRecommendationId(id)
                .setUserId(customer.userId())
                .setChannel(CHANNEL)
                .setItems(List.of(new RankedItem(offer.getItemId(), 1.0f, "")))
                .setModelVersion("it")
                .setExperimentArm("live")
                .setGeneratedAt(now)
                .setSourceEventTime(now)
                .build();
    }

    /** Reads feedback until every recommendation has its impression; true where one was clicked. */
    private static Map<String, Boolean> awaitFeedback(LocalInfra infra, int recommendations) {
        Map<String, Boolean> clicked = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<String, FeedbackEvent> consumer = feedbackConsumer(infra)) {
            consumer.subscribe(List.of(TopicCatalog.FEEDBACK_EVENTS));
            while (clicked.size() < recommendations && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, FeedbackEvent> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    FeedbackEvent feedback = record.value();
                    boolean click = feedback.getAction() == FeedbackAction.CLICK;
                    clicked.merge(feedback.getRecommendationId(), click, Boolean::logicalOr);
                }
            }
        }
        return clicked;
    }

    private static double ctr(
            Map<String, Boolean> matched, Map<String, Boolean> clicked, boolean arm) {
        List<String> ids =
                matched.entrySet().stream()
                        .filter(e -> e.getValue() == arm)
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toList());
        long clicks = ids.stream().filter(id -> clicked.getOrDefault(id, false)).count();
        return (double) clicks / ids.size();
    }

    private static long recordsIn(LocalInfra infra, String topic) throws Exception {
        try (Admin admin = admin(infra)) {
            int partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        }
    }

    private static Admin admin(LocalInfra infra) {
        return Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()));
    }

    private static KafkaProducer<String, Recommendation> recommendationProducer(LocalInfra infra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        return new KafkaProducer<>(
                props,
                new StringSerializer(),
                new RegistryAvroSerializer<>(new SchemaRegistryClient(infra.registryUrl()), true));
    }

    private static KafkaConsumer<String, FeedbackEvent> feedbackConsumer(LocalInfra infra) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "synthetic-world-it-feedback");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(
                props,
                new StringDeserializer(),
                new RegistryAvroDeserializer<>(
                        new SchemaRegistryClient(infra.registryUrl()), FeedbackEvent.class));
    }
}
