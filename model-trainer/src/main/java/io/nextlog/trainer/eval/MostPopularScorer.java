package io.nextlog.trainer.eval;

import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.Vocabulary;
import java.util.Arrays;
import java.util.List;

/**
 * The most-popular baseline: every journey gets the same scores, each item's number of occurrences
 * in the training sequences.
 */
public final class MostPopularScorer implements Scorer {

    private final float[] counts;

    private MostPopularScorer(float[] counts) {
        this.counts = counts;
    }

    /**
     * Counts items over the training sequences.
     *
     * @param training the sequences to count, such as {@link LeaveOneOutSplit#trainingSequences()}
     * @param vocabulary maps items to score columns; OOV items count towards the OOV id
     */
    public static MostPopularScorer fit(List<List<JourneyStep>> training, Vocabulary vocabulary) {
        float[] counts = new float[vocabulary.size()];
        for (List<JourneyStep> journey : training) {
            for (JourneyStep step : journey) {
                counts[vocabulary.idOf(step.getItem())]++;
            }
        }
        return new MostPopularScorer(counts);
    }

    @Override
    public float[][] score(List<List<JourneyStep>> journeys) {
        float[][] scores = new float[journeys.size()][];
        for (int row = 0; row < scores.length; row++) {
            scores[row] = Arrays.copyOf(counts, counts.length);
        }
        return scores;
    }
}
