package io.nextlog.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** HR@10 and NDCG@10 on ranks worked out by hand. */
class RankingMetricsTest {

    @Test
    void shouldScoreTopRankAsFullHitAndFullGain() {
        assertEquals(1.0, RankingMetrics.hitRate(0, 10));
        assertEquals(1.0, RankingMetrics.ndcg(0, 10), 1e-12);
    }

    @Test
    void shouldDiscountLowerRanksByLogOfPosition() {
        // rank 1 is the 2nd place: 1 / log2(3); rank 9 is the 10th place: 1 / log2(11).
        assertEquals(0.6309297535714574, RankingMetrics.ndcg(1, 10), 1e-12);
        assertEquals(0.5, RankingMetrics.ndcg(2, 10), 1e-12);
        assertEquals(0.28906482631788766, RankingMetrics.ndcg(9, 10), 1e-12);
        assertEquals(1.0, RankingMetrics.hitRate(9, 10));
    }

    @Test
    void shouldGiveNothingFromTheEleventhPlaceOn() {
        assertEquals(0.0, RankingMetrics.hitRate(10, 10));
        assertEquals(0.0, RankingMetrics.ndcg(10, 10));
    }

    @Test
    void shouldRankByStrictlyHigherScoresAndCountRepeatedCandidates() {
        float[] scores = {0f, 0f, 5f, 3f, 3f, 1f};

        // Candidates 2 (5 > 3) and 2 again count; 4 ties with the target and does not.
        assertEquals(2, RankingMetrics.rankOf(3f, scores, new int[] {2, 2, 4, 5}));
        assertEquals(0, RankingMetrics.rankOf(5f, scores, new int[] {3, 4, 5}));
    }
}
