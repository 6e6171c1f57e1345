package io.nextlog.ingest;

import java.util.Arrays;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * A record ready for Kafka: topic, key and the value already in the registry's wire format (null
 * for a tombstone). One sink writes every output topic, so exactly-once needs one transaction per
 * subtask and checkpoint, not one per topic. A Flink POJO.
 */
public class Outgoing {

    /** The topic. */
    public String topic;

    /** The UTF-8 key. */
    public String key;

    /** Confluent wire-format bytes; null deletes the key on a compacted topic. */
    @Nullable public byte[] value;

    /** The record timestamp, epoch millis. */
    public long timestampMs;

    /** For Flink's POJO serializer. */
    public Outgoing() {}

    Outgoing(String topic, String key, @Nullable byte[] value, long timestampMs) {
        this.topic = topic;
        this.key = key;
        this.value = value;
        this.timestampMs = timestampMs;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Outgoing that
                && timestampMs == that.timestampMs
                && Objects.equals(topic, that.topic)
                && Objects.equals(key, that.key)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, key, timestampMs, Arrays.hashCode(value));
    }
}
