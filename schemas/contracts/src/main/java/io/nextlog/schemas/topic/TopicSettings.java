package io.nextlog.schemas.topic;

import java.time.Duration;

/**
 * Sizing of the topic catalog for one deployment.
 *
 * @param userPartitions partitions of every topic keyed by user; they must match so joins by user
 *     stay co-partitioned
 * @param replicationFactor replicas per partition (1 on a single local broker, 3 in production)
 * @param eventRetention how long event topics keep records
 */
public record TopicSettings(int userPartitions, short replicationFactor, Duration eventRetention) {

    public TopicSettings {
        if (userPartitions < 1) {
            throw new IllegalArgumentException(
                    "userPartitions: expected at least 1, found " + userPartitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "replicationFactor: expected at least 1, found " + replicationFactor);
        }
        if (eventRetention.isNegative() || eventRetention.isZero()) {
            throw new IllegalArgumentException(
                    "eventRetention: expected a positive duration, found " + eventRetention);
        }
    }

    /** Single local broker: 6 user partitions, replication 1, 7 days. */
    public static TopicSettings local() {
        return new TopicSettings(6, (short) 1, Duration.ofDays(7));
    }
}
