package io.nextlog.feedback;

import io.nextlog.schemas.event.RecoMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.kstream.Windowed;

/** Attributed responses of one channel|version|arm in one window. Mutable, single-threaded. */
final class ResponseCounts {

    long impressions;
    long clicks;
    long converts;
    long dismissals;

    ResponseCounts add(String action) {
        switch (action) {
            case "impression" -> impressions++;
            case "click" -> clicks++;
            case "convert" -> converts++;
            case "dismiss", "unsubscribe" -> dismissals++;
            default -> {
                // unknown actions never reach here: the attributor refuses them
            }
        }
        return this;
    }

    /**
     * The metrics row for this window; rates are 0 when there were no impressions.
     *
     * @param windowed key {@code channel|modelVersion|arm} and the window
     */
    RecoMetrics toMetrics(Windowed<String> windowed) {
        String[] parts = windowed.key().split("\\|", 3);
        double ctr = impressions == 0 ? 0 : (double) clicks / impressions;
        double conversion = impressions == 0 ? 0 : (double) converts / impressions;
        return RecoMetrics.newBuilder()
                .setChannel(parts[0])
                .setModelVersion(parts.length > 1 ? parts[1] : "")
                .setExperimentArm(parts.length > 2 ? parts[2] : "")
                .setWindowStart(Instant.ofEpochMilli(windowed.window().start()))
                .setWindowEnd(Instant.ofEpochMilli(windowed.window().end()))
                .setImpressions(impressions)
                .setClicks(clicks)
                .setConverts(converts)
                .setDismissals(dismissals)
                .setCtr(ctr)
                .setConversionRate(conversion)
                .build();
    }

    /** Four big-endian longs; internal state only. */
    static final class CountsSerde implements Serde<ResponseCounts> {
        @Override
        public Serializer<ResponseCounts> serializer() {
            return (topic, counts) ->
                    counts == null
                            ? null
                            : ByteBuffer.allocate(32)
                                    .putLong(counts.impressions)
                                    .putLong(counts.clicks)
                                    .putLong(counts.converts)
                                    .putLong(counts.dismissals)
                                    .array();
        }

        @Override
        public Deserializer<ResponseCounts> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                ResponseCounts counts = new ResponseCounts();
                counts.impressions = buffer.getLong();
                counts.clicks = buffer.getLong();
                counts.converts = buffer.getLong();
                counts.dismissals = buffer.getLong();
                return counts;
            };
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {}
    }
}
