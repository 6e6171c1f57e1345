package io.nextlog.schemas.serde;

import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records in the Confluent wire format: magic byte 0, the 4-byte
 * big-endian schema id, then Avro binary. The schema is looked up (or, with auto-register on,
 * registered) under subject {@code <topic>-value} or {@code <topic>-key} once; later records use
 * the cached id, so a registry outage does not stop a producer that already wrote its schema.
 *
 * <p>Thread-safe: Kafka producers may call it from several threads.
 *
 * @param <T> generated Avro record class
 */
public final class RegistryAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;
    private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();
    // topic -> schema -> the 5 framing bytes; the hot path neither builds a subject string nor
    // writes the header byte by byte into a synchronized stream
    private final Map<String, Map<Schema, byte[]>> headersByTopic = new ConcurrentHashMap<>();

    /** For Kafka's instantiation by class name; {@link #configure} supplies the registry. */
    public RegistryAvroSerializer() {}

    /**
     * @param registry registry client, possibly shared
     * @param autoRegister whether to register schemas the subject lacks (off in production)
     */
    public RegistryAvroSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (registry == null) {
            this.registry = new SchemaRegistryClient(RegistrySerdeConfig.registryUrl(configs));
            this.autoRegister = RegistrySerdeConfig.autoRegister(configs);
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null; // tombstone
        }
        Schema schema = record.getSchema();
        byte[] header = header(topic, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(header);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "topic " + topic + ": could not encode " + schema.getFullName() + ": " + e, e);
        }
        return out.toByteArray();
    }

    private byte[] header(String topic, Schema schema) {
        Map<Schema, byte[]> headers =
                headersByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        byte[] header = headers.get(schema);
        if (header == null) {
            header = AvroWireFormat.header(fetchSchemaId(topic, schema));
            headers.put(schema, header);
        }
        return header;
    }

    /**
     * Registers, tolerating a race: when several writers register the same new schema at once,
     * Apicurio answers all but the first with 409 although the schema is now there, so a refusal is
     * checked with a lookup before it counts as incompatible.
     */
    private int register(String subject, Schema schema) {
        try {
            return registry.register(subject, schema);
        } catch (SchemaRegistryException refused) {
            Optional<Integer> registered = registry.lookup(subject, schema);
            if (registered.isPresent()) {
                return registered.get();
            }
            throw refused;
        }
    }

    private int fetchSchemaId(String topic, Schema schema) {
        String subject = topic + (isKey ? "-key" : "-value");
        try {
            if (autoRegister) {
                return register(subject, schema);
            }
            return registry.lookup(subject, schema)
                    .orElseThrow(
                            () ->
                                    new SerializationException(
                                            "subject "
                                                    + subject
                                                    + ": expected schema "
                                                    + schema.getFullName()
                                                    + " to be registered, found it absent and "
                                                    + RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS
                                                    + " is false"));
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "topic "
                            + topic
                            + ": no schema id for "
                            + schema.getFullName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
