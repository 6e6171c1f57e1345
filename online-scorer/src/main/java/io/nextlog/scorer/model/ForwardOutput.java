package io.nextlog.scorer.model;

/**
 * The outputs of one forward pass, row-major, as ONNX Runtime returned them.
 *
 * @param batchSize B
 * @param timeSteps T
 * @param vocabularySize V
 * @param scores next-event logits, (B, V)
 * @param attribution how much each position drove the prediction, (B, T); 0 on padding
 */
public record ForwardOutput(
        int batchSize, int timeSteps, int vocabularySize, float[] scores, float[] attribution) {

    /** Returns the logit of item id {@code itemId} in row {@code row}. */
    public float score(int row, int itemId) {
        return scores[row * vocabularySize + itemId];
    }

    /** Returns the attribution of column {@code column} in row {@code row}. */
    public float attribution(int row, int column) {
        return attribution[row * timeSteps + column];
    }
}
