package io.nextlog.trainer.eval;

import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.Vocabulary;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * Evaluates a {@link Scorer} exactly as the SASRec paper does, on a {@link LeaveOneOutSplit}.
 *
 * <p>For each evaluated user, the target (validation or test) is ranked twice:
 *
 * <ul>
 *   <li><b>sampled</b>: among itself and {@value #NEGATIVES} negatives, each drawn uniformly and
 *       independently (so a negative may repeat, as in the reference code) from the items the user
 *       never interacted with in training, the target excluded;
 *   <li><b>full</b>: among all items of the vocabulary, the user's training items excluded.
 * </ul>
 *
 * HR@10 and NDCG@10 ({@link RankingMetrics}) are averaged over users. The negatives come from one
 * {@link Random} seeded with {@code seed}, drawn user by user in split order, so equal seeds give
 * equal negatives and every scorer is ranked against the same ones. Items are the vocabulary's
 * assigned items; padding, OOV and free slots never rank. A target without an id of its own (OOV)
 * counts as a miss, and so does a target whose score is not finite.
 */
public final class LeaveOneOutEvaluator {

    /** Sampled negatives per user. */
    public static final int NEGATIVES = 100;

    /** The cut-off of HR and NDCG. */
    public static final int CUTOFF = 10;

    private static final int BATCH_SIZE = 128;

    /** Which target of each user to rank. */
    public enum Target {
        VALIDATION,
        TEST
    }

    private final List<LeaveOneOutSplit.User> users;
    private final Vocabulary vocabulary;
    private final long seed;

    /**
     * @param split the split; its evaluated users are ranked
     * @param vocabulary the scorer's vocabulary, mapping items to score columns
     * @param seed the seed of the sampled negatives
     * @throws IllegalArgumentException if no user has {@value
     *     LeaveOneOutSplit#MIN_EVALUATED_EVENTS} events, or the vocabulary has too few items to
     *     sample negatives from
     */
    public LeaveOneOutEvaluator(LeaveOneOutSplit split, Vocabulary vocabulary, long seed) {
        this.users = split.evaluatedUsers();
        this.vocabulary = vocabulary;
        this.seed = seed;
        if (users.isEmpty()) {
            throw new IllegalArgumentException(
                    "evaluation: expected at least one user with "
                            + LeaveOneOutSplit.MIN_EVALUATED_EVENTS
                            + " or more events, found none among "
                            + split.users().size()
                            + " users");
        }
    }

    /** Returns the number of users ranked. */
    public int userCount() {
        return users.size();
    }

    /** Ranks every evaluated user's target with {@code scorer}. */
    public RankingResult evaluate(Scorer scorer, Target target) {
        Random random = new Random(seed);
        Totals totals = new Totals();
        for (int from = 0; from < users.size(); from += BATCH_SIZE) {
            List<LeaveOneOutSplit.User> batch =
                    users.subList(from, Math.min(users.size(), from + BATCH_SIZE));
            List<List<JourneyStep>> inputs = new ArrayList<>(batch.size());
            for (LeaveOneOutSplit.User user : batch) {
                inputs.add(target == Target.TEST ? user.testInput() : user.validationInput());
            }
            float[][] scores = scorer.score(inputs);
            for (int row = 0; row < batch.size(); row++) {
                LeaveOneOutSplit.User user = batch.get(row);
                JourneyStep goal = target == Target.TEST ? user.test() : user.validation();
                rankOne(user, goal, scores[row], random, totals);
            }
        }
        return totals.result();
    }

    private void rankOne(
            LeaveOneOutSplit.User user,
            JourneyStep goal,
            float[] scores,
            Random random,
            Totals totals) {
        BitSet excluded = trainingIds(user);
        int targetId = vocabulary.idOf(goal.getItem());
        // The negatives are drawn even for an OOV target, so later users see the same ones.
        int[] negatives = sampleNegatives(excluded, targetId, random);
        float targetScore = scores[targetId];
        if (targetId == Vocabulary.OOV_ID || !Float.isFinite(targetScore)) {
            // A NaN would compare below nothing and rank first; a broken model must not win.
            totals.add(Integer.MAX_VALUE, Integer.MAX_VALUE);
            return;
        }
        int sampledRank = RankingMetrics.rankOf(targetScore, scores, negatives);
        int fullRank = 0;
        int end = Vocabulary.FIRST_ITEM_ID + vocabulary.items().size();
        for (int id = Vocabulary.FIRST_ITEM_ID; id < end; id++) {
            if (id != targetId && !excluded.get(id) && scores[id] > targetScore) {
                fullRank++;
            }
        }
        totals.add(sampledRank, fullRank);
    }

    private BitSet trainingIds(LeaveOneOutSplit.User user) {
        BitSet ids = new BitSet(vocabulary.size());
        for (JourneyStep step : user.training()) {
            ids.set(vocabulary.idOf(step.getItem()));
        }
        return ids;
    }

    private int[] sampleNegatives(BitSet excluded, int targetId, Random random) {
        int itemCount = vocabulary.items().size();
        int allowed =
                itemCount - excluded.get(Vocabulary.FIRST_ITEM_ID, itemCount + 2).cardinality();
        if (targetId >= Vocabulary.FIRST_ITEM_ID && !excluded.get(targetId)) {
            allowed--;
        }
        if (allowed < 1) {
            throw new IllegalArgumentException(
                    "sampled negatives: expected at least one item the user never interacted"
                            + " with, found none among "
                            + itemCount
                            + " items");
        }
        int[] negatives = new int[NEGATIVES];
        for (int i = 0; i < NEGATIVES; i++) {
            int id;
            do {
                id = Vocabulary.FIRST_ITEM_ID + random.nextInt(itemCount);
            } while (id == targetId || excluded.get(id));
            negatives[i] = id;
        }
        return negatives;
    }

    /** Running sums of the four per-user metrics. */
    private final class Totals {
        private double sampledHitRate;
        private double sampledNdcg;
        private double fullHitRate;
        private double fullNdcg;
        private int count;

        void add(int sampledRank, int fullRank) {
            sampledHitRate += RankingMetrics.hitRate(sampledRank, CUTOFF);
            sampledNdcg += RankingMetrics.ndcg(sampledRank, CUTOFF);
            fullHitRate += RankingMetrics.hitRate(fullRank, CUTOFF);
            fullNdcg += RankingMetrics.ndcg(fullRank, CUTOFF);
            count++;
        }

        RankingResult result() {
            return new RankingResult(
                    count,
                    sampledHitRate / count,
                    sampledNdcg / count,
                    fullHitRate / count,
                    fullNdcg / count);
        }
    }
}
