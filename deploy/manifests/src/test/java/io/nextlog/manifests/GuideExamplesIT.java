package io.nextlog.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.feedback.FeedbackPublisher;
import io.nextlog.schemas.feedback.InvalidFeedbackException;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The guides' Java examples against a real Kafka broker and Apicurio registry: a channel app reads
 * a recommendation written in a transaction, as the job writes them, and answers it with the
 * feedback publisher.
 */
@ExtendWith(LocalInfraExtension.class)
class GuideExamplesIT {

    private static final String USER = "u_" + "0123456789abcdef".repeat(2);

    @Test
    void shouldReadARecommendationAndPublishTheCustomersClick(LocalInfra infra) throws Exception {
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        Recommendation written = recommendation();
        writeInTransaction(infra, registry, written);

        List<Recommendation> read = new ArrayList<>();
        try (KafkaConsumer<String, Recommendation> consumer =
                ChannelConsumerExample.open(
                        infra.bootstrapServers(), infra.registryUrl(), "guide-t-deal-app")) {
            consumer.subscribe(List.of(TopicCatalog.recommendationsTopic("t-deal")));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Recommendation> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    assertEquals(USER, record.key());
                    read.add(record.value());
                }
            }
        }
        assertEquals(List.of(written), read);
        String line = ChannelConsumerExample.describe(USER, read.get(0));
        assertTrue(line.contains("td:chicken-combo: after the game"), line);

        // Production registers schemas ahead of deploys; the publisher never registers them.
        registry.register(TopicCatalog.FEEDBACK_EVENTS + "-value", FeedbackEvent.getClassSchema());
        try (FeedbackPublisher publisher =
                FeedbackPublisher.create(infra.bootstrapServers(), infra.registryUrl())) {
            assertThrows(
                    InvalidFeedbackException.class,
                    () ->
                            FeedbackProducerExample.publish(
                                    publisher,
                                    "alice@example.com",
                                    "t-deal",
                                    "x",
                                    FeedbackAction.CLICK,
                                    null));
            FeedbackProducerExample.publish(
                    publisher,
                    USER,
                    "t-deal",
                    "td:chicken-combo",
                    FeedbackAction.CLICK,
                    written.getRecommendationId());
        }
        FeedbackEvent click = readFeedback(infra, registry);
        assertEquals(FeedbackAction.CLICK, click.getAction());
        assertEquals(written.getRecommendationId(), click.getRecommendationId());
    }

    private static Recommendation recommendation() {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        return Recommendation.newBuilder()
                .setRecommendationId("guide-reco-1")
                .setUserId(USER)
                .setChannel("t-deal")
                .setItems(
                        List.of(
                                RankedItem.newBuilder()
                                        .setItemId("td:chicken-combo")
                                        .setScore(3.5f)
                                        .setReasonText("after the game")
                                        .build()))
                .setModelVersion("pretrained-1")
                .setExperimentArm("live")
                .setGeneratedAt(now)
                .setSourceEventTime(now.minusMillis(800))
                .build();
    }

    private static void writeInTransaction(
            LocalInfra infra, SchemaRegistryClient registry, Recommendation recommendation) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "guide-examples-it");
        try (KafkaProducer<String, Recommendation> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new RegistryAvroSerializer<>(registry, true))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(
                    new ProducerRecord<>(
                            TopicCatalog.recommendationsTopic("t-deal"), USER, recommendation));
            producer.commitTransaction();
        }
    }

    private static FeedbackEvent readFeedback(LocalInfra infra, SchemaRegistryClient registry) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "guide-feedback-check",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, FeedbackEvent> consumer =
                new KafkaConsumer<>(
                        config,
                        new StringDeserializer(),
                        new RegistryAvroDeserializer<>(registry, FeedbackEvent.class))) {
            consumer.subscribe(List.of(TopicCatalog.FEEDBACK_EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, FeedbackEvent> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("no feedback event within 60 s");
    }
}
