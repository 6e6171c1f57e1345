package io.nextlog.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.topic.TopicCreator;
import io.nextlog.schemas.topic.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lag against a real broker: groups with known committed offsets on records with known timestamps,
 * one of them fallen behind retention.
 */
@ExtendWith(LocalInfraExtension.class)
class LagReaderIT {

    private static final Instant T0 =
            Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final Instant NOW = T0.plusSeconds(1000);

    @Test
    void shouldReadLagInRecordsAndSecondsAndSeeAGroupBehindRetention(LocalInfra infra)
            throws Exception {
        String topic = "lag-it-" + System.nanoTime();
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            // through the creator, which returns once both leaders take writes
            new TopicCreator(admin)
                    .ensure(
                            List.of(
                                    new TopicSpec(
                                            topic,
                                            "opaque",
                                            Schema.create(Schema.Type.BYTES),
                                            2,
                                            "delete",
                                            null,
                                            "lag under test")),
                            (short) 1);
            produce(infra, topic, 0, 10);
            produce(infra, topic, 1, 5);
            commit(admin, "behind", Map.of(p0, 4L, p1, 5L));
            commit(admin, "slow", Map.of(p0, 2L));

            try (LagReader reader =
                    new LagReader(infra.bootstrapServers(), Clock.fixed(NOW, ZoneOffset.UTC))) {
                List<PartitionLag> behind = reader.read("behind");
                assertEquals(2, behind.size());
                PartitionLag onP0 = behind.get(0);
                assertEquals(p0, onP0.partition());
                assertEquals(6, onP0.lagRecords());
                assertEquals(T0.plusSeconds(4), onP0.oldestUnconsumedTime());
                assertEquals(Duration.ofSeconds(996), onP0.lagTime());
                assertFalse(onP0.behindRetention());
                PartitionLag onP1 = behind.get(1);
                assertEquals(0, onP1.lagRecords());
                assertNull(onP1.oldestUnconsumedTime());
                assertEquals(Duration.ZERO, onP1.lagTime());
                assertTrue(reader.consumerGroups().containsAll(List.of("behind", "slow")));

                // Retention deletes offsets 0-5 while the slow group is still at 2.
                admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(6))).all().get();
                PartitionLag slow = reader.read("slow").get(0);
                assertEquals(8, slow.lagRecords());
                assertEquals(4, slow.lostRecords());
                assertTrue(slow.behindRetention());
                assertEquals(T0.plusSeconds(6), slow.oldestUnconsumedTime());
                assertEquals(Duration.ofSeconds(994), slow.lagTime());

                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                LagCommand.print(
                        LagCommand.read(reader, List.of("behind", "slow")),
                        new PrintStream(printed, true, StandardCharsets.UTF_8));
                String table = printed.toString(StandardCharsets.UTF_8);
                assertTrue(table.contains("LOST 4 records to retention"), table);
                assertTrue(table.contains("group slow has fallen behind retention"), table);
                assertTrue(table.contains("behind"), table);
            }
        }
    }

    /** Records i = 0..count-1 with timestamps T0 + i seconds. */
    private static void produce(LocalInfra infra, String topic, int partition, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                long timestamp = T0.plusSeconds(i).toEpochMilli();
                producer.send(new ProducerRecord<>(topic, partition, timestamp, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static void commit(Admin admin, String group, Map<TopicPartition, Long> offsets)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = new java.util.HashMap<>();
        offsets.forEach(
                (partition, offset) -> committed.put(partition, new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, committed).all().get();
    }
}
