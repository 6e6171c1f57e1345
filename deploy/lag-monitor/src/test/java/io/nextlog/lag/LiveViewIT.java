package io.nextlog.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.lag.LiveSnapshot.GroupLag;
import io.nextlog.lag.LiveSnapshot.ResponseTally;
import io.nextlog.lag.LiveSnapshot.TopicFlow;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.event.ReleaseKind;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The live view against a real broker and a real registry: the catalog's topics, online metrics and
 * releases in the registry wire format, behavior events, and a consumer group with a known
 * committed offset. The figures of each snapshot are checked against what was produced.
 */
@ExtendWith(LocalInfraExtension.class)
class LiveViewIT {

    private static final Instant W0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final String GROUP = "live-view-it-ingest";

    @Test
    void shouldShowRatesCtrReleasesAndLagOfWhatWasProduced(LocalInfra infra) throws Exception {
        TopicCatalog catalog = TopicCatalog.local();
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()));
                KafkaProducer<String, SpecificRecord> avro =
                        new KafkaProducer<>(
                                props(infra),
                                new StringSerializer(),
                                new RegistryAvroSerializer<>(registry, true));
                KafkaProducer<String, byte[]> raw =
                        new KafkaProducer<>(
                                props(infra), new StringSerializer(), new ByteArraySerializer())) {
            new TopicCreator(admin).ensure(catalog.all(), (short) 1);

            Instant published = Instant.now().minusSeconds(60);
            send(
                    avro,
                    TopicCatalog.MODEL_RELEASES,
                    release(1, ReleaseKind.PUBLISH, "v2", published));
            send(
                    avro,
                    TopicCatalog.MODEL_RELEASES,
                    release(2, ReleaseKind.ROLLBACK, "v1", published.plusSeconds(30)));
            send(avro, TopicCatalog.RECO_METRICS, metrics("t-deal", "v1", "control", 10, 1));
            send(avro, TopicCatalog.RECO_METRICS, metrics("t-deal", "v1", "control", 100, 8));
            send(avro, TopicCatalog.RECO_METRICS, metrics("t-deal", "v2", "treatment", 50, 10));
            send(avro, TopicCatalog.RECO_METRICS, metrics("t-universe", "v1", "control", 40, 2));
            // Not the registry wire format: skipped and counted, never the end of the view.
            raw.send(new ProducerRecord<>(TopicCatalog.RECO_METRICS, "bad", new byte[] {1, 2}));
            behaviorEvents(avro, 30);
            // The view reads only the end offsets of these topics, never their records.
            opaque(raw, TopicCatalog.recommendationsTopic("t-deal"), 5);
            opaque(raw, TopicCatalog.TRAINING_EXAMPLES, 2);
            avro.flush();
            raw.flush();
            commitAtStart(admin, catalog.get(TopicCatalog.BEHAVIOR_EVENTS).partitions());

            try (LiveView view =
                    new LiveView(
                            infra.bootstrapServers(), registry, closedPort(), Clock.systemUTC())) {
                LiveSnapshot first = view.read();

                assertNull(first.interval());
                assertEquals(
                        new TopicFlow(TopicCatalog.BEHAVIOR_EVENTS, 30, null),
                        first.behaviorEvents());
                assertEquals(catalog.channels().all().size(), first.recommendations().size());
                assertEquals(
                        List.of(
                                new ResponseTally("t-deal", null, null, 150, 18, 0),
                                new ResponseTally("t-universe", null, null, 40, 2, 0)),
                        first.channels());
                assertEquals(0.12, first.channels().get(0).ctr(), 1e-12);
                assertEquals(
                        List.of(
                                new ResponseTally(null, "v1", "control", 140, 10, 0),
                                new ResponseTally(null, "v2", "treatment", 50, 10, 0)),
                        first.arms());
                assertEquals(1, first.releases().publishes());
                assertEquals(1, first.releases().rollbacks());
                assertEquals(2, first.releases().latestSequence());
                assertEquals("v1", first.releases().liveVersion());
                assertEquals("ROLLBACK", first.releases().liveKind());
                assertTrue(
                        first.releases().liveAge(first.takenAt()).toSeconds() >= 30,
                        first.releases().toString());
                assertEquals(1, first.badRecords());
                GroupLag lag = group(first, GROUP);
                assertEquals(30, lag.lagRecords());
                assertNotNull(lag.maxLagTime());
                assertNotNull(first.scorer().error(), "nothing listens at the scorer URL");

                behaviorEvents(avro, 20);
                opaque(raw, TopicCatalog.recommendationsTopic("t-deal"), 4);
                opaque(raw, TopicCatalog.TRAINING_EXAMPLES, 3);
                send(
                        avro,
                        TopicCatalog.RECO_METRICS,
                        metrics("t-universe", "v1", "control", 40, 4));
                avro.flush();
                raw.flush();
                Thread.sleep(200);
                LiveSnapshot second = view.read();

                Duration interval = second.interval();
                assertNotNull(interval);
                double seconds = interval.toMillis() / 1000.0;
                assertEquals(50, second.behaviorEvents().endOffsets());
                assertEquals(20 / seconds, second.behaviorEvents().perSecond(), 1e-9);
                assertEquals(4 / seconds, flow(second, "t-deal").perSecond(), 1e-9);
                assertEquals(0.0, flow(second, "mno").perSecond());
                assertEquals(4 / seconds, second.recommendationsPerSecond(), 1e-9);
                assertEquals(3 / seconds, second.trainingExamples().perSecond(), 1e-9);
                assertEquals(0.1, second.channels().get(1).ctr(), 1e-12); // its window grew
                assertEquals(50, group(second, GROUP).lagRecords());

                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                assertTrue(
                        LiveViewCommand.once(
                                view,
                                Duration.ofMillis(100),
                                new PrintStream(printed, true, StandardCharsets.UTF_8)));
                String text = printed.toString(StandardCharsets.UTF_8);
                assertTrue(text.contains("MODEL  live v1 for "), text);
                assertTrue(text.contains("(ROLLBACK, sequence 2)"), text);
                assertTrue(text.contains("1 published, 1 rolled back"), text);
                assertTrue(text.contains("12.00%"), text);
                assertTrue(text.contains(GROUP), text);
            }
        }
    }

    private static Properties props(LocalInfra infra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        return props;
    }

    private static void send(
            KafkaProducer<String, SpecificRecord> producer, String topic, SpecificRecord value) {
        String key =
                value instanceof RecoMetrics m
                        ? m.getChannel() + "|" + m.getModelVersion() + "|" + m.getExperimentArm()
                        : ((ModelRelease) value).getVersion();
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    private static void behaviorEvents(KafkaProducer<String, SpecificRecord> producer, int count) {
        for (int i = 0; i < count; i++) {
            String user = String.format("u_%032x", i);
            producer.send(
                    new ProducerRecord<>(
                            TopicCatalog.BEHAVIOR_EVENTS,
                            user,
                            BehaviorEvent.newBuilder()
                                    .setEventId("e-" + System.nanoTime() + "-" + i)
                                    .setUserId(user)
                                    .setEventTime(Instant.now())
                                    .setDomain(Domain.APP_USE)
                                    .setItem("app-" + i % 5)
                                    .build()));
        }
    }

    private static void opaque(KafkaProducer<String, byte[]> producer, String topic, int count) {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, String.format("u_%032x", i), new byte[] {0}));
        }
    }

    private static RecoMetrics metrics(
            String channel, String version, String arm, long impressions, long clicks) {
        return ResponseTotalsTest.row(channel, version, arm, W0, impressions, clicks, 0);
    }

    private static ModelRelease release(
            long sequence, ReleaseKind kind, String version, Instant at) {
        return ReleaseLogTest.release(sequence, kind, version, at);
    }

    private static void commitAtStart(Admin admin, int partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            offsets.put(
                    new TopicPartition(TopicCatalog.BEHAVIOR_EVENTS, p), new OffsetAndMetadata(0));
        }
        admin.alterConsumerGroupOffsets(GROUP, offsets).all().get();
    }

    private static GroupLag group(LiveSnapshot snapshot, String id) {
        return snapshot.groups().stream()
                .filter(g -> g.group().equals(id))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no group " + id + " in " + snapshot.groups()));
    }

    private static TopicFlow flow(LiveSnapshot snapshot, String channel) {
        String topic = TopicCatalog.recommendationsTopic(channel);
        return snapshot.recommendations().stream()
                .filter(f -> f.topic().equals(topic))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + topic + " in " + snapshot));
    }

    /** A loopback URL nothing listens on: the scorer is down. */
    private static URI closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
