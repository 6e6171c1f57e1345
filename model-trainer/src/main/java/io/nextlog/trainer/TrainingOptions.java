package io.nextlog.trainer;

/**
 * How one training run goes: the optimisation, regularisation, loss and stopping rule. Together
 * with the {@link io.nextlog.bundle.ModelConfig}, the data and the seed it fixes the run; every
 * field goes into the bundle's training-run record.
 *
 * <p>The learning rate rises linearly from 0 over {@code warmupSteps}, then follows a cosine down
 * to {@code learningRate * finalLearningRateRatio} at the last step of {@code maxEpochs}; early
 * stopping cuts the run short without changing the schedule, so a stopped run took exactly the
 * steps a longer run would have taken until then.
 *
 * @param maxEpochs the most passes over the training sequences; at least 1
 * @param batchSize sequences per step; at least 1
 * @param learningRate Adam's peak step size; positive
 * @param warmupSteps steps of linear warm-up; at least 0
 * @param finalLearningRateRatio the learning rate at the end of the cosine, relative to the peak,
 *     in [0, 1]; 1 keeps the rate constant after warm-up
 * @param weightDecay decoupled (AdamW) decay of the weight matrices and embeddings; biases and
 *     LayerNorm parameters do not decay; at least 0
 * @param dropoutRate dropout in training, in [0, 1)
 * @param sampledNegatives 0 for the full-softmax loss; otherwise the number of uniformly drawn
 *     negatives the sampled softmax normalises over, shared by a batch
 * @param evaluateEveryEpochs validation NDCG@10 is measured after every this many epochs and at the
 *     last; at least 1
 * @param patience evaluations without a better validation NDCG@10 before training stops; at least 1
 * @param ablation an input embedding to silence for ablation experiments, normally {@link
 *     InputAblation#NONE}
 * @param maxGradientNorm gradients are scaled down to this global L2 norm when above it; 0 turns
 *     clipping off. A step whose loss or gradient is not finite is skipped either way.
 * @param weightAveraging 0 to validate and keep the trained weights themselves; otherwise the decay
 *     d in [0, 1) of an exponential moving average of the weights, updated after every step as
 *     {@code avg = d·avg + (1 - d)·w}, with d ramped up as {@code min(d, t / (9 + t))} at the t-th
 *     step so the initial weights fade out quickly; the average is what gets validated and kept. A
 *     decay of 0.999 spans about a thousand steps.
 * @param itemDropout the probability, in [0, 1), with which each real input item of a training step
 *     is replaced by the out-of-vocabulary id (its domain and time gap stay, targets never change);
 *     0 turns it off
 */
public record TrainingOptions(
        int maxEpochs,
        int batchSize,
        float learningRate,
        int warmupSteps,
        float finalLearningRateRatio,
        float weightDecay,
        float dropoutRate,
        int sampledNegatives,
        int evaluateEveryEpochs,
        int patience,
        InputAblation ablation,
        float maxGradientNorm,
        float weightAveraging,
        float itemDropout) {

    /** The defaults of the trainer command. */
    public static final TrainingOptions DEFAULTS =
            new TrainingOptions(
                    200,
                    128,
                    1e-3f,
                    100,
                    0.1f,
                    0.0f,
                    0.2f,
                    0,
                    5,
                    4,
                    InputAblation.NONE,
                    1f,
                    0f,
                    0f);

    /** Validates every field; throws {@link IllegalArgumentException} naming the bad one. */
    public TrainingOptions {
        requireAtLeast("maxEpochs", maxEpochs, 1);
        requireAtLeast("batchSize", batchSize, 1);
        requireAtLeast("warmupSteps", warmupSteps, 0);
        requireAtLeast("sampledNegatives", sampledNegatives, 0);
        requireAtLeast("evaluateEveryEpochs", evaluateEveryEpochs, 1);
        requireAtLeast("patience", patience, 1);
        if (!(learningRate > 0f)) {
            throw new IllegalArgumentException(
                    "learningRate: expected a positive value, found " + learningRate);
        }
        if (!(finalLearningRateRatio >= 0f && finalLearningRateRatio <= 1f)) {
            throw new IllegalArgumentException(
                    "finalLearningRateRatio: expected a value in [0, 1], found "
                            + finalLearningRateRatio);
        }
        if (!(weightDecay >= 0f)) {
            throw new IllegalArgumentException(
                    "weightDecay: expected at least 0, found " + weightDecay);
        }
        if (!(dropoutRate >= 0f && dropoutRate < 1f)) {
            throw new IllegalArgumentException(
                    "dropoutRate: expected a value in [0, 1), found " + dropoutRate);
        }
        if (!(maxGradientNorm >= 0f)) {
            throw new IllegalArgumentException(
                    "maxGradientNorm: expected at least 0, found " + maxGradientNorm);
        }
        if (!(weightAveraging >= 0f && weightAveraging < 1f)) {
            throw new IllegalArgumentException(
                    "weightAveraging: expected a decay in [0, 1), found " + weightAveraging);
        }
        if (!(itemDropout >= 0f && itemDropout < 1f)) {
            throw new IllegalArgumentException(
                    "itemDropout: expected a probability in [0, 1), found " + itemDropout);
        }
        if (ablation == null) {
            throw new IllegalArgumentException("ablation: expected a value, found null");
        }
    }

    /** Options that keep a constant learning rate and no regularisation, for plain stepping. */
    public static TrainingOptions constant(float learningRate) {
        return new TrainingOptions(
                1, 1, learningRate, 0, 1f, 0f, 0f, 0, 1, 1, InputAblation.NONE, 0f, 0f, 0f);
    }

    /**
     * Returns the learning rate of a step.
     *
     * @param step the 1-based optimizer step
     * @param totalSteps the steps of the whole schedule, {@code maxEpochs} times the steps per
     *     epoch
     */
    public float learningRateAt(long step, long totalSteps) {
        if (step <= warmupSteps) {
            return learningRate * step / Math.max(1, warmupSteps);
        }
        long decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double cosine = 0.5 * (1.0 + Math.cos(Math.PI * progress));
        double ratio = finalLearningRateRatio + (1.0 - finalLearningRateRatio) * cosine;
        return (float) (learningRate * ratio);
    }

    /**
     * Returns the averaging decay of a step: the configured one, ramped up from 0.1 at the first
     * step so the initial weights fade out quickly.
     *
     * @param step the 1-based optimizer step
     */
    public float weightAveragingAt(long step) {
        return (float) Math.min(weightAveraging, step / (9.0 + step));
    }

    /** Returns whether the run validates and keeps a moving average of the weights. */
    public boolean averagesWeights() {
        return weightAveraging > 0f;
    }

    /** Returns a copy with another ablation. */
    public TrainingOptions withAblation(InputAblation other) {
        return copy(other, weightAveraging, itemDropout);
    }

    /** Returns a copy with another weight-averaging decay. */
    public TrainingOptions withWeightAveraging(float decay) {
        return copy(ablation, decay, itemDropout);
    }

    /** Returns a copy with another item dropout probability. */
    public TrainingOptions withItemDropout(float probability) {
        return copy(ablation, weightAveraging, probability);
    }

    private TrainingOptions copy(
            InputAblation otherAblation, float otherAveraging, float otherItemDropout) {
        return new TrainingOptions(
                maxEpochs,
                batchSize,
                learningRate,
                warmupSteps,
                finalLearningRateRatio,
                weightDecay,
                dropoutRate,
                sampledNegatives,
                evaluateEveryEpochs,
                patience,
                otherAblation,
                maxGradientNorm,
                otherAveraging,
                otherItemDropout);
    }

    private static void requireAtLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(
                    field + ": expected at least " + min + ", found " + value);
        }
    }
}
