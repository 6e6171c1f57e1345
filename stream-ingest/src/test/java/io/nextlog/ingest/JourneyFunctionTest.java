package io.nextlog.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.JourneyStep;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The journey operator on RocksDB, through Flink's operator test harness. */
class JourneyFunctionTest {

    private static final String ALICE = "u_" + "a".repeat(32);
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, JobInput, ScoringTask> harness;

    private void start(String... config) throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new JourneyFunction(TestConfigs.with(config))),
                        JobInput::userId,
                        Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldKeepTheNewestEventsInTimeOrderWithLateEventsPlaced() throws Exception {
        start("journey.length=4", "debounce=PT0S");
        for (int i = 1; i <= 6; i++) {
            behave("e" + i, "app:" + i, i * 60);
        }
        behave("late", "app:late", 3 * 60 + 30);

        assertEquals(List.of("app:late", "app:4", "app:5", "app:6"), items(lastTask()));
        assertEquals(T0.plusSeconds(360).toEpochMilli(), lastTask().sourceEventTimeMs);
    }

    @Test
    void shouldTrimBackToTheJourneyLengthAfterTheSlack() throws Exception {
        start("journey.length=16", "debounce=PT0S");
        for (int i = 0; i < 100; i++) {
            behave("e" + i, "app:" + i, i);
        }
        ScoringTask last = lastTask();
        assertEquals(16, last.journey.length);
        assertEquals("app:84", last.journey[0].getItem());
        assertEquals("app:99", last.journey[15].getItem());
    }

    @Test
    void shouldDropARedeliveredEvent() throws Exception {
        start("debounce=PT0S");
        behave("e1", "app:1", 0);
        behave("e1", "app:1", 0);

        assertEquals(1, tasks().size());
        assertEquals(1, lastTask().journey.length);
    }

    @Test
    void shouldScoreAtMostOncePerDebounceInterval() throws Exception {
        start("debounce=PT1S");
        harness.setProcessingTime(0);
        behave("e1", "app:1", 0);
        assertEquals(1, tasks().size(), "the first change scores at once");

        harness.setProcessingTime(100);
        behave("e2", "app:2", 1);
        harness.setProcessingTime(200);
        behave("e3", "app:3", 2);
        assertEquals(1, tasks().size(), "later changes wait for the interval");

        harness.setProcessingTime(1000);
        assertEquals(2, tasks().size());
        assertEquals(List.of("app:1", "app:2", "app:3"), items(lastTask()));
        assertEquals(1000, lastTask().emittedAtMs);
    }

    @Test
    void shouldScoreAtOnceOnAClickAndKeepItInTheJourney() throws Exception {
        start("debounce=PT1M");
        harness.setProcessingTime(0);
        behave("e1", "app:1", 0);
        harness.setProcessingTime(10);
        behave("e2", "app:2", 1);
        assertEquals(1, tasks().size());

        harness.setProcessingTime(20);
        feedback("f1", "td:chicken", FeedbackAction.CLICK, 2);
        assertEquals(2, tasks().size());
        JourneyStep click = lastTask().journey[2];
        assertEquals("td:chicken", click.getItem());
        assertEquals(Domain.CAMPAIGN_RESPONSE, click.getDomain());

        harness.setProcessingTime(60_000);
        assertEquals(2, tasks().size(), "the pending timer was cancelled by the click");
    }

    @Test
    void shouldNotRescoreOnAnImpression() throws Exception {
        start("debounce=PT0S");
        behave("e1", "app:1", 0);
        feedback("f1", "td:chicken", FeedbackAction.IMPRESSION, 1);
        assertEquals(1, tasks().size());
    }

    @Test
    void shouldForgetAJourneyWhenItsTtlExpires() throws Exception {
        start("debounce=PT0S", "journey.ttl=PT1H");
        harness.setStateTtlProcessingTime(0);
        behave("e1", "app:1", 0);
        behave("e2", "app:2", 1);
        assertEquals(2, lastTask().journey.length);

        harness.setStateTtlProcessingTime(2 * 3_600_000L);
        behave("e3", "app:3", 7200);
        assertEquals(List.of("app:3"), items(lastTask()));
    }

    @Test
    void shouldAssignTheArmTheScorerWould() throws Exception {
        start("debounce=PT0S", "scorer.arms.shares=live=0.5,holdout=0.5");
        behave("e1", "app:1", 0);
        String expected =
                io.nextlog.scorer.arm.ArmAssigner.of("nextlog-arms-1", "live=0.5,holdout=0.5")
                        .armOf(ALICE);
        assertEquals(expected, lastTask().arm);
    }

    private void behave(String id, String item, long offsetSeconds) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        JobInput.of(
                                BehaviorEvent.newBuilder()
                                        .setEventId(id)
                                        .setUserId(ALICE)
                                        .setEventTime(T0.plusSeconds(offsetSeconds))
                                        .setDomain(Domain.APP_USE)
                                        .setItem(item)
                                        .build())));
    }

    private void feedback(String id, String item, FeedbackAction action, long offsetSeconds)
            throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        JobInput.of(
                                FeedbackEvent.newBuilder()
                                        .setEventId(id)
                                        .setUserId(ALICE)
                                        .setChannel("t-deal")
                                        .setItem(item)
                                        .setAction(action)
                                        .setEventTime(T0.plusSeconds(offsetSeconds))
                                        .build())));
    }

    private List<ScoringTask> tasks() {
        return harness.extractOutputValues();
    }

    private ScoringTask lastTask() {
        List<ScoringTask> tasks = tasks();
        return tasks.get(tasks.size() - 1);
    }

    private static List<String> items(ScoringTask task) {
        return Arrays.stream(task.journey).map(JourneyStep::getItem).toList();
    }
}
