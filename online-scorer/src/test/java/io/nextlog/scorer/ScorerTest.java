package io.nextlog.scorer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.ReasonEvent;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.scorer.model.ModelSlot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch API on the real fixture in the real ONNX Runtime. */
class ScorerTest {

    @TempDir Path dir;

    private TestScorers.Parts parts;

    @AfterEach
    void close() {
        if (parts != null) {
            parts.slots().close();
        }
    }

    @Test
    void shouldScoreABatchOfMixedLengthsInOneForwardPassLikeOneByOne() throws Exception {
        parts = TestScorers.create(TestBundles.fixture());
        List<ScoringRequest> batch =
                List.of(
                        request("u1", TestScorers.journey(Domain.TV_VIEWING, "i1")),
                        request("u2", TestScorers.journey(Domain.APP_USE, "i2", "i3", "i4")),
                        request(
                                "u3",
                                TestScorers.journey(
                                        Domain.PURCHASE,
                                        "i0",
                                        "i1",
                                        "i2",
                                        "i3",
                                        "i4",
                                        "i5",
                                        "i0",
                                        "i1")));

        List<ScoringResult> together = parts.scorer().score(batch);
        List<ScoringResult> alone = new ArrayList<>();
        for (ScoringRequest request : batch) {
            alone.add(parts.scorer().score(List.of(request)).get(0));
        }

        assertEquals(3, together.size());
        assertEquals(4, parts.metrics().batchSize.count(), "one pass for the batch, 3 alone");
        for (int i = 0; i < batch.size(); i++) {
            assertEquals("fixture-format-1", together.get(i).modelVersion());
            assertArrayEquals(scores(alone.get(i)), scores(together.get(i)), 1e-4f);
        }
    }

    @Test
    void shouldRankOnlyItemsTheChannelMayShowNow() throws Exception {
        parts = TestScorers.create(TestBundles.fixture());
        parts.catalog()
                .apply(
                        "i1",
                        TestScorers.catalogItem(
                                "i1", List.of("mno"), TestScorers.NOW.minusSeconds(60), null));
        parts.catalog()
                .apply(
                        "i2",
                        TestScorers.catalogItem(
                                "i2",
                                List.of("t-deal"),
                                TestScorers.NOW.minusSeconds(7200),
                                TestScorers.NOW.minusSeconds(1)));
        parts.catalog().apply("i3", null);
        ScoringRequest request =
                new ScoringRequest(
                        "u1",
                        TestScorers.journey(Domain.TV_VIEWING, "i4", "i5"),
                        List.of("t-deal", "mno"),
                        10,
                        Set.of("i0"),
                        TestScorers.NOW);

        List<Recommendation> recommendations =
                parts.scorer().score(List.of(request)).get(0).recommendations();

        assertEquals("t-deal", recommendations.get(0).getChannel());
        assertEquals(List.of("i4", "i5"), sorted(items(recommendations.get(0))));
        assertEquals(List.of("i1", "i4", "i5"), sorted(items(recommendations.get(1))));
        List<RankedItem> ranked = recommendations.get(1).getItems();
        for (int i = 1; i < ranked.size(); i++) {
            assertTrue(ranked.get(i - 1).getScore() >= ranked.get(i).getScore());
        }
    }

    @Test
    void shouldExcludeItemsConsumedWithinTheWindow() throws Exception {
        RankingSettings ranking =
                new RankingSettings(10, 100, Duration.ofHours(1), EnumSet.of(Domain.PURCHASE));
        parts = TestScorers.create(TestBundles.fixture(), "live=1", ranking);
        List<JourneyStep> journey = new ArrayList<>();
        journey.add(new JourneyStep("i1", Domain.PURCHASE, TestScorers.NOW.minusSeconds(7200)));
        journey.add(new JourneyStep("i2", Domain.PURCHASE, TestScorers.NOW.minusSeconds(600)));
        journey.add(new JourneyStep("i3", Domain.TV_VIEWING, TestScorers.NOW.minusSeconds(60)));

        Recommendation recommendation =
                parts.scorer()
                        .score(
                                List.of(
                                        new ScoringRequest(
                                                "u1",
                                                journey,
                                                List.of("t-deal"),
                                                0,
                                                Set.of(),
                                                TestScorers.NOW)))
                        .get(0)
                        .recommendations()
                        .get(0);

        assertEquals(List.of("i0", "i1", "i3", "i4", "i5"), sorted(items(recommendation)));
    }

    @Test
    void shouldNeverShowASensitiveDomainInReasons() throws Exception {
        parts = TestScorers.create(TestBundles.fixture());
        List<JourneyStep> journey = new ArrayList<>();
        journey.addAll(TestScorers.journey(Domain.LOCATION_VISIT, "i1", "i2", "i3", "i4"));
        journey.add(new JourneyStep("i5", Domain.TV_VIEWING, TestScorers.NOW));

        Recommendation recommendation =
                parts.scorer()
                        .score(List.of(request("u1", journey)))
                        .get(0)
                        .recommendations()
                        .get(0);

        for (ReasonEvent event : recommendation.getReasonEvents()) {
            assertFalse(event.getDomain() == Domain.LOCATION_VISIT, event.toString());
        }
        assertEquals(Set.of("TV_VIEWING"), recommendation.getDomainShares().keySet());
        assertEquals(1f, recommendation.getDomainShares().get("TV_VIEWING"), 1e-5f);
        for (RankedItem item : recommendation.getItems()) {
            assertEquals("Because you watched Title of i5", item.getReasonText());
        }
    }

    @Test
    void shouldExplainWithTheStrongestEventsAndSharesSummingToOne() throws Exception {
        parts = TestScorers.create(TestBundles.fixture());
        List<JourneyStep> journey = new ArrayList<>();
        journey.addAll(TestScorers.journey(Domain.APP_USE, "i1", "i2"));
        journey.addAll(TestScorers.journey(Domain.PURCHASE, "i3", "i4"));

        Recommendation recommendation =
                parts.scorer()
                        .score(List.of(request("u1", journey)))
                        .get(0)
                        .recommendations()
                        .get(0);

        List<ReasonEvent> events = recommendation.getReasonEvents();
        assertEquals(3, events.size());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).getWeight() >= events.get(i).getWeight());
        }
        double total = recommendation.getDomainShares().values().stream().mapToDouble(f -> f).sum();
        assertEquals(1.0, total, 1e-5);
    }

    @Test
    void shouldServeHoldoutUsersFromTheBaseline() throws Exception {
        parts =
                TestScorers.create(
                        TestBundles.fixture(),
                        "live=0.5,holdout=0.5",
                        TestScorers.defaultRanking());
        parts.slots().promote(parts.loader().load(TestBundles.withVersion(dir, "v2")));
        List<ScoringRequest> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(request("user-" + i, TestScorers.journey(Domain.APP_USE, "i1")));
        }

        List<ScoringResult> results = parts.scorer().score(batch);

        for (ScoringResult result : results) {
            if (result.arm().equals("holdout")) {
                assertEquals(ModelSlot.BASELINE, result.slot());
                assertEquals("fixture-format-1", result.modelVersion());
            } else {
                assertEquals("v2", result.modelVersion());
            }
            assertEquals(result.arm(), result.recommendations().get(0).getExperimentArm());
        }
        assertTrue(results.stream().anyMatch(r -> r.arm().equals("holdout")));
        assertTrue(results.stream().anyMatch(r -> r.arm().equals("live")));
    }

    @Test
    void shouldRefuseAnEmptyJourneyOrUnknownChannel() throws Exception {
        parts = TestScorers.create(TestBundles.fixture());

        InvalidRequestException empty =
                assertThrows(
                        InvalidRequestException.class,
                        () -> parts.scorer().score(List.of(request("u1", List.of()))));
        InvalidRequestException channel =
                assertThrows(
                        InvalidRequestException.class,
                        () ->
                                parts.scorer()
                                        .validate(
                                                new ScoringRequest(
                                                        "u1",
                                                        TestScorers.journey(Domain.CALL, "i1"),
                                                        List.of("fax"),
                                                        0,
                                                        Set.of(),
                                                        null)));

        assertTrue(empty.getMessage().contains("expected at least 1 event, found 0"));
        assertTrue(channel.getMessage().contains("found 'fax'"), channel.getMessage());
    }

    private static ScoringRequest request(String user, List<JourneyStep> journey) {
        return new ScoringRequest(user, journey, List.of("t-deal"), 6, Set.of(), TestScorers.NOW);
    }

    private static float[] scores(ScoringResult result) {
        List<RankedItem> items = result.recommendations().get(0).getItems();
        List<RankedItem> byId = new ArrayList<>(items);
        byId.sort((a, b) -> a.getItemId().compareTo(b.getItemId()));
        float[] scores = new float[byId.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = byId.get(i).getScore();
        }
        return scores;
    }

    private static List<String> items(Recommendation recommendation) {
        return recommendation.getItems().stream().map(RankedItem::getItemId).toList();
    }

    private static List<String> sorted(List<String> items) {
        return items.stream().sorted().toList();
    }
}
