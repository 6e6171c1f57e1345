package io.nextlog.ingest;

import io.nextlog.schemas.deadletter.DeadLetters;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.identity.PseudonymousIds;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.registry.SchemaRegistryException;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's ingest edge: decodes a Kafka record with the registry serde and checks it before
 * anything keys on it. A record that cannot be decoded, carries a raw (not pseudonymous) user id,
 * or names a domain or action this reader does not know becomes a {@link JobInput} holding a dead
 * letter with its topic, partition and offset (redacted for raw ids), is counted in the {@code
 * deadLetters} metric and logged at WARN; the job never fails on it. A registry that cannot be
 * reached is not bad input: that error fails the task so it retries after a restart.
 *
 * @param <T> the value type of the topic
 */
final class EdgeDeserializer<T extends SpecificRecord>
        implements KafkaRecordDeserializationSchema<JobInput> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EdgeDeserializer.class);
    private static final String STAGE = "stream-ingest/edge";

    private final String registryUrl;
    private final Class<T> type;
    private final String idPattern;

    private transient RegistryAvroDeserializer<T> decoder;
    private transient PseudonymousIds ids;
    private transient Counter deadLetters;

    EdgeDeserializer(String registryUrl, Class<T> type) {
        this.registryUrl = registryUrl;
        this.type = type;
        this.idPattern = PseudonymousIds.DEFAULT_PATTERN;
    }

    @Override
    public void open(InitializationContext context) {
        decoder = new RegistryAvroDeserializer<>(new SchemaRegistryClient(registryUrl), type);
        ids = new PseudonymousIds(idPattern);
        deadLetters = context.getMetricGroup().counter("deadLetters");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<JobInput> out) {
        if (record.value() == null) {
            refuse(
                    record,
                    DeadLetters.INVALID_FIELD,
                    "value: expected an event, found a tombstone",
                    out);
            return;
        }
        T value;
        try {
            value =
                    decoder.decode(
                            record.topic(), record.partition(), record.offset(), record.value());
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            refuse(record, DeadLetters.MALFORMED_BYTES, String.valueOf(e.getMessage()), out);
            return;
        }
        if (value instanceof BehaviorEvent event) {
            if (check(
                    record,
                    event.getUserId(),
                    event.getDomain() == Domain.UNKNOWN,
                    "domain",
                    out)) {
                out.collect(JobInput.of(event));
            }
        } else if (value instanceof FeedbackEvent event) {
            if (check(
                    record,
                    event.getUserId(),
                    event.getAction() == FeedbackAction.UNKNOWN,
                    "action",
                    out)) {
                out.collect(JobInput.of(event));
            }
        } else {
            refuse(
                    record,
                    DeadLetters.INVALID_FIELD,
                    "value: expected a BehaviorEvent or FeedbackEvent, found "
                            + value.getClass().getSimpleName(),
                    out);
        }
    }

    private boolean check(
            ConsumerRecord<byte[], byte[]> record,
            String userId,
            boolean unknownSymbol,
            String field,
            Collector<JobInput> out) {
        if (!ids.isPseudonymous(userId)) {
            refuse(
                    record,
                    DeadLetters.RAW_PERSONAL_ID,
                    "userId: expected a pseudonymous id matching "
                            + ids.pattern()
                            + ", found a value that does not match (withheld)",
                    out);
            return false;
        }
        if (unknownSymbol) {
            refuse(
                    record,
                    DeadLetters.UNKNOWN_SYMBOL,
                    field
                            + ": expected a symbol this reader knows, found one it does not (read"
                            + " as UNKNOWN)",
                    out);
            return false;
        }
        return true;
    }

    private void refuse(
            ConsumerRecord<byte[], byte[]> record,
            String errorType,
            String message,
            Collector<JobInput> out) {
        LOG.warn(
                "dead-lettering record at topic {} partition {} offset {}: {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                errorType,
                message);
        deadLetters.inc();
        out.collect(
                JobInput.of(
                        DeadLetters.of(
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                STAGE,
                                errorType,
                                message,
                                record.key(),
                                record.value())));
    }

    @Override
    public TypeInformation<JobInput> getProducedType() {
        return TypeInformation.of(JobInput.class);
    }
}
