package io.nextlog.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.ContactKind;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contact policy on RocksDB, through Flink's operator test harness. */
class ContactPolicyFunctionTest {

    private static final String ALICE = "u_" + "a".repeat(32);
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    /** 10:00 in Seoul: outside quiet hours. */
    private static final long MORNING =
            ZonedDateTime.of(2026, 12, 1, 10, 0, 0, 0, SEOUL).toInstant().toEpochMilli();

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, ScoredJourney, FeedbackEvent, PolicyOutput>
            harness;
    private int scored;

    private void start(String... config) throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new ContactPolicyFunction(TestConfigs.with(config).policy())),
                        journey -> journey.userId,
                        FeedbackEvent::getUserId,
                        Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
        at(MORNING);
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void shouldPlaceANewOfferAsAContactAndRefreshTheSlotWithoutOne() throws Exception {
        start();
        PolicyOutput first = only(score("t-deal", "td:a", "td:b"));
        assertEquals("td:a", first.contact.getItem());
        assertEquals(ContactKind.IN_APP_SLOT, first.contact.getKind());
        assertEquals(List.of("td:a", "td:b"), items(first.recommendation));
        assertEquals(
                first.recommendation.getRecommendationId(), first.context.getRecommendationId());
        assertEquals(2, first.context.getJourney().size());

        PolicyOutput refreshed = only(score("t-deal", "td:a", "td:c"));
        assertNull(refreshed.contact, "same top item: no new contact");
        assertEquals(List.of("td:a", "td:c"), items(refreshed.recommendation));
    }

    @Test
    void shouldHoldNewOffersPastTheChannelCapUntilTheNextDay() throws Exception {
        start("policy.daily-cap.per-channel=2", "policy.cooldown=PT0S");
        assertNotNull(only(score("t-deal", "td:a")).contact);
        assertNotNull(only(score("t-deal", "td:b")).contact);
        assertEquals(List.of(), score("t-deal", "td:c"), "third new offer of the day");

        at(MORNING + Duration.ofDays(1).toMillis());
        assertEquals("td:c", only(score("t-deal", "td:c")).contact.getItem());
    }

    @Test
    void shouldHoldNewOffersPastTheTotalCapAcrossChannels() throws Exception {
        start("policy.daily-cap.total=2");
        assertNotNull(only(score("t-deal", "td:a")).contact);
        assertNotNull(only(score("t-universe", "tu:a")).contact);
        assertEquals(List.of(), score("t-membership", "tm:a"));
    }

    @Test
    void shouldNotOfferAnItemAgainWithinTheCooldown() throws Exception {
        start("policy.cooldown=PT72H");
        only(score("t-deal", "td:a"));
        PolicyOutput second = only(score("t-deal", "td:b", "td:a"));
        assertEquals("td:b", second.contact.getItem());
        assertEquals(List.of("td:b"), items(second.recommendation), "td:a cools down");

        PolicyOutput third = only(score("t-deal", "td:a", "td:b"));
        assertNull(third.contact, "td:a still cooling down, td:b stays in the slot");
        assertEquals(List.of("td:b"), items(third.recommendation));

        at(MORNING + Duration.ofHours(73).toMillis());
        assertEquals("td:a", only(score("t-deal", "td:a", "td:b")).contact.getItem());
    }

    @Test
    void shouldKeepOutboundMessagesForAfterQuietHours() throws Exception {
        start("policy.quiet-hours=21:00-08:00");
        at(ZonedDateTime.of(2026, 12, 1, 22, 30, 0, 0, SEOUL).toInstant().toEpochMilli());
        assertEquals(List.of(), score("mno", "mno:roaming"));
        assertEquals(
                "td:a",
                only(score("t-deal", "td:a")).contact.getItem(),
                "in-app slots have no quiet hours");

        at(ZonedDateTime.of(2026, 12, 2, 8, 0, 0, 0, SEOUL).toInstant().toEpochMilli());
        PolicyOutput sent = only(score("mno", "mno:roaming"));
        assertEquals(ContactKind.OUTBOUND_MESSAGE, sent.contact.getKind());
        assertEquals(List.of(), score("mno", "mno:roaming"), "the same message is not sent twice");
    }

    @Test
    void shouldLeaveOutADismissedItemForTheSuppressionPeriod() throws Exception {
        start("policy.dismiss-suppression=P7D");
        feedback("td:a", FeedbackAction.DISMISS, "t-deal");
        assertEquals("td:b", only(score("t-deal", "td:a", "td:b")).contact.getItem());

        at(MORNING + Duration.ofDays(8).toMillis());
        assertTrue(items(only(score("t-deal", "td:a", "td:b")).recommendation).contains("td:a"));
    }

    @Test
    void shouldWithdrawTheChannelAfterAnUnsubscribe() throws Exception {
        start();
        only(score("mno", "mno:roaming"));
        feedback("mno:roaming", FeedbackAction.UNSUBSCRIBE, "mno");
        PolicyOutput withdrawn = only(harness.extractOutputValues().subList(1, 2));
        assertTrue(withdrawn.withdrawn);
        assertEquals("mno", withdrawn.channel);

        at(MORNING + Duration.ofDays(2).toMillis());
        int before = harness.extractOutputValues().size();
        score("mno", "mno:plan-5g");
        assertEquals(
                before, harness.extractOutputValues().size(), "nothing placed after unsubscribe");
    }

    @Test
    void shouldForgetCountsAndCooldownsWhenTheirTtlExpires() throws Exception {
        start("policy.daily-cap.per-channel=1", "policy.cooldown=P30D", "policy.ttl=PT1H");
        harness.setStateTtlProcessingTime(0);
        only(score("t-deal", "td:a"));
        assertEquals(List.of(), score("t-deal", "td:b"), "cap reached");

        harness.setStateTtlProcessingTime(Duration.ofHours(2).toMillis());
        assertEquals("td:b", only(score("t-deal", "td:b")).contact.getItem());
    }

    private void at(long processingTimeMs) throws Exception {
        harness.setProcessingTime(processingTimeMs);
    }

    /** Scores one channel and returns what the policy emitted for it. */
    private List<PolicyOutput> score(String channel, String... items) throws Exception {
        int before = harness.extractOutputValues().size();
        String id = "rec-" + (++scored);
        Recommendation recommendation =
                Recommendation.newBuilder()
                        .setRecommendationId(id)
                        .setUserId(ALICE)
                        .setChannel(channel)
                        .setItems(
                                Arrays.stream(items)
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
                        .setGeneratedAt(Instant.ofEpochMilli(MORNING))
                        .setSourceEventTime(Instant.ofEpochMilli(MORNING))
                        .build();
        JourneyStep step =
                JourneyStep.newBuilder()
                        .setItem("app:1")
                        .setDomain(Domain.APP_USE)
                        .setEventTime(Instant.ofEpochMilli(MORNING))
                        .build();
        harness.processElement1(
                new StreamRecord<>(
                        new ScoredJourney(
                                ALICE,
                                new JourneyStep[] {step, step},
                                new Recommendation[] {recommendation},
                                MORNING)));
        List<PolicyOutput> all = harness.extractOutputValues();
        return all.subList(before, all.size());
    }

    private void feedback(String item, FeedbackAction action, String channel) throws Exception {
        harness.processElement2(
                new StreamRecord<>(
                        FeedbackEvent.newBuilder()
                                .setEventId("fb-" + item + action)
                                .setUserId(ALICE)
                                .setChannel(channel)
                                .setItem(item)
                                .setAction(action)
                                .setEventTime(Instant.ofEpochMilli(MORNING))
                                .build()));
    }

    private static PolicyOutput only(List<PolicyOutput> outputs) {
        assertEquals(1, outputs.size(), outputs.toString());
        return outputs.get(0);
    }

    private static List<String> items(Recommendation recommendation) {
        return recommendation.getItems().stream().map(RankedItem::getItemId).toList();
    }
}
