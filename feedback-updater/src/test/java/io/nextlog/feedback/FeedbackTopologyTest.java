package io.nextlog.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.feedback.store.ContactHistoryEntry;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.Contact;
import io.nextlog.schemas.event.ContactKind;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.ExampleLabel;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.event.RecommendationContext;
import io.nextlog.schemas.event.TrainingExample;
import io.nextlog.schemas.identity.PseudonymousIds;
import io.nextlog.schemas.topic.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackTopologyTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final String ALICE = "u_" + "a".repeat(32);
    private static final String BOB = "u_" + "b".repeat(32);

    @TempDir Path stateDir;

    private final PlainAvroSerdes serdes = new PlainAvroSerdes();
    private final UpdaterMetrics metrics = new UpdaterMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, RecommendationContext> contexts;
    private TestInputTopic<String, FeedbackEvent> feedback;
    private TestInputTopic<String, Contact> contacts;
    private TestOutputTopic<String, TrainingExample> examples;
    private TestOutputTopic<String, RecoMetrics> recoMetrics;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        FeedbackUpdaterConfig config =
                new FeedbackUpdaterConfig(
                        "unused:9092",
                        "http://unused",
                        "feedback-test",
                        stateDir,
                        WINDOW,
                        Duration.ofMinutes(1),
                        Duration.ZERO,
                        0,
                        "127.0.0.1",
                        0,
                        false,
                        Duration.ofMillis(100),
                        java.util.Map.of());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "feedback-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver =
                new TopologyTestDriver(
                        FeedbackTopology.build(
                                config,
                                Channels.defaults(),
                                serdes,
                                PseudonymousIds.defaults(),
                                metrics),
                        props);
        contexts =
                driver.createInputTopic(
                        TopicCatalog.RECOMMENDATION_CONTEXT,
                        Serdes.String().serializer(),
                        serdes.serde(RecommendationContext.class).serializer());
        feedback =
                driver.createInputTopic(
                        TopicCatalog.FEEDBACK_EVENTS,
                        Serdes.String().serializer(),
                        serdes.serde(FeedbackEvent.class).serializer());
        contacts =
                driver.createInputTopic(
                        TopicCatalog.CONTACTS,
                        Serdes.String().serializer(),
                        serdes.serde(Contact.class).serializer());
        examples =
                driver.createOutputTopic(
                        TopicCatalog.TRAINING_EXAMPLES,
                        Serdes.String().deserializer(),
                        serdes.serde(TrainingExample.class).deserializer());
        recoMetrics =
                driver.createOutputTopic(
                        TopicCatalog.RECO_METRICS,
                        Serdes.String().deserializer(),
                        serdes.serde(RecoMetrics.class).deserializer());
        deadLetters =
                driver.createOutputTopic(
                        TopicCatalog.DEAD_LETTERS,
                        Serdes.String().deserializer(),
                        serdes.serde(DeadLetter.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldEmitAPositiveExampleAtOnceForAClickInTheWindow() {
        recommend("rec-1", ALICE, "live", T0);
        respond("fb-1", ALICE, "rec-1", "deal-7", FeedbackAction.CLICK, T0.plusSeconds(30));

        TrainingExample example = examples.readValue();
        assertEquals(ExampleLabel.POSITIVE, example.getLabel());
        assertEquals("deal-7", example.getTargetItem());
        assertEquals("ex-fb-1", example.getExampleId());
        assertEquals("v1", example.getModelVersion());
        assertEquals("live", example.getExperimentArm());
        assertEquals(List.of(step("app-1"), step("app-2")), example.getJourney());
        assertTrue(examples.isEmpty());
    }

    @Test
    void shouldCountAndDeadLetterFeedbackAfterTheWindow() {
        recommend("rec-1", ALICE, "live", T0);
        respond(
                "fb-late",
                ALICE,
                "rec-1",
                "deal-7",
                FeedbackAction.CLICK,
                T0.plus(WINDOW).plusSeconds(1));

        assertTrue(examples.isEmpty());
        DeadLetter letter = deadLetters.readValue();
        assertEquals("late-feedback", letter.getErrorType());
        assertEquals(TopicCatalog.FEEDBACK_EVENTS, letter.getSourceTopic());
        assertTrue(letter.getSourceOffset() >= 0);
        assertEquals(1, metrics.count("nextlog_feedback_late_total", ""));
    }

    @Test
    void shouldDropADuplicateEventOnce() {
        recommend("rec-1", ALICE, "live", T0);
        respond("fb-1", ALICE, "rec-1", "deal-7", FeedbackAction.CONVERT, T0.plusSeconds(5));
        respond("fb-1", ALICE, "rec-1", "deal-7", FeedbackAction.CONVERT, T0.plusSeconds(5));

        assertEquals(1, examples.readValuesToList().size());
        assertEquals(1, metrics.count("nextlog_feedback_duplicates_total", ""));
    }

    @Test
    void shouldTurnOrganicActionsIntoExamplesOnTheLatestJourney() {
        recommend("rec-1", ALICE, "live", T0);
        examplesOf(
                FeedbackEvent.newBuilder()
                        .setEventId("fb-organic")
                        .setUserId(ALICE)
                        .setChannel("t-deal")
                        .setItem("deal-9")
                        .setAction(FeedbackAction.CLICK)
                        .setEventTime(T0.plusSeconds(60))
                        .setRecommendationId(null)
                        .build());

        TrainingExample example = examples.readValue();
        assertEquals(ExampleLabel.POSITIVE, example.getLabel());
        assertNull(example.getRecommendationId());
        assertNull(example.getChannel());
        assertEquals(2, example.getJourney().size());
    }

    @Test
    void shouldTurnUnsubscribeIntoANegativeAtOnce() {
        recommend("rec-1", ALICE, "live", T0);
        respond("fb-2", ALICE, "rec-1", "deal-7", FeedbackAction.UNSUBSCRIBE, T0.plusSeconds(5));

        TrainingExample example = examples.readValue();
        assertEquals(ExampleLabel.NEGATIVE, example.getLabel());
        assertEquals(FeedbackAction.UNSUBSCRIBE, example.getAction());
    }

    @Test
    void shouldEmitNegativesForUnclickedImpressionsWhenTheWindowCloses() {
        recommend("rec-1", ALICE, "live", T0);
        respond("imp-1", ALICE, "rec-1", "deal-7", FeedbackAction.IMPRESSION, T0.plusSeconds(1));
        respond("imp-2", ALICE, "rec-1", "deal-8", FeedbackAction.IMPRESSION, T0.plusSeconds(1));
        respond("clk-2", ALICE, "rec-1", "deal-8", FeedbackAction.CLICK, T0.plusSeconds(20));
        assertEquals(List.of("deal-8"), targets(examples.readValuesToList()));

        // stream time passes the window: another user's event moves it on
        recommend("rec-9", BOB, "live", T0.plus(WINDOW).plusSeconds(5));

        List<TrainingExample> closed = examples.readValuesToList();
        assertEquals(1, closed.size());
        assertEquals("deal-7", closed.get(0).getTargetItem());
        assertEquals(ExampleLabel.NEGATIVE, closed.get(0).getLabel());
        assertEquals("ex-imp-1", closed.get(0).getExampleId());
        assertEquals(2, closed.get(0).getJourney().size());
    }

    @Test
    void shouldGiveADismissedImpressionOneExampleOnly() {
        recommend("rec-1", ALICE, "live", T0);
        respond("imp-1", ALICE, "rec-1", "deal-7", FeedbackAction.IMPRESSION, T0.plusSeconds(1));
        respond("dis-1", ALICE, "rec-1", "deal-7", FeedbackAction.DISMISS, T0.plusSeconds(2));
        recommend("rec-9", BOB, "live", T0.plus(WINDOW).plusSeconds(5));

        List<TrainingExample> all = examples.readValuesToList();
        assertEquals(List.of("ex-dis-1"), all.stream().map(TrainingExample::getExampleId).toList());
    }

    @Test
    void shouldCloseWindowsOnEventTimeWhateverTheRecordTimestamps() {
        // Producers stamp records when they send them; the window is about when customers acted.
        Instant sentLater = T0.plus(WINDOW.multipliedBy(3));
        contexts.pipeInput(ALICE, context("rec-1", ALICE, T0), sentLater);
        feedback.pipeInput(
                ALICE,
                FeedbackEvent.newBuilder()
                        .setEventId("imp-1")
                        .setUserId(ALICE)
                        .setChannel("t-deal")
                        .setItem("deal-7")
                        .setAction(FeedbackAction.IMPRESSION)
                        .setEventTime(T0.plusSeconds(1))
                        .setRecommendationId("rec-1")
                        .build(),
                sentLater);
        assertEquals(List.of(), examples.readValuesToList());

        contexts.pipeInput(BOB, context("rec-9", BOB, T0.plus(WINDOW).plusSeconds(5)), sentLater);
        assertEquals(
                List.of("ex-imp-1"),
                examples.readValuesToList().stream().map(TrainingExample::getExampleId).toList());
    }

    @Test
    void shouldCountResponsesPerChannelVersionAndArm() {
        recommend("rec-live", ALICE, "live", T0);
        recommend("rec-hold", BOB, "holdout", T0);
        respond("i1", ALICE, "rec-live", "deal-1", FeedbackAction.IMPRESSION, T0.plusSeconds(1));
        respond("i2", ALICE, "rec-live", "deal-2", FeedbackAction.IMPRESSION, T0.plusSeconds(2));
        respond("c1", ALICE, "rec-live", "deal-1", FeedbackAction.CLICK, T0.plusSeconds(3));
        respond("i3", BOB, "rec-hold", "deal-1", FeedbackAction.IMPRESSION, T0.plusSeconds(4));

        List<RecoMetrics> rows = recoMetrics.readValuesToList();
        RecoMetrics live = last(rows, "live");
        RecoMetrics holdout = last(rows, "holdout");
        assertEquals(2, live.getImpressions());
        assertEquals(1, live.getClicks());
        assertEquals(0.5, live.getCtr(), 1e-9);
        assertEquals("t-deal", live.getChannel());
        assertEquals(1, holdout.getImpressions());
        assertEquals(0.0, holdout.getCtr(), 1e-9);
    }

    @Test
    void shouldCountALateClickInTheWindowOfItsRecommendation() {
        recommend("rec-live", ALICE, "live", T0);
        respond("i1", ALICE, "rec-live", "deal-1", FeedbackAction.IMPRESSION, T0.plusSeconds(5));
        // Ninety seconds on: the click time falls in the next one-minute window.
        respond("c1", ALICE, "rec-live", "deal-1", FeedbackAction.CLICK, T0.plusSeconds(90));

        List<RecoMetrics> rows = recoMetrics.readValuesToList();
        RecoMetrics live = last(rows, "live");
        assertEquals(T0, live.getWindowStart());
        assertEquals(1, live.getImpressions());
        assertEquals(1, live.getClicks());
        assertTrue(
                rows.stream().allMatch(r -> r.getWindowStart().equals(T0)),
                "every row in the recommendation's window, found " + rows);
    }

    @Test
    void shouldRefuseRawUserIdsWithARedactedDeadLetter() {
        examplesOf(
                FeedbackEvent.newBuilder()
                        .setEventId("fb-raw")
                        .setUserId("01012345678")
                        .setChannel("t-deal")
                        .setItem("deal-1")
                        .setAction(FeedbackAction.CLICK)
                        .setEventTime(T0)
                        .setRecommendationId(null)
                        .build());

        DeadLetter letter = deadLetters.readValue();
        assertEquals("raw-personal-id", letter.getErrorType());
        assertTrue(letter.getRedacted());
        assertNull(letter.getPayload());
        assertTrue(!letter.getErrorMessage().contains("01012345678"));
        assertTrue(examples.isEmpty());
    }

    @Test
    void shouldRecordTheStrongestResponseOnTheContactHistory() {
        recommend("rec-1", ALICE, "live", T0);
        contacts.pipeInput(
                ALICE,
                Contact.newBuilder()
                        .setContactId("ct-1")
                        .setUserId(ALICE)
                        .setChannel("mno")
                        .setKind(ContactKind.OUTBOUND_MESSAGE)
                        .setItem("plan-5g")
                        .setRecommendationId("rec-1")
                        .setModelVersion("v1")
                        .setExperimentArm("live")
                        .setContactedAt(T0)
                        .build(),
                T0);
        respond("c1", ALICE, "rec-1", "plan-5g", FeedbackAction.CLICK, T0.plusSeconds(10));
        respond("i1", ALICE, "rec-1", "plan-5g", FeedbackAction.IMPRESSION, T0.plusSeconds(11));

        KeyValueStore<String, ContactHistoryEntry> history =
                driver.getKeyValueStore(StoreNames.CONTACT_HISTORY);
        ContactHistoryEntry entry =
                history.get(ContactHistoryRecorder.historyKey(ALICE, T0.toEpochMilli(), "ct-1"));
        assertEquals("CLICK", entry.getResponse());
        assertEquals("mno", entry.getChannel());
    }

    private static RecoMetrics last(List<RecoMetrics> rows, String arm) {
        return rows.stream()
                .filter(r -> r.getExperimentArm().equals(arm))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no row for " + arm));
    }

    private static List<String> targets(List<TrainingExample> list) {
        return list.stream().map(TrainingExample::getTargetItem).toList();
    }

    private void recommend(String id, String user, String arm, Instant at) {
        RecommendationContext context = context(id, user, at);
        context.setExperimentArm(arm);
        contexts.pipeInput(user, context, at);
    }

    private static RecommendationContext context(String id, String user, Instant at) {
        return RecommendationContext.newBuilder()
                .setRecommendationId(id)
                .setUserId(user)
                .setChannel("t-deal")
                .setItems(List.of("deal-7", "deal-8"))
                .setJourney(List.of(step("app-1"), step("app-2")))
                .setModelVersion("v1")
                .setExperimentArm("live")
                .setGeneratedAt(at)
                .build();
    }

    private void respond(
            String id, String user, String rec, String item, FeedbackAction action, Instant at) {
        examplesOf(
                FeedbackEvent.newBuilder()
                        .setEventId(id)
                        .setUserId(user)
                        .setChannel("t-deal")
                        .setItem(item)
                        .setAction(action)
                        .setEventTime(at)
                        .setRecommendationId(rec)
                        .build());
    }

    private void examplesOf(FeedbackEvent event) {
        feedback.pipeInput(event.getUserId(), event, event.getEventTime());
    }

    private static JourneyStep step(String item) {
        return JourneyStep.newBuilder()
                .setItem(item)
                .setDomain(Domain.APP_USE)
                .setEventTime(T0.minusSeconds(600))
                .build();
    }
}
