package io.nextlog.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Next-event cross-entropy: at every real position, minus the log-probability of the item that
 * actually came next, averaged over those positions. Positions whose input or target is padding do
 * not count.
 *
 * <p>{@link #of} is the padded formulation over (B, T, V), kept as the reference the reduced ones
 * are tested against. {@link #fullSoftmax} normalises over the whole vocabulary at the real
 * positions only, which is what training uses. {@link #sampledSoftmax} normalises over the target
 * and K negatives shared by the batch, drawn uniformly from the item ids; with uniform draws the
 * usual log-Q correction is a constant and drops out. A negative that equals a position's own
 * target is masked for that position, so the model is never pushed away from the true next item.
 */
final class NextEventLoss {

    private NextEventLoss() {}

    /**
     * @param logits (B, T, V)
     * @param inputItemIds (B, T) int64, the model's item input
     * @param targetItemIds (B, T) int64, the next item at each position
     * @return the mean loss, a scalar
     */
    static NDArray of(NDArray logits, NDArray inputItemIds, NDArray targetItemIds) {
        long vocabulary = logits.getShape().get(2);

        // (B, T, V) -> (B·T, V) -> log-probabilities of the targets (B·T, 1)
        NDArray logProbabilities = logits.reshape(-1, vocabulary).logSoftmax(-1);
        NDArray targets = targetItemIds.reshape(-1, 1);
        NDArray picked = logProbabilities.gather(targets, 1);
        return maskedMean(picked, inputItemIds, targets);
    }

    /**
     * Full-softmax cross-entropy at positions already reduced to the real ones.
     *
     * @param logits (N, V) logits of N real positions
     * @param targets (N,) int64 next-item ids
     * @return the mean loss, a scalar
     */
    static NDArray fullSoftmax(NDArray logits, NDArray targets) {
        // (N, V) -> (N, 1) log-probability of each target
        NDArray picked = logits.logSoftmax(-1).gather(targets.reshape(-1, 1), 1);
        return picked.mean().neg();
    }

    /**
     * Sampled-softmax cross-entropy at positions already reduced to the real ones.
     *
     * @param targetLogits (N, 1) logit of each position's own target
     * @param negativeLogits (N, K) logits of the negatives shared by the batch
     * @param negativeIds (K,) int64 ids of the negatives
     * @param targets (N,) int64 next-item ids
     * @return the mean loss, a scalar
     */
    static NDArray sampledSoftmax(
            NDArray targetLogits, NDArray negativeLogits, NDArray negativeIds, NDArray targets) {
        long negatives = negativeIds.getShape().get(0);

        // (1, K) == (N, 1) -> (N, K): accidental hits get the masked score.
        NDArray hits = negativeIds.reshape(1, negatives).eq(targets.reshape(-1, 1));
        NDArray masked = hits.toType(DataType.FLOAT32, false).mul(NextLogGpt.MASKED);

        // (N, 1 + K) -> log-probability of column 0, the target (N, 1)
        NDArray logits = targetLogits.concat(negativeLogits.add(masked), 1);
        NDArray picked = logits.logSoftmax(-1).get(":, 0");
        return picked.mean().neg();
    }

    /** Averages (B·T, 1) log-probabilities over real positions and negates them. */
    private static NDArray maskedMean(NDArray picked, NDArray inputItemIds, NDArray targets) {
        // (B·T, 1) weights: 1 where both input and target are real events.
        NDArray realInput = inputItemIds.reshape(-1, 1).neq(0);
        NDArray realTarget = targets.neq(0);
        NDArray weights = realInput.logicalAnd(realTarget).toType(DataType.FLOAT32, false);

        NDArray count = weights.sum().maximum(1f);
        return picked.mul(weights).sum().neg().div(count);
    }
}
