package io.nextlog.ingest;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.scorer.arm.ArmAssigner;
import io.nextlog.scorer.config.ScorerConfig;
import io.nextlog.scorer.config.ScorerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each user's rolling journey and decides when it is scored.
 *
 * <p><b>State layout.</b> The journey is a {@link MapState} from an ordering key to a compact
 * {@link JourneyEntry}; the key is the event time in milliseconds shifted left by 20 bits, with the
 * low 20 bits taken from a hash of the event id. Each event costs one small write (plus one for the
 * entry count), whatever the journey length, instead of rewriting the whole journey. The key does
 * three jobs: RocksDB keeps map entries sorted by their serialized key, so a journey reads back in
 * time order and late events fall into place by themselves; a replayed event lands on the key it
 * had, so redelivery is deduplicated by one lookup; and trimming removes the smallest keys. Two
 * different events of one user in the same millisecond with the same 20-bit hash (about one in a
 * million such pairs) would be taken for a duplicate and the second dropped; it is counted with the
 * duplicates. The map may grow {@link #trimSlack} entries past the configured length before one
 * scan trims it back, so trimming is amortised rather than a scan per event.
 *
 * <p><b>Debounce.</b> A changed journey is scored at once if the user was not scored within the
 * debounce interval, otherwise at the end of that interval on a processing-time timer (one pending
 * timer per user at most, scoring the newest journey then). Clicks, conversions, dismissals and
 * unsubscribes score at once: they should change the next offer. Impressions do not change the
 * journey.
 *
 * <p>Every state has the configured TTL, refreshed on write, so users who go quiet leave no state.
 */
final class JourneyFunction extends KeyedProcessFunction<String, JobInput, ScoringTask> {

    private static final long serialVersionUID = 1L;
    private static final int HASH_BITS = 20;

    private final int journeyLength;
    private final int trimSlack;
    private final Duration ttl;
    private final long debounceMs;
    private final boolean scoring;
    private final Map<String, String> scorerOptions;

    private transient MapState<Long, JourneyEntry> journey;
    private transient ValueState<Integer> size;
    private transient ValueState<Long> lastScoredMs;
    private transient ValueState<Long> pendingTimerMs;
    private transient ArmAssigner arms;
    private transient Counter events;
    private transient Counter duplicates;
    private transient Counter tasks;

    JourneyFunction(IngestConfig config) {
        this.journeyLength = config.journeyLength();
        this.trimSlack = Math.max(8, config.journeyLength() / 8);
        this.ttl = config.journeyTtl();
        this.debounceMs = config.debounce().toMillis();
        this.scoring = config.scoringEnabled();
        this.scorerOptions = config.scorerOptions();
    }

    @Override
    public void open(OpenContext openContext) {
        States states = States.of(ttl);
        journey = getRuntimeContext().getMapState(states.journey());
        size = getRuntimeContext().getState(states.size());
        lastScoredMs = getRuntimeContext().getState(states.lastScoredMs());
        pendingTimerMs = getRuntimeContext().getState(states.pendingTimerMs());

        ScorerConfig scorer = ScorerConfig.of(scorerOptions);
        arms = ArmAssigner.of(scorer.get(ScorerOptions.ARM_SALT), scorer.get(ScorerOptions.ARMS));
        events = getRuntimeContext().getMetricGroup().counter("journeyEvents");
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
        tasks = getRuntimeContext().getMetricGroup().counter("scoringTasks");
    }

    @Override
    public void processElement(JobInput input, Context ctx, Collector<ScoringTask> out)
            throws Exception {
        if (input.behavior != null) {
            BehaviorEvent event = input.behavior;
            if (append(
                    event.getEventId(),
                    event.getItem(),
                    event.getDomain(),
                    event.getEventTime().toEpochMilli())) {
                debounced(ctx, out);
            }
        } else if (input.feedback != null) {
            FeedbackEvent feedback = input.feedback;
            FeedbackAction action = feedback.getAction();
            if (action == FeedbackAction.CLICK || action == FeedbackAction.CONVERT) {
                append(
                        feedback.getEventId(),
                        feedback.getItem(),
                        Domain.CAMPAIGN_RESPONSE,
                        feedback.getEventTime().toEpochMilli());
            }
            if (scoring && action != FeedbackAction.IMPRESSION && size.value() != null) {
                scoreNow(ctx, out);
            }
        }
    }

    /** Adds an event; returns false for a duplicate. */
    private boolean append(String eventId, String item, Domain domain, long timeMs)
            throws Exception {
        long key = orderingKey(timeMs, eventId);
        if (journey.contains(key)) {
            duplicates.inc();
            return false;
        }
        journey.put(key, new JourneyEntry(item, domain, timeMs));
        events.inc();
        Integer stored = size.value(); // one read: each is a RocksDB get and a TTL check
        int count = (stored == null ? 0 : stored) + 1;
        if (count > journeyLength + trimSlack) {
            count = trim(count);
        }
        size.update(count);
        return true;
    }

    /** Removes the oldest entries down to the configured length; returns the new size. */
    private int trim(int count) throws Exception {
        List<Long> keys = new ArrayList<>(count);
        for (Long key : journey.keys()) {
            keys.add(key);
        }
        keys.sort(null);
        int excess = keys.size() - journeyLength;
        for (int i = 0; i < excess; i++) {
            journey.remove(keys.get(i));
        }
        return keys.size() - Math.max(excess, 0);
    }

    static long orderingKey(long timeMs, String eventId) {
        long hash = eventId.hashCode() * 0x9E3779B97F4A7C15L;
        return (timeMs << HASH_BITS) | (hash >>> (64 - HASH_BITS));
    }

    private void debounced(Context ctx, Collector<ScoringTask> out) throws Exception {
        if (!scoring) {
            return; // journeys only: nothing reads a snapshot
        }
        long now = ctx.timerService().currentProcessingTime();
        if (debounceMs == 0) {
            emit(ctx, out, now);
            return;
        }
        if (pendingTimerMs.value() != null) {
            return; // the pending timer will score the newest journey
        }
        Long last = lastScoredMs.value();
        if (last == null || now - last >= debounceMs) {
            emit(ctx, out, now);
            return;
        }
        long at = last + debounceMs;
        ctx.timerService().registerProcessingTimeTimer(at);
        pendingTimerMs.update(at);
    }

    private void scoreNow(Context ctx, Collector<ScoringTask> out) throws Exception {
        Long pending = pendingTimerMs.value();
        if (pending != null) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
            pendingTimerMs.clear();
        }
        emit(ctx, out, ctx.timerService().currentProcessingTime());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoringTask> out)
            throws Exception {
        Long pending = pendingTimerMs.value();
        if (pending == null || pending != timestamp) {
            return;
        }
        pendingTimerMs.clear();
        if (size.value() != null) {
            emit(ctx, out, timestamp);
        }
    }

    private void emit(Context ctx, Collector<ScoringTask> out, long now) throws Exception {
        List<JourneyStep> steps = snapshot();
        if (steps.isEmpty()) {
            return;
        }
        lastScoredMs.update(now);
        String user = ctx.getCurrentKey();
        long newest = steps.get(steps.size() - 1).getEventTime().toEpochMilli();
        tasks.inc();
        out.collect(
                new ScoringTask(
                        user, arms.armOf(user), steps.toArray(new JourneyStep[0]), newest, now));
    }

    /** Reads the journey oldest first, at most the configured length. */
    private List<JourneyStep> snapshot() throws Exception {
        List<Map.Entry<Long, JourneyEntry>> entries = new ArrayList<>();
        for (Map.Entry<Long, JourneyEntry> entry : journey.entries()) {
            entries.add(Map.entry(entry.getKey(), entry.getValue()));
        }
        // RocksDB returns them sorted already; the heap backend does not.
        entries.sort(Map.Entry.comparingByKey());
        int from = Math.max(0, entries.size() - journeyLength);
        List<JourneyStep> steps = new ArrayList<>(entries.size() - from);
        for (int i = from; i < entries.size(); i++) {
            steps.add(entries.get(i).getValue().toStep());
        }
        return steps;
    }

    /**
     * The descriptors of the operator's keyed state, its layout in savepoints: names, serializers
     * and TTL. Whatever writes or reads this state outside the job (a State Processor API
     * bootstrap, a savepoint reader) takes them from here, so it cannot drift from the job.
     *
     * @param journey ordering key ({@link #orderingKey}) to entry
     * @param size entries in {@code journey}, up to the configured length plus the trim slack
     * @param lastScoredMs processing time of the last scoring, epoch millis
     * @param pendingTimerMs the pending debounce timer, epoch millis
     */
    record States(
            MapStateDescriptor<Long, JourneyEntry> journey,
            ValueStateDescriptor<Integer> size,
            ValueStateDescriptor<Long> lastScoredMs,
            ValueStateDescriptor<Long> pendingTimerMs) {

        /** The descriptors with {@code ttl}, refreshed on every write ({@code journey.ttl}). */
        static States of(Duration ttl) {
            StateTtlConfig ttlConfig =
                    StateTtlConfig.newBuilder(ttl)
                            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                            .build();
            MapStateDescriptor<Long, JourneyEntry> journey =
                    new MapStateDescriptor<>(
                            "journey", Types.LONG, TypeInformation.of(JourneyEntry.class));
            journey.enableTimeToLive(ttlConfig);
            return new States(
                    journey,
                    value("journey-size", Types.INT, ttlConfig),
                    value("last-scored-ms", Types.LONG, ttlConfig),
                    value("pending-timer-ms", Types.LONG, ttlConfig));
        }

        private static <T> ValueStateDescriptor<T> value(
                String name, TypeInformation<T> type, StateTtlConfig ttlConfig) {
            ValueStateDescriptor<T> descriptor = new ValueStateDescriptor<>(name, type);
            descriptor.enableTimeToLive(ttlConfig);
            return descriptor;
        }
    }
}
