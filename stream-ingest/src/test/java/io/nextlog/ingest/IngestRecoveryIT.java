package io.nextlog.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RecommendationContext;
import io.nextlog.schemas.identity.Pseudonymizer;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import io.nextlog.scorer.TestBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: the TaskManager is killed after completed checkpoints while events
 * are in flight and the sink's transactions are open; the job restores on a new TaskManager. With
 * debounce 0 every journey event is scored once, so the committed recommendations must hold exactly
 * one per event: none lost (the journey kept every event) and none twice.
 */
@ExtendWith(LocalInfraExtension.class)
class IngestRecoveryIT {

    private static final int USERS = 12;
    private static final int EVENTS_PER_USER = 24;
    private static final String CHANNEL = "t-deal";

    @TempDir Path dir;

    @Test
    void shouldScoreEveryEventExactlyOnceAcrossATaskManagerKill(LocalInfra infra) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            new TopicCreator(admin).ensure(TopicCatalog.local().all(), (short) 1);
        }
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        Path bundle = TestBundles.withVersion(dir, "v1");
        IngestConfig config =
                TestConfigs.with(
                        "bootstrap.servers=" + infra.bootstrapServers(),
                        "schema.registry.url=" + infra.registryUrl(),
                        "auto.register.schemas=true",
                        "delivery=exactly-once",
                        "checkpoint.interval=PT0.5S",
                        "debounce=PT0S",
                        "policy.quiet-hours=00:00-00:00",
                        "policy.daily-cap.per-channel=100000",
                        "policy.daily-cap.total=100000",
                        "policy.cooldown=PT0S",
                        "group.id=recovery-it-" + System.nanoTime(),
                        "scorer.model.initial-bundle=" + bundle,
                        "scorer.model.warmup-runs=1");
        Map<String, List<BehaviorEvent>> journeys = journeys();

        try (KafkaProducer<String, SpecificRecord> producer =
                IngestFixtures.producer(infra.bootstrapServers(), registry)) {
            for (String item : IngestFixtures.FIXTURE_ITEMS) {
                producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.CATALOG_ITEMS,
                                item,
                                IngestFixtures.catalogItem(item, List.of(CHANNEL))));
            }
            producer.flush();
        }

        Properties flinkProps = new Properties();
        flinkProps.setProperty(
                "flink.execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        flinkProps.setProperty("flink.restart-strategy.type", "fixed-delay");
        flinkProps.setProperty("flink.restart-strategy.fixed-delay.attempts", "20");
        flinkProps.setProperty("flink.restart-strategy.fixed-delay.delay", "1 s");
        Configuration flink = IngestJob.flinkConfiguration(flinkProps, config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        IngestJob.build(env, config);
        JobGraph graph = env.getStreamGraph().getJobGraph();

        MiniClusterConfiguration cluster =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(flink)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(2)
                        .build();
        try (MiniCluster miniCluster = new MiniCluster(cluster)) {
            miniCluster.start();
            miniCluster.submitJob(graph).get();
            try (KafkaProducer<String, SpecificRecord> producer =
                    IngestFixtures.producer(infra.bootstrapServers(), registry)) {
                send(producer, journeys, 0, EVENTS_PER_USER / 2);
                awaitScored(infra, registry, journeys, EVENTS_PER_USER / 2);

                send(producer, journeys, EVENTS_PER_USER / 2, EVENTS_PER_USER);
                Thread.sleep(300); // some of it in flight, some in open transactions
                miniCluster.terminateTaskManager(0).get();
                miniCluster.startTaskManager();
            }
            Map<String, Integer> scored = awaitScored(infra, registry, journeys, EVENTS_PER_USER);
            List<String> twice =
                    scored.entrySet().stream()
                            .filter(e -> e.getValue() > 1)
                            .map(Map.Entry::getKey)
                            .toList();
            assertEquals(List.of(), twice, "events scored more than once in committed output");
            assertEquals(USERS * EVENTS_PER_USER, scored.size(), "events scored");
            miniCluster.cancelJob(graph.getJobID()).get();
        }
    }

    /** Each user's journey, one event a minute, ending now. */
    private static Map<String, List<BehaviorEvent>> journeys() {
        Pseudonymizer ids =
                new Pseudonymizer(
                        "recovery it key, not a secret, 32 bytes".getBytes(StandardCharsets.UTF_8));
        Instant end = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, List<BehaviorEvent>> journeys = new HashMap<>();
        for (int u = 0; u < USERS; u++) {
            String user = ids.derive("customer-" + u);
            List<BehaviorEvent> events = new ArrayList<>();
            for (int i = 0; i < EVENTS_PER_USER; i++) {
                events.add(
                        BehaviorEvent.newBuilder()
                                .setEventId("ev-" + u + "-" + i)
                                .setUserId(user)
                                .setEventTime(end.minus(Duration.ofMinutes(EVENTS_PER_USER - i)))
                                .setDomain(Domain.APP_USE)
                                .setItem("app:" + (i % 5))
                                .build());
            }
            journeys.put(user, events);
        }
        return journeys;
    }

    private static void send(
            KafkaProducer<String, SpecificRecord> producer,
            Map<String, List<BehaviorEvent>> journeys,
            int from,
            int to) {
        for (int i = from; i < to; i++) {
            for (List<BehaviorEvent> journey : journeys.values()) {
                BehaviorEvent event = journey.get(i);
                producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.BEHAVIOR_EVENTS, event.getUserId(), event));
            }
        }
        producer.flush();
    }

    /**
     * Reads committed recommendation contexts of one channel until every one of the first {@code
     * upTo} events of each journey has one whose journey ends with it; returns the count per event.
     * Contexts, not the recommendations: those are on a compacted topic, where the log cleaner may
     * already have removed all but the newest per user.
     */
    private static Map<String, Integer> awaitScored(
            LocalInfra infra,
            SchemaRegistryClient registry,
            Map<String, List<BehaviorEvent>> journeys,
            int upTo) {
        Set<String> expected = new HashSet<>();
        journeys.forEach(
                (user, events) ->
                        events.subList(0, upTo)
                                .forEach(
                                        e ->
                                                expected.add(
                                                        user
                                                                + "@"
                                                                + e.getEventTime()
                                                                        .toEpochMilli())));
        Map<String, Integer> seen = new HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "recovery-reader-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, RecommendationContext> consumer =
                new KafkaConsumer<>(
                        props,
                        new StringDeserializer(),
                        new RegistryAvroDeserializer<>(registry, RecommendationContext.class))) {
            consumer.subscribe(List.of(TopicCatalog.RECOMMENDATION_CONTEXT));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, RecommendationContext> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    RecommendationContext scored = record.value();
                    // The broker is shared with the other ITs of the run: count this test's
                    // users only.
                    if (scored.getChannel().equals(CHANNEL)
                            && journeys.containsKey(scored.getUserId())) {
                        List<JourneyStep> journey = scored.getJourney();
                        long newest = journey.get(journey.size() - 1).getEventTime().toEpochMilli();
                        seen.merge(scored.getUserId() + "@" + newest, 1, Integer::sum);
                    }
                }
                if (quietUntil == Long.MAX_VALUE && seen.keySet().containsAll(expected)) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(seen.keySet());
        assertEquals(Set.of(), missing, "events without a committed recommendation");
        return seen;
    }
}
