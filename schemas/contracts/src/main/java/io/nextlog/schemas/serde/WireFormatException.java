package io.nextlog.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a valid Confluent-framed Avro record for their topic. The message names the
 * topic, partition and offset (partition and offset are -1 when the caller did not know them, as in
 * Kafka's plain {@code Deserializer} call; the consumer then wraps this exception in one that names
 * them), what was expected and what was found.
 */
public final class WireFormatException extends SerializationException {

    private final String topic;
    private final int partition;
    private final long offset;

    WireFormatException(String topic, int partition, long offset, String problem, Throwable cause) {
        super(coordinates(topic, partition, offset) + ": " + problem, cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    static String coordinates(String topic, int partition, long offset) {
        return "topic " + topic + " partition " + partition + " offset " + offset;
    }

    /** Topic the bytes came from. */
    public String topic() {
        return topic;
    }

    /** Partition, or -1 when unknown. */
    public int partition() {
        return partition;
    }

    /** Offset, or -1 when unknown. */
    public long offset() {
        return offset;
    }
}
