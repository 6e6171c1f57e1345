package io.nextlog.feedback;

import io.nextlog.infra.LocalKafka;
import io.nextlog.infra.LocalRegistry;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RecommendationContext;
import io.nextlog.schemas.identity.Pseudonymizer;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Bench command, not a test: feedback events joined per second by the updater (exactly-once v2,
 * RocksDB stores, registry serde) against a plain consumer deserialising the same topic, side by
 * side in one run on a real broker and registry.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -o -pl feedback-updater exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.nextlog.feedback.FeedbackBench [-Dexec.args="USERS ROUNDS"]
 * </pre>
 *
 * <p>Each user gets one recommendation context and five feedback events answering it (three
 * impressions, a click, a dismissal). A round reads every feedback event once with the plain
 * consumer (assigned partitions, no group) and once with a fresh updater application, timed from
 * RUNNING until its committed offsets reach the end of both input topics. The report gives each
 * side's median events/s and the ratio of medians.
 */
public final class FeedbackBench {

    private static final int FEEDBACK_PER_USER = 5;

    private FeedbackBench() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path data = Files.createTempDirectory("nextlog-feedback-bench");
        try (LocalKafka kafka = LocalKafka.start();
                LocalRegistry registry = LocalRegistry.start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicCreator(admin).ensure(TopicCatalog.local().all(), (short) 1);
            int feedback = publish(kafka, registry, users);
            System.out.printf("published %,d contexts and %,d feedback events%n", users, feedback);

            List<Double> plain = new ArrayList<>();
            List<Double> joined = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                double plainRate = plainConsume(kafka, registry, feedback);
                double joinedRate =
                        updater(kafka, registry, admin, data.resolve("r" + round), feedback);
                plain.add(plainRate);
                joined.add(joinedRate);
                System.out.printf(
                        "round %d  plain consume %,10.0f ev/s   updater join %,10.0f ev/s%n",
                        round, plainRate, joinedRate);
            }
            double plainMedian = median(plain);
            double joinedMedian = median(joined);
            System.out.printf(
                    "median   plain consume %,10.0f ev/s   updater join %,10.0f ev/s   ratio"
                            + " %.3f%n",
                    plainMedian, joinedMedian, joinedMedian / plainMedian);
        }
        System.exit(0);
    }

    private static int publish(LocalKafka kafka, LocalRegistry registry, int users) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Pseudonymizer ids =
                new Pseudonymizer(
                        "feedback bench key, not a secret, 32+ bytes"
                                .getBytes(StandardCharsets.UTF_8));
        Instant t0 = Instant.now().minus(Duration.ofMinutes(10));
        int feedback = 0;
        try (KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new RegistryAvroSerializer<>(
                                new SchemaRegistryClient(registry.confluentUrl()), true))) {
            for (int u = 0; u < users; u++) {
                String user = ids.derive("customer-" + u);
                String rec = "rec-" + u;
                Instant at = t0.plusMillis(u);
                producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.RECOMMENDATION_CONTEXT, user, context(user, rec, at)));
                FeedbackAction[] actions = {
                    FeedbackAction.IMPRESSION,
                    FeedbackAction.IMPRESSION,
                    FeedbackAction.IMPRESSION,
                    FeedbackAction.CLICK,
                    FeedbackAction.DISMISS
                };
                for (int i = 0; i < FEEDBACK_PER_USER; i++) {
                    FeedbackEvent event =
                            FeedbackEvent.newBuilder()
                                    .setEventId("fb-" + u + "-" + i)
                                    .setUserId(user)
                                    .setChannel("t-deal")
                                    .setItem("deal-" + (i < 3 ? i : i - 3))
                                    .setAction(actions[i])
                                    .setEventTime(at.plusSeconds(1 + i))
                                    .setRecommendationId(rec)
                                    .build();
                    producer.send(new ProducerRecord<>(TopicCatalog.FEEDBACK_EVENTS, user, event));
                    feedback++;
                }
            }
            producer.flush();
        }
        return feedback;
    }

    private static RecommendationContext context(String user, String rec, Instant at) {
        List<JourneyStep> journey = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            journey.add(
                    JourneyStep.newBuilder()
                            .setItem("app:" + (i % 17))
                            .setDomain(Domain.APP_USE)
                            .setEventTime(at.minusSeconds(60L * (50 - i)))
                            .build());
        }
        return RecommendationContext.newBuilder()
                .setRecommendationId(rec)
                .setUserId(user)
                .setChannel("t-deal")
                .setItems(List.of("deal-0", "deal-1", "deal-2"))
                .setJourney(journey)
                .setModelVersion("v1")
                .setExperimentArm("live")
                .setGeneratedAt(at)
                .build();
    }

    private static double plainConsume(LocalKafka kafka, LocalRegistry registry, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        try (KafkaConsumer<String, FeedbackEvent> consumer =
                new KafkaConsumer<>(
                        props,
                        new StringDeserializer(),
                        new RegistryAvroDeserializer<>(
                                new SchemaRegistryClient(registry.confluentUrl()),
                                FeedbackEvent.class))) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(TopicCatalog.FEEDBACK_EVENTS).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            long start = System.nanoTime();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int read = 0;
            long checksum = 0;
            while (read < expected) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    checksum += record.value().getEventId().length();
                    read++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (checksum == 0) {
                throw new IllegalStateException("nothing read");
            }
            return read / seconds;
        }
    }

    private static double updater(
            LocalKafka kafka, LocalRegistry registry, Admin admin, Path state, int feedback)
            throws Exception {
        String appId = "feedback-bench-" + System.nanoTime();
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("schema.registry.url", registry.confluentUrl());
        props.put("application.id", appId);
        props.put("state.dir", state.toString());
        props.put("http.port", "0");
        props.put("attribution.window", "PT30M");
        props.put("auto.register.schemas", "true");
        Map<TopicPartition, Long> ends = endOffsets(admin);
        try (FeedbackUpdaterApp app = FeedbackUpdaterApp.start(FeedbackUpdaterConfig.from(props))) {
            while (app.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            while (!caughtUp(admin, appId, ends)) {
                Thread.sleep(100);
            }
            return feedback / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        List<String> topics =
                List.of(TopicCatalog.FEEDBACK_EVENTS, TopicCatalog.RECOMMENDATION_CONTEXT);
        Map<TopicPartition, OffsetSpec> request =
                admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .flatMap(
                                d ->
                                        d.partitions().stream()
                                                .map(
                                                        p ->
                                                                new TopicPartition(
                                                                        d.name(), p.partition())))
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static boolean caughtUp(Admin admin, String appId, Map<TopicPartition, Long> ends)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            if (end.getValue() > 0 && (offset == null || offset.offset() < end.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
