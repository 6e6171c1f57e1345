package io.nextlog.feedback;

import io.nextlog.schemas.event.RecommendationContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/** Remembers what each recommendation was scored with, for the attribution join. */
final class ContextRecorder implements Processor<String, RecommendationContext, Void, Void> {

    private WindowStore<String, RecommendationContext> contexts;
    private KeyValueStore<String, RecommendationContext> latestContext;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        contexts = context.getStateStore(StoreNames.CONTEXTS);
        latestContext = context.getStateStore(StoreNames.LATEST_CONTEXT);
    }

    @Override
    public void process(Record<String, RecommendationContext> record) {
        RecommendationContext scored = record.value();
        if (scored == null) {
            return;
        }
        contexts.put(scored.getRecommendationId(), scored, scored.getGeneratedAt().toEpochMilli());
        latestContext.put(scored.getUserId(), scored);
    }
}
