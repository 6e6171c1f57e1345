package io.nextlog.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.infra.LocalRegistry;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.registry.SchemaRegistryException;
import io.nextlog.schemas.topic.TopicCreator;
import io.nextlog.schemas.topic.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serde against a real Kafka broker and a real Apicurio registry. */
@ExtendWith(LocalInfraExtension.class)
class RegistryAvroSerdeIT {

    private static final int EVENTS = 10_000;

    @Test
    void shouldRoundTripTenThousandEventsThroughTheBroker(LocalInfra infra) throws Exception {
        String topic = createTopic(infra, "serde-roundtrip", 3);
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        List<BehaviorEvent> sent = TestEvents.behaviorEvents(EVENTS);

        try (KafkaProducer<String, BehaviorEvent> producer =
                producer(infra, new RegistryAvroSerializer<>(registry, true))) {
            for (BehaviorEvent event : sent) {
                producer.send(new ProducerRecord<>(topic, event.getUserId(), event));
            }
            producer.flush();
        }
        List<BehaviorEvent> received = new ArrayList<>();
        try (KafkaConsumer<String, BehaviorEvent> consumer =
                consumer(infra, new RegistryAvroDeserializer<>(registry, BehaviorEvent.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < EVENTS && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> received.add(r.value()));
            }
        }

        assertEquals(EVENTS, received.size());
        Map<String, BehaviorEvent> byId = new java.util.HashMap<>();
        received.forEach(e -> byId.put(e.getEventId(), e));
        for (BehaviorEvent event : sent) {
            assertEquals(event, byId.get(event.getEventId()));
        }
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaWithAPlainError(LocalInfra infra) {
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        String subject = "serde-incompatible-" + System.nanoTime() + "-value";
        registry.register(subject, BehaviorEvent.getClassSchema());
        Schema breaking =
                new Schema.Parser()
                        .parse(
                                BehaviorEvent.getClassSchema()
                                        .toString()
                                        .replace(
                                                "\"fields\":[",
                                                "\"fields\":[{\"name\":\"msisdn\","
                                                        + "\"type\":\"string\"},"));

        assertTrue(!registry.isCompatible(subject, breaking));
        SchemaRegistryException refused =
                assertThrows(
                        SchemaRegistryException.class, () -> registry.register(subject, breaking));

        assertEquals(409, refused.httpStatus());
        assertTrue(refused.isIncompatible());
        assertTrue(
                refused.getMessage()
                        .startsWith("registry refused to register schema under subject"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("HTTP 409"), refused.getMessage());
        assertEquals("BACKWARD", registry.compatibility(null));
        assertEquals(1, registry.latest(subject).version());
    }

    @Test
    void shouldRefuseUnregisteredSchemasWhenAutoRegisterIsOff(LocalInfra infra) {
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        RegistryAvroSerializer<BehaviorEvent> serializer =
                new RegistryAvroSerializer<>(registry, false);
        BehaviorEvent event = TestEvents.behaviorEvents(1).get(0);

        SerializationException e =
                assertThrows(
                        SerializationException.class,
                        () ->
                                serializer.serialize(
                                        "serde-unregistered-" + System.nanoTime(), event));
        assertTrue(e.getMessage().contains("to be registered, found it absent"), e.getMessage());
    }

    @Test
    void shouldNameTopicPartitionOffsetForCorruptBytes(LocalInfra infra) throws Exception {
        String topic = createTopic(infra, "serde-corrupt", 1);
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        byte[] good =
                new RegistryAvroSerializer<BehaviorEvent>(registry, true)
                        .serialize(topic, TestEvents.behaviorEvents(1).get(0));
        byte[] truncated = java.util.Arrays.copyOf(good, 9);
        byte[] notAvro =
                "{\"userId\":\"01012345678\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> raw =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, good)).get();
            raw.send(new ProducerRecord<>(topic, notAvro)).get();
            raw.send(new ProducerRecord<>(topic, truncated)).get();
        }

        try (KafkaConsumer<String, BehaviorEvent> consumer =
                new KafkaConsumer<>(
                        consumerProps(infra),
                        new StringDeserializer(),
                        new RegistryAvroDeserializer<>(registry, BehaviorEvent.class))) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertEquals(1, pollOnce(consumer).size());
            RecordDeserializationException e =
                    assertThrows(RecordDeserializationException.class, () -> pollOnce(consumer));
            assertEquals(1L, e.offset());
            assertEquals(topic, e.topicPartition().topic());
            assertTrue(
                    e.getCause().getMessage().contains("expected magic byte 0x00"),
                    e.getCause().getMessage());
        }

        RegistryAvroDeserializer<BehaviorEvent> decoder =
                new RegistryAvroDeserializer<>(registry, BehaviorEvent.class);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        consumerProps(infra),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            consumer.seek(new org.apache.kafka.common.TopicPartition(topic, 0), 2L);
            ConsumerRecord<byte[], byte[]> record = pollOnce(consumer).get(0);
            WireFormatException e =
                    assertThrows(
                            WireFormatException.class,
                            () ->
                                    decoder.decode(
                                            record.topic(),
                                            record.partition(),
                                            record.offset(),
                                            record.value()));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "topic "
                                            + topic
                                            + " partition 0 offset 2: expected a"
                                            + " io.nextlog.schemas.event.BehaviorEvent written with"
                                            + " schema id"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("found bytes that do not decode"), e.getMessage());
        }
    }

    @Test
    void shouldKeepWorkingFromCacheWhenTheRegistryStops(LocalInfra infra) throws Exception {
        String topic = createTopic(infra, "serde-outage", 1);
        List<BehaviorEvent> events = TestEvents.behaviorEvents(1_000);
        RegistryAvroSerializer<BehaviorEvent> serializer;
        RegistryAvroDeserializer<BehaviorEvent> deserializer;
        SchemaRegistryClient client;
        try (LocalRegistry registry = LocalRegistry.start()) {
            client = new SchemaRegistryClient(registry.confluentUrl(), Duration.ofSeconds(2));
            serializer = new RegistryAvroSerializer<>(client, true);
            deserializer = new RegistryAvroDeserializer<>(client, BehaviorEvent.class);
            byte[] warmUp = serializer.serialize(topic, events.get(0));
            assertEquals(events.get(0), deserializer.deserialize(topic, warmUp));
        }

        try (KafkaProducer<String, BehaviorEvent> producer = producer(infra, serializer)) {
            for (BehaviorEvent event : events) {
                producer.send(new ProducerRecord<>(topic, event.getUserId(), event));
            }
            producer.flush();
        }
        List<BehaviorEvent> received = new ArrayList<>();
        try (KafkaConsumer<String, BehaviorEvent> consumer = consumer(infra, deserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < events.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> received.add(r.value()));
            }
        }
        assertEquals(events, received);

        RegistryAvroDeserializer<BehaviorEvent> cold =
                new RegistryAvroDeserializer<>(client, BehaviorEvent.class);
        byte[] unknownId = {0, 0, 0, 0x7f, 0x7f, 2};
        WireFormatException e =
                assertThrows(WireFormatException.class, () -> cold.decode(topic, 0, 5L, unknownId));
        assertTrue(e.getMessage().contains("not cached and the registry failed"), e.getMessage());
    }

    private static <K, V> List<ConsumerRecord<K, V>> pollOnce(KafkaConsumer<K, V> consumer) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records.isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    private static String createTopic(LocalInfra infra, String prefix, int partitions)
            throws ExecutionException, InterruptedException {
        String topic = prefix + "-" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            // through the creator, which returns once every leader takes writes
            new TopicCreator(admin)
                    .ensure(
                            List.of(
                                    new TopicSpec(
                                            topic,
                                            "user id (UTF-8 string)",
                                            BehaviorEvent.getClassSchema(),
                                            partitions,
                                            "delete",
                                            null,
                                            "serde under test")),
                            (short) 1);
        }
        return topic;
    }

    private static KafkaProducer<String, BehaviorEvent> producer(
            LocalInfra infra, RegistryAvroSerializer<BehaviorEvent> serializer) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), serializer);
    }

    private static Properties consumerProps(LocalInfra infra) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "serde-it-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        return props;
    }

    private static KafkaConsumer<String, BehaviorEvent> consumer(
            LocalInfra infra, RegistryAvroDeserializer<BehaviorEvent> deserializer) {
        Properties props = consumerProps(infra);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return new KafkaConsumer<>(props, new StringDeserializer(), deserializer);
    }
}
