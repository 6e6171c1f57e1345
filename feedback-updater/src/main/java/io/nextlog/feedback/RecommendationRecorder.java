package io.nextlog.feedback;

import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.topic.TopicCatalog;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest recommendation per user and channel from the compacted {@code
 * recommendations.<channel>} topics; a tombstone removes it.
 */
final class RecommendationRecorder implements Processor<String, Recommendation, Void, Void> {

    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, Recommendation> latest;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.latest = context.getStateStore(StoreNames.LATEST_RECOMMENDATIONS);
    }

    @Override
    public void process(Record<String, Recommendation> record) {
        if (record.key() == null) {
            return;
        }
        Recommendation recommendation = record.value();
        if (recommendation != null) {
            latest.put(viewKey(record.key(), recommendation.getChannel()), recommendation);
            return;
        }
        context.recordMetadata()
                .map(m -> m.topic())
                .filter(t -> t.startsWith(TopicCatalog.RECOMMENDATIONS_PREFIX))
                .map(t -> t.substring(TopicCatalog.RECOMMENDATIONS_PREFIX.length()))
                .ifPresent(channel -> latest.delete(viewKey(record.key(), channel)));
    }

    static String viewKey(String userId, String channel) {
        return userId + "|" + channel;
    }
}
