package io.nextlog.feedback;

import io.nextlog.feedback.store.PendingImpression;
import io.nextlog.schemas.deadletter.DeadLetters;
import io.nextlog.schemas.event.ExampleLabel;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.RecommendationContext;
import io.nextlog.schemas.event.TrainingExample;
import io.nextlog.schemas.identity.PseudonymousIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins each feedback event to the recommendation it answers and turns it into training examples
 * and metric events.
 *
 * <ul>
 *   <li>Click and convert within the attribution window: a positive example at once.
 *   <li>Dismiss and unsubscribe within the window: a negative example at once.
 *   <li>Impression within the window: held until the window closes in stream time; with no response
 *       (click, convert, dismiss, unsubscribe) for the same recommendation and item by then, a
 *       negative example. An impression that was answered gives one example, the answer's.
 *   <li>Feedback after the window, or for a recommendation this instance never saw: counted and
 *       dead-lettered, not dropped silently.
 *   <li>The same event id twice: dropped once, counted.
 *   <li>Organic feedback (no recommendation id): click and convert are positive, dismiss and
 *       unsubscribe negative next-event examples on the user's latest known journey.
 * </ul>
 *
 * <p>Impression windows close in stream time, which each task advances with its own records: on a
 * live topic that is continuous, but a partition that falls idle closes its windows only when its
 * next record arrives. Wall-clock closing would be wrong on replay (it would close impressions
 * whose clicks are still unread further down the log).
 *
 * <p>Every window store expires by itself after twice the attribution window, so state stays
 * bounded without scans. Example ids derive from the feedback event id, so a replay after a crash
 * produces the same ids (and exactly-once processing produces each once).
 */
final class FeedbackAttributor
        implements Processor<String, FeedbackEvent, String, AttributionOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackAttributor.class);
    private static final String STAGE = "feedback-updater/attribution";
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final Duration CLOSE_INTERVAL = Duration.ofSeconds(1);
    private static final String CLOSED_UP_TO = "closed-up-to";

    private final long windowMs;
    private final long retentionMs;
    private final PseudonymousIds ids;
    private final UpdaterMetrics metrics;

    private ProcessorContext<String, AttributionOutput> context;
    private WindowStore<String, RecommendationContext> contexts;
    private KeyValueStore<String, RecommendationContext> latestContext;
    private WindowStore<String, Long> seen;
    private WindowStore<String, PendingImpression> impressions;
    private WindowStore<String, String> responses;
    private KeyValueStore<String, Long> progress;

    FeedbackAttributor(Duration attributionWindow, PseudonymousIds ids, UpdaterMetrics metrics) {
        this.windowMs = attributionWindow.toMillis();
        this.retentionMs = 2 * windowMs;
        this.ids = ids;
        this.metrics = metrics;
    }

    static Duration storeRetention(Duration attributionWindow) {
        return attributionWindow.multipliedBy(2);
    }

    @Override
    public void init(ProcessorContext<String, AttributionOutput> context) {
        this.context = context;
        this.contexts = context.getStateStore(StoreNames.CONTEXTS);
        this.latestContext = context.getStateStore(StoreNames.LATEST_CONTEXT);
        this.seen = context.getStateStore(StoreNames.SEEN_FEEDBACK);
        this.impressions = context.getStateStore(StoreNames.IMPRESSIONS);
        this.responses = context.getStateStore(StoreNames.RESPONSES);
        this.progress = context.getStateStore(StoreNames.PROGRESS);
        context.schedule(CLOSE_INTERVAL, PunctuationType.STREAM_TIME, this::closeImpressions);
    }

    @Override
    public void process(Record<String, FeedbackEvent> record) {
        FeedbackEvent feedback = record.value();
        if (feedback == null) {
            return;
        }
        if (!ids.isPseudonymous(feedback.getUserId())) {
            refuse(
                    record,
                    DeadLetters.RAW_PERSONAL_ID,
                    "userId: expected a pseudonymous id matching "
                            + ids.pattern()
                            + ", found a value that does not match (withheld)");
            return;
        }
        if (feedback.getAction() == FeedbackAction.UNKNOWN) {
            refuse(
                    record,
                    DeadLetters.UNKNOWN_SYMBOL,
                    "action: expected impression, click, convert, dismiss or unsubscribe, found"
                            + " a symbol this reader does not know");
            return;
        }
        long time = feedback.getEventTime().toEpochMilli();
        if (isDuplicate(feedback.getEventId(), time)) {
            metrics.increment("nextlog_feedback_duplicates_total", "");
            return;
        }
        if (feedback.getRecommendationId() == null) {
            organic(record, feedback);
        } else {
            attributed(record, feedback, time);
        }
    }

    private boolean isDuplicate(String eventId, long time) {
        try (WindowStoreIterator<Long> earlier =
                seen.fetch(eventId, time - retentionMs, time + retentionMs)) {
            if (earlier.hasNext()) {
                return true;
            }
        }
        seen.put(eventId, time, time);
        return false;
    }

    private void organic(Record<String, FeedbackEvent> record, FeedbackEvent feedback) {
        Optional<ExampleLabel> label = labelOf(feedback.getAction());
        if (label.isEmpty()) {
            metrics.increment("nextlog_feedback_ignored_total", "reason=\"organic-impression\"");
            return;
        }
        RecommendationContext journey = latestContext.get(feedback.getUserId());
        TrainingExample example =
                example(feedback.getEventId(), feedback, label.get(), journey, null);
        emit(record, new AttributionOutput.Example(example));
    }

    private void attributed(
            Record<String, FeedbackEvent> record, FeedbackEvent feedback, long time) {
        String recommendationId = feedback.getRecommendationId();
        RecommendationContext scored = findContext(recommendationId, time);
        if (scored == null) {
            metrics.increment("nextlog_feedback_unattributed_total", "");
            refuse(
                    record,
                    "unattributed-feedback",
                    "recommendationId: expected a recommendation scored within the last "
                            + Duration.ofMillis(retentionMs)
                            + ", found none with id "
                            + recommendationId);
            return;
        }
        long ageMs = time - scored.getGeneratedAt().toEpochMilli();
        if (ageMs > windowMs) {
            metrics.increment("nextlog_feedback_late_total", "");
            refuse(
                    record,
                    DeadLetters.LATE_FEEDBACK,
                    "eventTime: expected within "
                            + Duration.ofMillis(windowMs)
                            + " of the recommendation, found "
                            + Duration.ofMillis(ageMs)
                            + " after it");
            return;
        }
        String action = feedback.getAction().name().toLowerCase();
        metrics.increment("nextlog_feedback_joined_total", "action=\"" + action + "\"");
        // Metrics are windowed by when the recommendation was made, so a recommendation's clicks
        // count in the window of its impression, however long after it they come.
        context.forward(
                record.withValue(new AttributionOutput.MetricEvent(metricKey(scored), action))
                        .withTimestamp(scored.getGeneratedAt().toEpochMilli()));

        String responseKey = responseKey(recommendationId, feedback.getItem());
        switch (feedback.getAction()) {
            case CLICK, CONVERT -> {
                responses.put(responseKey, action, time);
                emitExample(record, feedback, ExampleLabel.POSITIVE, scored);
            }
            case DISMISS, UNSUBSCRIBE -> {
                // The explicit answer labels the impression; it must not close as a second
                // negative.
                responses.put(responseKey, action, time);
                emitExample(record, feedback, ExampleLabel.NEGATIVE, scored);
            }
            case IMPRESSION ->
                    impressions.put(
                            responseKey,
                            PendingImpression.newBuilder()
                                    .setEventId(feedback.getEventId())
                                    .setUserId(feedback.getUserId())
                                    .setRecommendationId(recommendationId)
                                    .setChannel(feedback.getChannel())
                                    .setItem(feedback.getItem())
                                    .setImpressionTimeMs(time)
                                    .build(),
                            time);
            default -> throw new IllegalStateException("unhandled action " + feedback.getAction());
        }
    }

    private void emitExample(
            Record<String, FeedbackEvent> record,
            FeedbackEvent feedback,
            ExampleLabel label,
            RecommendationContext scored) {
        TrainingExample example = example(feedback.getEventId(), feedback, label, scored, scored);
        emit(record, new AttributionOutput.Example(example));
    }

    @Nullable
    private RecommendationContext findContext(String recommendationId, long time) {
        RecommendationContext latest = null;
        try (WindowStoreIterator<RecommendationContext> found =
                contexts.fetch(
                        recommendationId, time - retentionMs, time + CLOCK_SKEW.toMillis())) {
            while (found.hasNext()) {
                latest = found.next().value;
            }
        }
        return latest;
    }

    /**
     * Turns impressions whose window closed in stream time and that got no response into negative
     * examples. Progress is kept in a store, so a restart closes each window once.
     */
    private void closeImpressions(long streamTimeMs) {
        long closeUpTo = streamTimeMs - windowMs;
        Long closed = progress.get(CLOSED_UP_TO);
        long from = closed == null ? closeUpTo - retentionMs : closed + 1;
        if (from > closeUpTo) {
            return;
        }
        try (KeyValueIterator<Windowed<String>, PendingImpression> due =
                impressions.fetchAll(from, closeUpTo)) {
            while (due.hasNext()) {
                KeyValue<Windowed<String>, PendingImpression> entry = due.next();
                closeImpression(entry.key.key(), entry.value);
            }
        }
        progress.put(CLOSED_UP_TO, closeUpTo);
    }

    private void closeImpression(String responseKey, PendingImpression impression) {
        long time = impression.getImpressionTimeMs();
        try (WindowStoreIterator<String> answered =
                responses.fetch(responseKey, time - windowMs, time + windowMs)) {
            if (answered.hasNext()) {
                return;
            }
        }
        RecommendationContext scored = findContext(impression.getRecommendationId(), time);
        FeedbackEvent asFeedback =
                FeedbackEvent.newBuilder()
                        .setEventId(impression.getEventId())
                        .setUserId(impression.getUserId())
                        .setChannel(impression.getChannel())
                        .setItem(impression.getItem())
                        .setAction(FeedbackAction.IMPRESSION)
                        .setEventTime(Instant.ofEpochMilli(time))
                        .setRecommendationId(impression.getRecommendationId())
                        .build();
        TrainingExample example =
                example(impression.getEventId(), asFeedback, ExampleLabel.NEGATIVE, scored, scored);
        metrics.increment("nextlog_feedback_unclicked_impressions_total", "");
        context.forward(
                new Record<String, AttributionOutput>(
                        impression.getUserId(), new AttributionOutput.Example(example), time));
    }

    private TrainingExample example(
            String eventId,
            FeedbackEvent feedback,
            ExampleLabel label,
            @Nullable RecommendationContext journey,
            @Nullable RecommendationContext recommendation) {
        metrics.increment(
                "nextlog_feedback_training_examples_total",
                "label=\"" + label.name().toLowerCase() + "\"");
        return TrainingExample.newBuilder()
                .setExampleId("ex-" + eventId)
                .setUserId(feedback.getUserId())
                .setJourney(journey == null ? List.of() : journey.getJourney())
                .setTargetItem(feedback.getItem())
                .setLabel(label)
                .setAction(feedback.getAction())
                .setChannel(recommendation == null ? null : feedback.getChannel())
                .setRecommendationId(feedback.getRecommendationId())
                .setModelVersion(recommendation == null ? null : recommendation.getModelVersion())
                .setExperimentArm(recommendation == null ? null : recommendation.getExperimentArm())
                .setFeedbackTime(feedback.getEventTime())
                .build();
    }

    private void refuse(Record<String, FeedbackEvent> record, String errorType, String message) {
        Optional<RecordMetadata> source = context.recordMetadata();
        String topic = source.map(RecordMetadata::topic).orElse("feedback-events");
        int partition = source.map(RecordMetadata::partition).orElse(-1);
        long offset = source.map(RecordMetadata::offset).orElse(-1L);
        LOG.warn(
                "dead-lettering feedback at topic {} partition {} offset {}: {}: {}",
                topic,
                partition,
                offset,
                errorType,
                message);
        metrics.increment(
                "nextlog_feedback_dead_letters_total",
                "topic=\"" + UpdaterMetrics.label(topic) + "\",type=\"" + errorType + "\"");
        // Coordinates, not bytes: the record stays readable at them for the topic's retention.
        emit(
                record,
                new AttributionOutput.Letter(
                        DeadLetters.of(
                                topic, partition, offset, STAGE, errorType, message, null, null)));
    }

    private void emit(Record<String, FeedbackEvent> record, AttributionOutput output) {
        context.forward(record.withValue(output));
    }

    private static Optional<ExampleLabel> labelOf(FeedbackAction action) {
        return switch (action) {
            case CLICK, CONVERT -> Optional.of(ExampleLabel.POSITIVE);
            case DISMISS, UNSUBSCRIBE -> Optional.of(ExampleLabel.NEGATIVE);
            default -> Optional.empty();
        };
    }

    static String responseKey(String recommendationId, String item) {
        return recommendationId + "|" + item;
    }

    static String metricKey(RecommendationContext scored) {
        return scored.getChannel()
                + "|"
                + scored.getModelVersion()
                + "|"
                + scored.getExperimentArm();
    }
}
