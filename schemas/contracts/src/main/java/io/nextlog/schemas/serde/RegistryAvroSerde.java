package io.nextlog.schemas.serde;

import io.nextlog.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Serializer and deserializer of one generated Avro class over a shared registry client, for Kafka
 * Streams and any client that wants both halves.
 *
 * @param <T> generated Avro record class
 */
public final class RegistryAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final RegistryAvroSerializer<T> serializer;
    private final RegistryAvroDeserializer<T> deserializer;

    public RegistryAvroSerde(SchemaRegistryClient registry, Class<T> type, boolean autoRegister) {
        this.serializer = new RegistryAvroSerializer<>(registry, autoRegister);
        this.deserializer = new RegistryAvroDeserializer<>(registry, type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public RegistryAvroSerializer<T> serializer() {
        return serializer;
    }

    @Override
    public RegistryAvroDeserializer<T> deserializer() {
        return deserializer;
    }
}
