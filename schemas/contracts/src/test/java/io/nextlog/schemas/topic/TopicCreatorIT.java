package io.nextlog.schemas.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.BehaviorEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfraExtension.class)
class TopicCreatorIT {

    @Test
    void shouldCreateTheCatalogOnceAndReportDrift(LocalInfra infra) throws Exception {
        TopicCatalog catalog = TopicCatalog.local();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            TopicCreator creator = new TopicCreator(admin);

            TopicCreator.Report first = creator.ensure(catalog.all(), (short) 1);
            TopicCreator.Report second = creator.ensure(catalog.all(), (short) 1);
            TopicCatalog resized =
                    TopicCatalog.of(
                            Channels.defaults(),
                            new TopicSettings(3, (short) 1, Duration.ofDays(7)));
            TopicCreator.Report drift = creator.ensure(resized.all(), (short) 1);

            assertEquals(catalog.all().size(), first.created().size() + first.existing().size());
            assertTrue(first.isConsistent());
            assertEquals(List.of(), second.created());
            assertEquals(catalog.all().size(), second.existing().size());
            assertTrue(
                    drift.mismatches().contains("behavior-events: expected 3 partitions, found 6"),
                    drift.mismatches().toString());

            ConfigResource releases =
                    new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.MODEL_RELEASES);
            Config config = admin.describeConfigs(List.of(releases)).all().get().get(releases);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    /**
     * Straight after {@code ensure}, a producer that never retries writes to every partition of
     * every topic just created: their leaders already serve them.
     */
    @Test
    void shouldReturnCreatedTopicsReadyForWrites(LocalInfra infra) throws Exception {
        List<TopicSpec> fresh = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fresh.add(
                    new TopicSpec(
                            "ready-" + i,
                            "user id (UTF-8 string)",
                            BehaviorEvent.getClassSchema(),
                            6,
                            "delete",
                            null,
                            "a topic written right after its creation"));
        }
        Map<String, Object> noRetries =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        infra.bootstrapServers(),
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        false,
                        ProducerConfig.RETRIES_CONFIG,
                        0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()));
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                noRetries, new ByteArraySerializer(), new ByteArraySerializer())) {
            TopicCreator.Report report = new TopicCreator(admin).ensure(fresh, (short) 1);

            assertEquals(fresh.size(), report.created().size());
            List<Future<RecordMetadata>> writes = new ArrayList<>();
            for (TopicSpec spec : fresh) {
                for (int p = 0; p < spec.partitions(); p++) {
                    writes.add(
                            producer.send(
                                    new ProducerRecord<>(spec.name(), p, null, new byte[] {1})));
                }
            }
            for (Future<RecordMetadata> write : writes) {
                assertEquals(0, write.get().offset());
            }
        }
    }
}
