package io.nextlog.schemas.topic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.avro.Schema;

/**
 * Declaration of one topic: name, what its key is, the Avro schema of its values, its partition
 * count and how long records stay.
 *
 * @param name topic name
 * @param key what the key holds, e.g. {@code user id (UTF-8 string)}; keys are plain UTF-8 strings
 *     so compaction and partitioning work the same for every client
 * @param valueSchema Avro schema of the values, registered under subject {@code <name>-value}
 * @param partitions partition count; topics joined by user share {@link
 *     TopicSettings#userPartitions()}
 * @param cleanupPolicy {@code delete} or {@code compact}
 * @param retention how long records are kept, or {@code null} to keep them forever
 * @param description what the topic carries and who reads it
 */
public record TopicSpec(
        String name,
        String key,
        Schema valueSchema,
        int partitions,
        String cleanupPolicy,
        @Nullable Duration retention,
        String description) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueSchema, "valueSchema");
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    name + ": expected at least 1 partition, found " + partitions);
        }
        if (!cleanupPolicy.equals("delete") && !cleanupPolicy.equals("compact")) {
            throw new IllegalArgumentException(
                    name + ": expected cleanup policy delete or compact, found " + cleanupPolicy);
        }
    }

    /** Registry subject of the values. */
    public String valueSubject() {
        return name + "-value";
    }

    /** Whether the topic keeps only the latest value per key. */
    public boolean isCompacted() {
        return cleanupPolicy.equals("compact");
    }

    /** Broker-side topic configuration for this declaration. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy);
        configs.put(
                "retention.ms", retention == null ? "-1" : String.valueOf(retention.toMillis()));
        return configs;
    }
}
