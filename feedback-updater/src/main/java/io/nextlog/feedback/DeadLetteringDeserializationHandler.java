package io.nextlog.feedback;

import io.nextlog.schemas.deadletter.DeadLetters;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.serde.RegistrySerdeConfig;
import io.nextlog.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips a record whose bytes do not deserialize and writes it to {@code dead-letters} with its
 * topic, partition and offset, through the Streams producer (so under exactly-once the dead letter
 * commits with the input offset). Counts it in {@code nextlog_feedback_dead_letters_total} and logs
 * it once at WARN.
 */
public final class DeadLetteringDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG =
            LoggerFactory.getLogger(DeadLetteringDeserializationHandler.class);
    static final String STAGE = "feedback-updater/deserialize";

    private RegistryAvroSerializer<DeadLetter> serializer;

    @Override
    public void configure(Map<String, ?> configs) {
        serializer =
                new RegistryAvroSerializer<>(
                        new SchemaRegistryClient(
                                configs.get(RegistrySerdeConfig.SCHEMA_REGISTRY_URL).toString()),
                        Boolean.parseBoolean(
                                String.valueOf(
                                        configs.get(RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS))));
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.warn(
                "dead-lettering undecodable record at topic {} partition {} offset {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                exception.getMessage());
        UpdaterMetrics.shared()
                .increment(
                        "nextlog_feedback_dead_letters_total",
                        "topic=\""
                                + UpdaterMetrics.label(record.topic())
                                + "\",type=\""
                                + DeadLetters.MALFORMED_BYTES
                                + "\"");
        DeadLetter letter =
                DeadLetters.of(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        STAGE,
                        DeadLetters.MALFORMED_BYTES,
                        String.valueOf(exception.getMessage()),
                        record.key(),
                        record.value());
        byte[] value = serializer.serialize(TopicCatalog.DEAD_LETTERS, letter);
        byte[] key = record.topic().getBytes(StandardCharsets.UTF_8);
        return Response.resume(
                List.of(new ProducerRecord<>(TopicCatalog.DEAD_LETTERS, key, value)));
    }
}
