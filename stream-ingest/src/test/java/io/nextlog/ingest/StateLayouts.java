package io.nextlog.ingest;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * Writes the state of the job's keyed operators as kept in {@code src/test/resources/state}, for
 * {@link StateLayoutCompatibilityTest}. Snapshots are taken on the heap backend, whose keyed state
 * format is the canonical one savepoints use, and restored there into RocksDB.
 *
 * <p>Run once per released state layout, with the directory to write (never rewrite a released
 * one):
 *
 * <pre>
 * java -cp ... io.nextlog.ingest.StateLayouts stream-ingest/src/test/resources/state/layout-1
 * </pre>
 */
public final class StateLayouts {

    static final String ALICE = "u_" + "a".repeat(32);
    static final Instant T0 = Instant.parse("2026-12-01T01:00:00Z");
    static final String JOURNEY = "journey.snapshot";
    static final String POLICY = "contact-policy.snapshot";

    private StateLayouts() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        try (var journeys = journeyHarness(new EmbeddedRocksDBStateBackend(false))) {
            journeys.open();
            for (int i = 0; i < 5; i++) {
                journeys.processElement(new StreamRecord<>(JobInput.of(event(i))));
            }
            OperatorSnapshotUtil.writeStateHandle(
                    journeys.snapshot(1L, 1L), dir.resolve(JOURNEY).toString());
        }
        try (var policy = policyHarness(new EmbeddedRocksDBStateBackend(false))) {
            policy.open();
            policy.setProcessingTime(T0.toEpochMilli());
            policy.processElement1(new StreamRecord<>(scored("rec-1", "td:a", "td:b")));
            policy.processElement2(new StreamRecord<>(dismissal("td:b")));
            OperatorSnapshotUtil.writeStateHandle(
                    policy.snapshot(1L, 1L), dir.resolve(POLICY).toString());
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, JobInput, ScoringTask> journeyHarness(
            org.apache.flink.runtime.state.StateBackend backend) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new JourneyFunction(TestConfigs.with("debounce=PT0S"))),
                        JobInput::userId,
                        Types.STRING);
        harness.setStateBackend(backend);
        return harness;
    }

    static KeyedTwoInputStreamOperatorTestHarness<
                    String, ScoredJourney, FeedbackEvent, PolicyOutput>
            policyHarness(org.apache.flink.runtime.state.StateBackend backend) throws Exception {
        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new ContactPolicyFunction(
                                        TestConfigs.with("policy.quiet-hours=00:00-00:00")
                                                .policy())),
                        (ScoredJourney journey) -> journey.userId,
                        FeedbackEvent::getUserId,
                        Types.STRING);
        harness.setStateBackend(backend);
        return harness;
    }

    static BehaviorEvent event(int i) {
        return BehaviorEvent.newBuilder()
                .setEventId("e" + i)
                .setUserId(ALICE)
                .setEventTime(T0.plusSeconds(60L * i))
                .setDomain(Domain.APP_USE)
                .setItem("app:" + i)
                .build();
    }

    static ScoredJourney scored(String id, String... items) {
        Recommendation recommendation =
                Recommendation.newBuilder()
                        .setRecommendationId(id)
                        .setUserId(ALICE)
                        .setChannel("t-deal")
                        .setItems(
                                java.util.Arrays.stream(items)
                                        .map(
                                                item ->
                                                        RankedItem.newBuilder()
                                                                .setItemId(item)
                                                                .setScore(1f)
                                                                .setReasonText("after app use")
                                                                .build())
                                        .toList())
                        .setModelVersion("v1")
                        .setExperimentArm("live")
                        .setGeneratedAt(T0)
                        .setSourceEventTime(T0)
                        .build();
        JourneyStep step =
                JourneyStep.newBuilder()
                        .setItem("app:1")
                        .setDomain(Domain.APP_USE)
                        .setEventTime(T0)
                        .build();
        return new ScoredJourney(
                ALICE,
                new JourneyStep[] {step},
                new Recommendation[] {recommendation},
                T0.toEpochMilli());
    }

    static FeedbackEvent dismissal(String item) {
        return FeedbackEvent.newBuilder()
                .setEventId("dismiss-" + item)
                .setUserId(ALICE)
                .setChannel("t-deal")
                .setItem(item)
                .setAction(FeedbackAction.DISMISS)
                .setEventTime(T0)
                .build();
    }

    static List<String> items(Recommendation recommendation) {
        return recommendation.getItems().stream().map(RankedItem::getItemId).toList();
    }
}
