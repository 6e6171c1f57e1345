package io.nextlog.feedback;

import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Takes a record's Kafka Streams timestamp from the event time inside its value, so that stream
 * time, which closes impression windows and metric windows, runs on the same clock as the
 * attribution window itself. With the producer's record timestamps instead, a feedback event whose
 * event time lags its send time would be judged against a window that had closed before it was
 * stored.
 *
 * <p>A record whose value is not of the expected type (a tombstone, or one the deserialization
 * handler turned into null) keeps its record timestamp.
 *
 * @param <V> the value type
 */
final class EventTimeExtractor<V> implements TimestampExtractor {

    private final Class<V> valueType;
    private final Function<V, Instant> eventTime;

    EventTimeExtractor(Class<V> valueType, Function<V, Instant> eventTime) {
        this.valueType = valueType;
        this.eventTime = eventTime;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object value = record.value();
        if (!valueType.isInstance(value)) {
            return record.timestamp();
        }
        Instant time = eventTime.apply(valueType.cast(value));
        return time == null ? record.timestamp() : time.toEpochMilli();
    }
}
