package io.nextlog.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.deadletter.DeadLetters;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import io.nextlog.scorer.TestBundles;
import io.nextlog.world.SyntheticWorld;
import io.nextlog.world.WorldConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a Flink MiniCluster with RocksDB and exactly-once delivery, against the real
 * broker and registry, scoring with the real fixture bundle: journeys from the synthetic world give
 * recommendations on every channel with reasons, version and arm; a release mid-stream changes the
 * version of later recommendations; malformed bytes, an unknown domain and a raw user id land in
 * dead-letters while the job keeps running.
 */
@ExtendWith(LocalInfraExtension.class)
class IngestJobIT {

    @TempDir Path dir;

    @Test
    void shouldRecommendOnEveryChannelFollowReleasesAndDeadLetterBadRecords(LocalInfra infra)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            new TopicCreator(admin).ensure(TopicCatalog.local().all(), (short) 1);
        }
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        Path v1 = TestBundles.withVersion(dir, "v1");
        Path v2 = TestBundles.withVersion(dir, "v2");
        List<String> channels = Channels.defaults().all().stream().map(Channel::id).toList();

        try (KafkaProducer<String, SpecificRecord> producer =
                IngestFixtures.producer(infra.bootstrapServers(), registry)) {
            for (String item : IngestFixtures.FIXTURE_ITEMS) {
                producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.CATALOG_ITEMS,
                                item,
                                IngestFixtures.catalogItem(item, channels)));
            }
            producer.flush();
        }

        IngestConfig config =
                TestConfigs.with(
                        "bootstrap.servers=" + infra.bootstrapServers(),
                        "schema.registry.url=" + infra.registryUrl(),
                        "auto.register.schemas=true",
                        "checkpoint.interval=PT1S",
                        "debounce=PT0.2S",
                        "policy.quiet-hours=00:00-00:00",
                        "policy.daily-cap.per-channel=1000",
                        "policy.daily-cap.total=1000",
                        "policy.cooldown=PT0S",
                        "group.id=ingest-it-" + System.nanoTime(),
                        "scorer.model.initial-bundle=" + v1,
                        "scorer.model.warmup-runs=1");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        2, IngestJob.flinkConfiguration(new Properties(), config));
        IngestJob.build(env, config);
        JobClient job = env.executeAsync("ingest-it");
        try {
            SyntheticWorld world =
                    SyntheticWorld.create(
                            WorldConfig.builder().seed(11).customers(30).events(900).build());
            List<BehaviorEvent> events = world.eventsByUser().toList();
            try (KafkaProducer<String, SpecificRecord> producer =
                    IngestFixtures.producer(infra.bootstrapServers(), registry)) {
                send(producer, events.subList(0, events.size() / 2));

                Map<String, List<Recommendation>> first =
                        awaitRecommendations(infra, registry, channels, r -> true);
                for (String channel : channels) {
                    Recommendation rec = first.get(channel).get(0);
                    assertEquals(channel, rec.getChannel());
                    assertFalse(rec.getItems().isEmpty(), rec.toString());
                    assertTrue(
                            IngestFixtures.FIXTURE_ITEMS.contains(
                                    rec.getItems().get(0).getItemId()),
                            rec.toString());
                    assertEquals("v1", rec.getModelVersion(), rec.toString());
                    assertTrue(
                            List.of("live", "holdout").contains(rec.getExperimentArm()),
                            rec.toString());
                    assertFalse(rec.getItems().get(0).getReasonText().isBlank(), rec.toString());
                }
                List<Recommendation> all = first.values().stream().flatMap(List::stream).toList();
                assertTrue(
                        all.stream().anyMatch(r -> !r.getReasonEvents().isEmpty()),
                        "some recommendation names the events behind it");
                assertTrue(
                        all.stream()
                                .flatMap(r -> r.getReasonEvents().stream())
                                .noneMatch(e -> e.getDomain() == Domain.LOCATION_VISIT),
                        "location never shows in reasons");

                Instant released = Instant.now();
                producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.MODEL_RELEASES,
                                "v2",
                                TestBundles.release(2, "v2", v2)));
                producer.flush();
                sendBadRecords(infra, registry, events.get(0));
                Thread.sleep(2_000); // the release reaches every scoring subtask
                send(producer, events.subList(events.size() / 2, events.size()));

                Map<String, List<Recommendation>> later =
                        awaitRecommendations(
                                infra,
                                registry,
                                channels,
                                r ->
                                        r.getModelVersion().equals("v2")
                                                && r.getGeneratedAt().isAfter(released));
                for (String channel : channels) {
                    assertEquals("v2", later.get(channel).get(0).getModelVersion());
                }
            }

            List<DeadLetter> letters = awaitDeadLetters(infra, registry, 3);
            Map<String, DeadLetter> byType = new HashMap<>();
            letters.forEach(letter -> byType.put(letter.getErrorType(), letter));
            assertEquals(3, byType.size(), letters.toString());
            assertTrue(byType.containsKey(DeadLetters.MALFORMED_BYTES), letters.toString());
            assertTrue(byType.containsKey(DeadLetters.UNKNOWN_SYMBOL), letters.toString());
            DeadLetter raw = byType.get(DeadLetters.RAW_PERSONAL_ID);
            assertTrue(raw.getRedacted());
            assertEquals(null, raw.getPayload());
            assertEquals(TopicCatalog.BEHAVIOR_EVENTS, raw.getSourceTopic());
            assertTrue(raw.getSourceOffset() >= 0);
            assertFalse(
                    job.getJobStatus().get().isGloballyTerminalState(), "the job keeps running");
        } finally {
            job.cancel().get();
        }
    }

    private static void send(
            KafkaProducer<String, SpecificRecord> producer, List<BehaviorEvent> events) {
        Instant now = Instant.now();
        Instant last = events.get(events.size() - 1).getEventTime();
        for (BehaviorEvent event : events) {
            // Shift the world's clock so its newest event is now: recommendations stay fresh.
            BehaviorEvent shifted =
                    BehaviorEvent.newBuilder(event)
                            .setEventTime(now.minus(Duration.between(event.getEventTime(), last)))
                            .build();
            producer.send(
                    new ProducerRecord<>(TopicCatalog.BEHAVIOR_EVENTS, event.getUserId(), shifted));
        }
        producer.flush();
    }

    /** Malformed bytes, an event whose domain this reader does not know, and a raw user id. */
    private static void sendBadRecords(
            LocalInfra infra, SchemaRegistryClient registry, BehaviorEvent sample)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        try (KafkaProducer<String, byte[]> raw =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(
                    new ProducerRecord<>(
                            TopicCatalog.BEHAVIOR_EVENTS,
                            sample.getUserId(),
                            "not avro".getBytes(StandardCharsets.UTF_8)));
            raw.send(
                    new ProducerRecord<>(
                            TopicCatalog.BEHAVIOR_EVENTS,
                            sample.getUserId(),
                            unknownDomain(registry, sample)));
            raw.flush();
        }
        try (KafkaProducer<String, SpecificRecord> producer =
                IngestFixtures.producer(infra.bootstrapServers(), registry)) {
            BehaviorEvent rawId =
                    BehaviorEvent.newBuilder(sample)
                            .setEventId("raw-1")
                            .setUserId("010-1234-5678")
                            .build();
            producer.send(
                    new ProducerRecord<>(TopicCatalog.BEHAVIOR_EVENTS, "010-1234-5678", rawId));
            producer.flush();
        }
    }

    /** A newer writer's event whose domain symbol {@code HOLOGRAM} this job's schema lacks. */
    private static byte[] unknownDomain(SchemaRegistryClient registry, BehaviorEvent sample)
            throws Exception {
        String json =
                BehaviorEvent.getClassSchema()
                        .toString()
                        .replace("\"CAMPAIGN_RESPONSE\"]", "\"CAMPAIGN_RESPONSE\",\"HOLOGRAM\"]");
        Schema writer = new Schema.Parser().parse(json);
        int id = registry.register(TopicCatalog.BEHAVIOR_EVENTS + "-value", writer);
        GenericRecord record = new GenericData.Record(writer);
        record.put("eventId", "hologram-1");
        record.put("userId", sample.getUserId());
        record.put("eventTime", Instant.now().toEpochMilli());
        record.put(
                "domain",
                new GenericData.EnumSymbol(writer.getField("domain").schema(), "HOLOGRAM"));
        record.put("item", "holo:1");
        record.put("attributes", Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Reads committed recommendations until every channel has one that {@code wanted} accepts. */
    private static Map<String, List<Recommendation>> awaitRecommendations(
            LocalInfra infra,
            SchemaRegistryClient registry,
            List<String> channels,
            Predicate<Recommendation> wanted) {
        Map<String, List<Recommendation>> found = new HashMap<>();
        List<String> topics = channels.stream().map(TopicCatalog::recommendationsTopic).toList();
        try (KafkaConsumer<String, Recommendation> consumer =
                consumer(infra, registry, Recommendation.class)) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (found.size() < channels.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Recommendation> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null && wanted.test(record.value())) {
                        found.computeIfAbsent(record.value().getChannel(), c -> new ArrayList<>())
                                .add(record.value());
                    }
                }
            }
        }
        assertEquals(
                channels.size(), found.size(), "channels with recommendations: " + found.keySet());
        return found;
    }

    private static List<DeadLetter> awaitDeadLetters(
            LocalInfra infra, SchemaRegistryClient registry, int expected) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, DeadLetter> consumer =
                consumer(infra, registry, DeadLetter.class)) {
            consumer.subscribe(List.of(TopicCatalog.DEAD_LETTERS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500))
                        .forEach(record -> letters.add(record.value()));
            }
        }
        return letters;
    }

    private static <T extends SpecificRecord> KafkaConsumer<String, T> consumer(
            LocalInfra infra, SchemaRegistryClient registry, Class<T> type) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ingest-it-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(
                props, new StringDeserializer(), new RegistryAvroDeserializer<>(registry, type));
    }
}
