package io.nextlog.trainer.eval;

/**
 * Hit rate and NDCG at a cut-off from a target's 0-based rank among its candidates.
 *
 * <p>With one relevant item, HR@k is 1 when the rank is below k, and NDCG@k is {@code 1 / log2(rank
 * + 2)} then (the ideal DCG is 1), 0 otherwise.
 */
public final class RankingMetrics {

    private RankingMetrics() {}

    /**
     * Returns the 0-based rank of the target: how many candidates score strictly higher. A tie does
     * not push the target down; model scores rarely tie, and for the most-popular baseline, whose
     * counts do, this reading reproduces the reference figures of the issue.
     *
     * @param targetScore the target's score
     * @param scores scores by item id
     * @param candidates the ids of the other candidates; repeats count once each time
     */
    public static int rankOf(float targetScore, float[] scores, int[] candidates) {
        int rank = 0;
        for (int id : candidates) {
            if (scores[id] > targetScore) {
                rank++;
            }
        }
        return rank;
    }

    /** Returns HR@k for one user: 1 if {@code rank < k}, else 0. */
    public static double hitRate(int rank, int k) {
        return rank < k ? 1.0 : 0.0;
    }

    /** Returns NDCG@k for one user with one relevant item at the 0-based {@code rank}. */
    public static double ndcg(int rank, int k) {
        return rank < k ? 1.0 / (Math.log(rank + 2) / Math.log(2)) : 0.0;
    }
}
