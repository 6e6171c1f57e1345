package io.nextlog.trainer.eval;

import java.util.Locale;
import java.util.Map;

/**
 * Ranking quality of one scorer on one target of the split, averaged over the evaluated users.
 *
 * @param users the number of users evaluated
 * @param sampledHitRate HR@10 against 100 sampled negatives
 * @param sampledNdcg NDCG@10 against 100 sampled negatives
 * @param fullHitRate HR@10 against all items, the user's training items excluded
 * @param fullNdcg NDCG@10 against all items, the user's training items excluded
 */
public record RankingResult(
        int users, double sampledHitRate, double sampledNdcg, double fullHitRate, double fullNdcg) {

    /** Returns the four metrics under stable names, prefixed, for manifests and logs. */
    public Map<String, Double> asMap(String prefix) {
        return Map.of(
                prefix + "sampled_hr@10", sampledHitRate,
                prefix + "sampled_ndcg@10", sampledNdcg,
                prefix + "full_hr@10", fullHitRate,
                prefix + "full_ndcg@10", fullNdcg);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "users %d, sampled HR@10 %.4f NDCG@10 %.4f, full HR@10 %.4f NDCG@10 %.4f",
                users,
                sampledHitRate,
                sampledNdcg,
                fullHitRate,
                fullNdcg);
    }
}
