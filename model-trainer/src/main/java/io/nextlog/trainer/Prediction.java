package io.nextlog.trainer;

/**
 * What the network says about the newest position of each journey in a batch, as plain arrays; the
 * same two tensors the ONNX graph returns.
 *
 * @param batchSize B
 * @param nextScores (B, V) row-major logits of the next item
 * @param attribution (B, T) row-major attribution, summing to 1 over each row's real events
 */
public record Prediction(int batchSize, float[] nextScores, float[] attribution) {

    /** Returns the scores of one row, a copy. */
    public float[] scoresOf(int row) {
        int vocabulary = nextScores.length / batchSize;
        float[] scores = new float[vocabulary];
        System.arraycopy(nextScores, row * vocabulary, scores, 0, vocabulary);
        return scores;
    }

    /** Returns the attribution of one row, a copy. */
    public float[] attributionOf(int row) {
        int time = attribution.length / batchSize;
        float[] values = new float[time];
        System.arraycopy(attribution, row * time, values, 0, time);
        return values;
    }
}
