package io.nextlog.trainer.eval;

import static io.nextlog.trainer.eval.LeaveOneOutSplitTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol on data small enough to rank by hand. */
class LeaveOneOutEvaluatorTest {

    /** Items a..l get ids 2..13 in this order. */
    private static final Vocabulary VOCABULARY =
            Vocabulary.of(14, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"));

    @Test
    void shouldRankAmongAllItemsExceptTrainingItems() {
        // Scores rise with the id: l (13) is best. Training items a, b, l are excluded.
        Scorer byId = constant(id -> id);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(List.of(user("u", "a", "b", "l", "k", "j")));
        LeaveOneOutEvaluator evaluator = new LeaveOneOutEvaluator(split, VOCABULARY, 1);

        // Test target j (11): only k (12) is above it once l is excluded -> rank 1.
        RankingResult test = evaluator.evaluate(byId, LeaveOneOutEvaluator.Target.TEST);
        assertEquals(1.0, test.fullHitRate());
        assertEquals(1 / log2(3), test.fullNdcg(), 1e-9);

        // Validation target k (12): nothing above it -> rank 0.
        RankingResult validation = evaluator.evaluate(byId, LeaveOneOutEvaluator.Target.VALIDATION);
        assertEquals(1.0, validation.fullNdcg(), 1e-9);
    }

    @Test
    void shouldAverageOverUsersAndMissBeyondTheCutoff() {
        // Scores fall with the id: a is best. User 1's target a ranks 0; user 2's target l ranks
        // behind the 9 other non-training items -> rank 9, still a hit.
        Scorer falling = constant(id -> -id);
        LeaveOneOutSplit split =
                LeaveOneOutSplit.of(
                        List.of(user("u1", "c", "d", "e", "a"), user("u2", "a", "b", "c", "l")));
        RankingResult test =
                new LeaveOneOutEvaluator(split, VOCABULARY, 1)
                        .evaluate(falling, LeaveOneOutEvaluator.Target.TEST);

        assertEquals(2, test.users());
        assertEquals(1.0, test.fullHitRate());
        assertEquals((1.0 + 1 / log2(11)) / 2, test.fullNdcg(), 1e-9);
    }

    @Test
    void shouldDrawNegativesOnlyFromItemsNeverSeenInTraining() {
        // Training items a, b score above everything; a sampled negative that were one of them
        // would push the target down. The target d scores above all other items.
        Scorer scorer = constant(id -> id == 2 || id == 3 ? 100 : id == 5 ? 50 : 0);
        LeaveOneOutSplit split = LeaveOneOutSplit.of(List.of(user("u", "a", "b", "c", "d")));
        RankingResult test =
                new LeaveOneOutEvaluator(split, VOCABULARY, 7)
                        .evaluate(scorer, LeaveOneOutEvaluator.Target.TEST);

        assertEquals(1.0, test.sampledNdcg(), 1e-9);
    }

    @Test
    void shouldDrawTheSameNegativesForTheSameSeed() {
        List<Float> scores = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            scores.add((float) ((i * 7919) % 13));
        }
        Scorer scorer = constant(id -> scores.get(id));
        LeaveOneOutSplit split =
                LeaveOneOutSplit.of(
                        List.of(user("u1", "c", "d", "e", "f"), user("u2", "a", "g", "h", "k")));
        RankingResult first =
                new LeaveOneOutEvaluator(split, VOCABULARY, 3)
                        .evaluate(scorer, LeaveOneOutEvaluator.Target.TEST);
        RankingResult second =
                new LeaveOneOutEvaluator(split, VOCABULARY, 3)
                        .evaluate(scorer, LeaveOneOutEvaluator.Target.TEST);

        assertEquals(first, second);
    }

    @Test
    void shouldRefuseDataWithoutUsersLongEnoughToEvaluate() {
        LeaveOneOutSplit split = LeaveOneOutSplit.of(List.of(user("u", "a", "b", "c")));

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new LeaveOneOutEvaluator(split, VOCABULARY, 1));
        assertTrue(
                error.getMessage().contains("expected at least one user with 4"),
                error.getMessage());
    }

    @Test
    void shouldScoreMostPopularByTrainingCounts() {
        // Training parts: [c, c, b] and [c, b]: c 3, b 2. Test targets e and b.
        LeaveOneOutSplit split =
                LeaveOneOutSplit.of(
                        List.of(
                                user("u1", "c", "c", "b", "d", "e"),
                                user("u2", "c", "b", "a", "b")));
        MostPopularScorer popular = MostPopularScorer.fit(split.trainingSequences(), VOCABULARY);
        float[] scores = popular.score(List.of(List.<JourneyStep>of()))[0];

        assertEquals(3f, scores[4]);
        assertEquals(2f, scores[3]);
        RankingResult test =
                new LeaveOneOutEvaluator(split, VOCABULARY, 1)
                        .evaluate(popular, LeaveOneOutEvaluator.Target.TEST);
        // u1: e (0) ties with the other zeros, b and c excluded -> rank 0. u2: b is a training
        // item of u2, but the target itself ranks; c is excluded -> rank 0.
        assertEquals(1.0, test.fullNdcg(), 1e-9);
    }

    private static Scorer constant(java.util.function.IntToDoubleFunction scoreOfId) {
        return journeys -> {
            float[][] scores = new float[journeys.size()][VOCABULARY.size()];
            for (float[] row : scores) {
                for (int id = 0; id < row.length; id++) {
                    row[id] = (float) scoreOfId.applyAsDouble(id);
                }
            }
            return scores;
        };
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
