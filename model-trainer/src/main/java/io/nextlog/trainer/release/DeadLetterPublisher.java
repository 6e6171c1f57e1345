package io.nextlog.trainer.release;

import io.nextlog.schemas.deadletter.DeadLetters;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the records the trainer cannot read to {@code dead-letters}, with their coordinates and
 * original bytes, in the format every stage uses ({@link DeadLetters}).
 *
 * <p>At least once: a record read again after a crash, before its offsets were committed with a
 * release, is dead-lettered again. Callers count and log; this class logs only a failed send, once.
 * Thread-safe.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final RegistryAvroSerializer<DeadLetter> serializer;
    private final String stage;
    private final AtomicBoolean sendFailureLogged = new AtomicBoolean();

    /**
     * @param bootstrapServers the Kafka cluster
     * @param registry the schema registry
     * @param stage the stage named in each letter, e.g. {@code trainer-follow}
     */
    public DeadLetterPublisher(
            String bootstrapServers, SchemaRegistryClient registry, String stage) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, stage + "-dead-letters");
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.serializer = new RegistryAvroSerializer<>(registry, true);
        this.stage = stage;
    }

    /** Sends one unreadable record's letter; {@code error} says what was wrong with it. */
    public void publish(ConsumerRecord<String, byte[]> record, RuntimeException error) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        DeadLetter letter =
                DeadLetters.of(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        stage,
                        DeadLetters.MALFORMED_BYTES,
                        String.valueOf(error.getMessage()),
                        key,
                        record.value());
        producer.send(
                new ProducerRecord<>(
                        TopicCatalog.DEAD_LETTERS,
                        key,
                        serializer.serialize(TopicCatalog.DEAD_LETTERS, letter)),
                (metadata, e) -> {
                    if (e != null && sendFailureLogged.compareAndSet(false, true)) {
                        LOG.warn(
                                "Could not write the dead letter of {}-{}@{} (further failures"
                                        + " are not logged): {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e.toString());
                    }
                });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
