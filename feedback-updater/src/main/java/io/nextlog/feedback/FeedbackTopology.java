package io.nextlog.feedback;

import io.nextlog.feedback.store.ContactHistoryEntry;
import io.nextlog.feedback.store.PendingImpression;
import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.Contact;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.event.RecommendationContext;
import io.nextlog.schemas.event.TrainingExample;
import io.nextlog.schemas.identity.PseudonymousIds;
import io.nextlog.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;

/**
 * The feedback updater's topology.
 *
 * <pre>
 * recommendation-context --> ContextRecorder ------------------+ (stores: contexts,
 * feedback-events ---------> FeedbackAttributor <--------------+  seen, impressions, ...)
 *                               |-- examples ---> training-examples
 *                               |-- letters ----> dead-letters
 *                               '-- metric events -> by channel|version|arm -> tumbling
 *                                                    window counts -> reco-metrics
 * contacts, feedback-events -> ContactHistoryRecorder (contact history, per-user view)
 * recommendations.*        --> RecommendationRecorder (latest per user and channel)
 * </pre>
 *
 * <p>Every input is keyed by user with the same partition count, so each user's contexts, feedback
 * and contacts meet in one task without repartitioning; only the metrics are re-keyed. Every source
 * takes its timestamps from the event time in its values ({@link EventTimeExtractor}), so stream
 * time and the attribution window share one clock.
 */
public final class FeedbackTopology {

    private FeedbackTopology() {}

    /** Builds the topology; {@code serdes} decides how Avro values and stores are encoded. */
    public static Topology build(
            FeedbackUpdaterConfig config,
            Channels channels,
            EventSerdes serdes,
            PseudonymousIds ids,
            UpdaterMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<String> strings = Serdes.String();
        Duration window = config.attributionWindow();
        addStores(builder, window, serdes);

        builder.stream(
                        TopicCatalog.RECOMMENDATION_CONTEXT,
                        Consumed.with(strings, serdes.serde(RecommendationContext.class))
                                .withTimestampExtractor(
                                        new EventTimeExtractor<>(
                                                RecommendationContext.class,
                                                RecommendationContext::getGeneratedAt)))
                .process(
                        ContextRecorder::new,
                        Named.as("record-contexts"),
                        StoreNames.CONTEXTS,
                        StoreNames.LATEST_CONTEXT);

        KStream<String, FeedbackEvent> feedback =
                builder.stream(
                        TopicCatalog.FEEDBACK_EVENTS,
                        Consumed.with(strings, serdes.serde(FeedbackEvent.class))
                                .withTimestampExtractor(
                                        new EventTimeExtractor<>(
                                                FeedbackEvent.class, FeedbackEvent::getEventTime)));
        KStream<String, AttributionOutput> attributed =
                feedback.process(
                        () -> new FeedbackAttributor(window, ids, metrics),
                        Named.as("attribute-feedback"),
                        StoreNames.CONTEXTS,
                        StoreNames.LATEST_CONTEXT,
                        StoreNames.SEEN_FEEDBACK,
                        StoreNames.IMPRESSIONS,
                        StoreNames.RESPONSES,
                        StoreNames.PROGRESS);

        attributed
                .filter((user, out) -> out instanceof AttributionOutput.Example)
                .mapValues(out -> ((AttributionOutput.Example) out).example())
                .to(
                        TopicCatalog.TRAINING_EXAMPLES,
                        Produced.with(strings, serdes.serde(TrainingExample.class)));
        attributed
                .filter((user, out) -> out instanceof AttributionOutput.Letter)
                .map(
                        (user, out) -> {
                            DeadLetter letter = ((AttributionOutput.Letter) out).letter();
                            return KeyValue.pair(letter.getSourceTopic(), letter);
                        })
                .to(
                        TopicCatalog.DEAD_LETTERS,
                        Produced.with(strings, serdes.serde(DeadLetter.class)));
        onlineMetrics(attributed, config, serdes, metrics);

        builder.stream(
                        TopicCatalog.CONTACTS,
                        Consumed.with(strings, serdes.serde(Contact.class))
                                .withTimestampExtractor(
                                        new EventTimeExtractor<>(
                                                Contact.class, Contact::getContactedAt)))
                .process(
                        ContactHistoryRecorder.Contacts::new,
                        Named.as("record-contacts"),
                        StoreNames.CONTACT_HISTORY,
                        StoreNames.CONTACT_INDEX);
        feedback.process(
                ContactHistoryRecorder.Responses::new,
                Named.as("record-responses"),
                StoreNames.CONTACT_HISTORY,
                StoreNames.CONTACT_INDEX);

        List<String> recommendationTopics =
                channels.all().stream()
                        .map(Channel::id)
                        .map(TopicCatalog::recommendationsTopic)
                        .toList();
        builder.stream(
                        recommendationTopics,
                        Consumed.with(strings, serdes.serde(Recommendation.class))
                                .withTimestampExtractor(
                                        new EventTimeExtractor<>(
                                                Recommendation.class,
                                                Recommendation::getGeneratedAt)))
                .process(
                        RecommendationRecorder::new,
                        Named.as("record-recommendations"),
                        StoreNames.LATEST_RECOMMENDATIONS);
        return builder.build();
    }

    private static void onlineMetrics(
            KStream<String, AttributionOutput> attributed,
            FeedbackUpdaterConfig config,
            EventSerdes serdes,
            UpdaterMetrics metrics) {
        attributed
                .filter((user, out) -> out instanceof AttributionOutput.MetricEvent)
                .map(
                        (user, out) -> {
                            AttributionOutput.MetricEvent event =
                                    (AttributionOutput.MetricEvent) out;
                            return KeyValue.pair(event.metricKey(), event.action());
                        })
                .groupByKey(Grouped.with("metric-events", Serdes.String(), Serdes.String()))
                .windowedBy(
                        TimeWindows.ofSizeAndGrace(config.metricsWindow(), config.metricsGrace()))
                .aggregate(
                        ResponseCounts::new,
                        (key, action, counts) -> counts.add(action),
                        Named.as("count-responses"),
                        Materialized
                                .<String, ResponseCounts,
                                        org.apache.kafka.streams.state.WindowStore<
                                                org.apache.kafka.common.utils.Bytes, byte[]>>
                                        as("response-counts")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new ResponseCounts.CountsSerde()))
                .toStream()
                .map(
                        (windowed, counts) -> {
                            RecoMetrics row = counts.toMetrics(windowed);
                            return KeyValue.pair(windowed.key(), row);
                        })
                .peek((key, row) -> publishGauges(metrics, row))
                .to(
                        TopicCatalog.RECO_METRICS,
                        Produced.with(Serdes.String(), serdes.serde(RecoMetrics.class)));
    }

    private static void publishGauges(UpdaterMetrics metrics, RecoMetrics row) {
        String labels =
                "channel=\""
                        + UpdaterMetrics.label(row.getChannel())
                        + "\",model_version=\""
                        + UpdaterMetrics.label(row.getModelVersion())
                        + "\",arm=\""
                        + UpdaterMetrics.label(row.getExperimentArm())
                        + "\"";
        metrics.set("nextlog_reco_window_impressions", labels, row.getImpressions());
        metrics.set("nextlog_reco_window_clicks", labels, row.getClicks());
        metrics.set("nextlog_reco_window_ctr", labels, row.getCtr());
        metrics.set("nextlog_reco_window_conversion_rate", labels, row.getConversionRate());
    }

    private static void addStores(StreamsBuilder builder, Duration window, EventSerdes serdes) {
        Duration retention = FeedbackAttributor.storeRetention(window);
        Serde<String> strings = Serdes.String();
        builder.addStateStore(
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(StoreNames.CONTEXTS, retention, window, false),
                        strings,
                        serdes.serde(RecommendationContext.class)));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.LATEST_CONTEXT),
                        strings,
                        serdes.serde(RecommendationContext.class)));
        builder.addStateStore(
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(
                                StoreNames.SEEN_FEEDBACK, retention, window, false),
                        strings,
                        Serdes.Long()));
        builder.addStateStore(
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(
                                StoreNames.IMPRESSIONS, retention, window, false),
                        strings,
                        serdes.serde(PendingImpression.class)));
        builder.addStateStore(
                Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(
                                StoreNames.RESPONSES, retention, window, false),
                        strings,
                        strings));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.PROGRESS),
                        strings,
                        Serdes.Long()));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.LATEST_RECOMMENDATIONS),
                        strings,
                        serdes.serde(Recommendation.class)));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.CONTACT_HISTORY),
                        strings,
                        serdes.serde(ContactHistoryEntry.class)));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.CONTACT_INDEX),
                        strings,
                        strings));
    }
}
