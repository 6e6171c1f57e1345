package io.nextlog.schemas.serde;

import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer reading Confluent-framed Avro into a generated class, resolving the writer's
 * schema (fetched by id once, then cached) against the class's schema.
 *
 * <p>Bad bytes raise {@link WireFormatException} naming topic, partition, offset, expected and
 * found: too short, wrong magic byte, an id the registry does not know, bytes that do not decode
 * with the writer schema, or bytes left over after the record. Callers that know the record's
 * coordinates (Flink, Kafka Streams handlers, dead-letter code) call {@link #decode}; Kafka's
 * consumer calls {@link #deserialize} and adds partition and offset in its own exception.
 *
 * <p>Thread-safe.
 *
 * @param <T> generated Avro record class
 */
public final class RegistryAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private SchemaRegistryClient registry;
    private Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's instantiation by class name; {@link #configure} supplies registry and type. */
    public RegistryAvroDeserializer() {}

    /**
     * @param registry registry client, possibly shared
     * @param type generated class to read into
     */
    public RegistryAvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.readerSchema = SpecificData.get().getSchema(type);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = new SchemaRegistryClient(RegistrySerdeConfig.registryUrl(configs));
        }
        if (readerSchema == null) {
            String key = isKey ? RegistrySerdeConfig.KEY_TYPE : RegistrySerdeConfig.VALUE_TYPE;
            Object type = configs.get(key);
            if (type == null) {
                throw new IllegalArgumentException(
                        key + ": expected a generated Avro class name, found nothing");
            }
            readerSchema = SpecificData.get().getSchema(loadClass(type));
        }
    }

    private static Class<?> loadClass(Object type) {
        if (type instanceof Class<?> cls) {
            return cls;
        }
        try {
            return Class.forName(type.toString());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Avro class " + type + " not on the classpath", e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        return decode(topic, -1, -1L, bytes);
    }

    /**
     * Decodes one record's bytes.
     *
     * @return the record, or null for a null payload (a tombstone)
     * @throws WireFormatException when the bytes are not a valid record for {@code topic}
     */
    public T decode(String topic, int partition, long offset, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < AvroWireFormat.HEADER_BYTES) {
            throw new WireFormatException(
                    topic,
                    partition,
                    offset,
                    "expected at least 5 bytes (magic byte 0 and a 4-byte schema id), found "
                            + bytes.length,
                    null);
        }
        if (bytes[0] != AvroWireFormat.MAGIC_BYTE) {
            throw new WireFormatException(
                    topic,
                    partition,
                    offset,
                    String.format(
                            "expected magic byte 0x00 of the Confluent wire format, found 0x%02x",
                            bytes[0]),
                    null);
        }
        int id = AvroWireFormat.schemaId(bytes);
        SpecificDatumReader<T> reader = reader(topic, partition, offset, id);
        BinaryDecoder decoder =
                DecoderFactory.get()
                        .binaryDecoder(
                                bytes,
                                AvroWireFormat.HEADER_BYTES,
                                bytes.length - AvroWireFormat.HEADER_BYTES,
                                null);
        T record;
        try {
            record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(
                        topic,
                        partition,
                        offset,
                        "expected the record to end the payload of "
                                + bytes.length
                                + " bytes, found more bytes after it (schema id "
                                + id
                                + ")",
                        null);
            }
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException
                | ClassCastException e) {
            throw new WireFormatException(
                    topic,
                    partition,
                    offset,
                    "expected a "
                            + reader.getSchema().getFullName()
                            + " written with schema id "
                            + id
                            + ", found bytes that do not decode: "
                            + e,
                    e);
        }
        return record;
    }

    private SpecificDatumReader<T> reader(String topic, int partition, long offset, int id) {
        SpecificDatumReader<T> cached = readers.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            String found =
                    e.isNotFound()
                            ? "schema id "
                                    + id
                                    + " unknown to the registry at "
                                    + registry.baseUrl()
                            : "schema id "
                                    + id
                                    + " not cached and the registry failed: "
                                    + e.getMessage();
            throw new WireFormatException(
                    topic, partition, offset, "expected a registered schema id, found " + found, e);
        }
        // An identical writer schema reads directly, skipping schema resolution per record.
        SpecificDatumReader<T> reader =
                writer.equals(readerSchema)
                        ? new SpecificDatumReader<>(readerSchema)
                        : new SpecificDatumReader<>(writer, readerSchema);
        readers.putIfAbsent(id, reader);
        return reader;
    }
}
