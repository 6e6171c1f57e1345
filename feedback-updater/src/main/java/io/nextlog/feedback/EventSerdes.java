package io.nextlog.feedback;

import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Where the topology gets the serde of each Avro type, for topics and state stores alike. The
 * application uses the registry ({@link #registry}); topology tests hand in a plain Avro binary
 * serde, so they run without a registry.
 */
@FunctionalInterface
public interface EventSerdes {

    <T extends SpecificRecord> Serde<T> serde(Class<T> type);

    /** Confluent-framed Avro through the schema registry. */
    static EventSerdes registry(SchemaRegistryClient client, boolean autoRegister) {
        return new EventSerdes() {
            @Override
            public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
                return new RegistryAvroSerde<>(client, type, autoRegister);
            }
        };
    }
}
