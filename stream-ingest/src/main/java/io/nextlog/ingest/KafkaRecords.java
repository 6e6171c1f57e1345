package io.nextlog.ingest;

import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Turns the job's results into {@link Outgoing} Kafka records in the registry's wire format. */
final class KafkaRecords {

    private KafkaRecords() {}

    /**
     * A function that writes values in the registry's wire format; the serializer (and its schema
     * cache) is made per subtask at open.
     */
    private abstract static class RegistryRecords<T> extends RichFlatMapFunction<T, Outgoing> {

        private static final long serialVersionUID = 1L;

        private final String registryUrl;
        private final boolean autoRegister;
        private transient RegistryAvroSerializer<SpecificRecord> serializer;

        RegistryRecords(String registryUrl, boolean autoRegister) {
            this.registryUrl = registryUrl;
            this.autoRegister = autoRegister;
        }

        @Override
        public void open(OpenContext openContext) {
            serializer =
                    new RegistryAvroSerializer<>(
                            new SchemaRegistryClient(registryUrl), autoRegister);
        }

        Outgoing record(String topic, String key, SpecificRecord value, long timestampMs) {
            return new Outgoing(topic, key, serializer.serialize(topic, value), timestampMs);
        }
    }

    /** Policy decisions: recommendation, context and contact records, or a tombstone. */
    static final class FromPolicy extends RegistryRecords<PolicyOutput> {

        private static final long serialVersionUID = 1L;

        FromPolicy(String registryUrl, boolean autoRegister) {
            super(registryUrl, autoRegister);
        }

        @Override
        public void flatMap(PolicyOutput decided, Collector<Outgoing> out) {
            String topic = TopicCatalog.recommendationsTopic(decided.channel);
            long now = System.currentTimeMillis();
            if (decided.withdrawn) {
                out.collect(new Outgoing(topic, decided.userId, null, now));
                return;
            }
            if (decided.context != null) {
                // The context goes first: feedback on the recommendation must find it joined.
                out.collect(
                        record(
                                TopicCatalog.RECOMMENDATION_CONTEXT,
                                decided.userId,
                                decided.context,
                                now));
            }
            if (decided.recommendation != null) {
                out.collect(record(topic, decided.userId, decided.recommendation, now));
            }
            if (decided.contact != null) {
                out.collect(record(TopicCatalog.CONTACTS, decided.userId, decided.contact, now));
            }
        }
    }

    /** Dead letters, keyed by their source topic. */
    static final class FromDeadLetter extends RegistryRecords<DeadLetter> {

        private static final long serialVersionUID = 1L;

        FromDeadLetter(String registryUrl, boolean autoRegister) {
            super(registryUrl, autoRegister);
        }

        @Override
        public void flatMap(DeadLetter letter, Collector<Outgoing> out) {
            out.collect(
                    record(
                            TopicCatalog.DEAD_LETTERS,
                            letter.getSourceTopic(),
                            letter,
                            letter.getFailedAt().toEpochMilli()));
        }
    }

    /** What the Kafka sink writes for an {@link Outgoing}. */
    static final class Serialization implements KafkaRecordSerializationSchema<Outgoing> {

        private static final long serialVersionUID = 1L;

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                Outgoing element, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    element.topic,
                    null,
                    element.timestampMs,
                    element.key.getBytes(StandardCharsets.UTF_8),
                    element.value);
        }
    }
}
