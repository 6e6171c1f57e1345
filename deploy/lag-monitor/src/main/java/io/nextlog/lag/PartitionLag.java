package io.nextlog.lag;

import java.time.Duration;
import java.time.Instant;
import javax.annotation.Nullable;
import org.apache.kafka.common.TopicPartition;

/**
 * How far one consumer group is behind on one partition.
 *
 * @param group the consumer group id
 * @param partition the topic partition
 * @param committedOffset the group's committed offset: the next record it will read
 * @param logStartOffset the first offset still in the log (retention moves it forward)
 * @param logEndOffset the offset the next produced record will get
 * @param oldestUnconsumedTime the timestamp of the first record the group has not consumed that is
 *     still in the log; null when it has consumed everything (or only transaction markers remain)
 * @param lagTime how long ago {@code oldestUnconsumedTime} was, as of the reading; zero when
 *     nothing is waiting; null when records wait but none could be read in time (unknown, which is
 *     not the same as zero)
 */
public record PartitionLag(
        String group,
        TopicPartition partition,
        long committedOffset,
        long logStartOffset,
        long logEndOffset,
        @Nullable Instant oldestUnconsumedTime,
        @Nullable Duration lagTime) {

    /** Records the group still has to read: end offset minus committed offset, at least 0. */
    public long lagRecords() {
        return Math.max(0, logEndOffset - committedOffset);
    }

    /**
     * Records deleted by retention before the group read them: log start minus committed offset, at
     * least 0. Above 0 means the group has fallen behind retention and lost them.
     */
    public long lostRecords() {
        return Math.max(0, logStartOffset - committedOffset);
    }

    /** Returns {@code true} when the group has lost records to retention on this partition. */
    public boolean behindRetention() {
        return lostRecords() > 0;
    }
}
