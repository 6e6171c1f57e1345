package io.nextlog.scorer.model;

import java.nio.FloatBuffer;
import javax.annotation.Nullable;

/**
 * The outputs of one forward pass, row-major, read in place from the buffers ONNX Runtime wrote.
 *
 * <p>Shapes: B batch, T time steps, V vocabulary; scores are (B, V) next-event logits, attribution
 * is (B, T), how much each position drove the prediction (0 on padding).
 *
 * <p>The buffers belong to the model and serve its next pass once this output is closed, so read it
 * only before {@link #close}. Reading is safe from many threads; closing is not meant to race with
 * reading.
 */
public final class ForwardOutput implements AutoCloseable {

    private final int batchSize;
    private final int timeSteps;
    private final int vocabularySize;
    private final FloatBuffer scores;
    private final FloatBuffer attribution;
    private @Nullable Runnable onClose;

    /**
     * @param batchSize B
     * @param timeSteps T
     * @param vocabularySize V
     * @param scores (B, V) from index 0
     * @param attribution (B, T) from index 0
     * @param onClose hands the buffers back; null when nothing is to be handed back
     */
    ForwardOutput(
            int batchSize,
            int timeSteps,
            int vocabularySize,
            FloatBuffer scores,
            FloatBuffer attribution,
            @Nullable Runnable onClose) {
        this.batchSize = batchSize;
        this.timeSteps = timeSteps;
        this.vocabularySize = vocabularySize;
        this.scores = scores;
        this.attribution = attribution;
        this.onClose = onClose;
    }

    /** Returns B. */
    public int batchSize() {
        return batchSize;
    }

    /** Returns T. */
    public int timeSteps() {
        return timeSteps;
    }

    /** Returns V. */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** Returns the logit of item id {@code itemId} in row {@code row}. */
    public float score(int row, int itemId) {
        return scores.get(row * vocabularySize + itemId);
    }

    /** Returns the attribution of column {@code column} in row {@code row}. */
    public float attribution(int row, int column) {
        return attribution.get(row * timeSteps + column);
    }

    /** Returns how many scores the graph produced, B x V when its shape is right. */
    int scoreCount() {
        return scores.limit();
    }

    /** Returns how many attribution values the graph produced, B x T when its shape is right. */
    int attributionCount() {
        return attribution.limit();
    }

    /** Hands the buffers back to the model, once; the output must not be read afterwards. */
    @Override
    public void close() {
        Runnable handBack = onClose;
        onClose = null;
        if (handBack != null) {
            handBack.run();
        }
    }
}
