package io.nextlog.bundle;

import io.nextlog.tokenize.TokenizerSpec;

/**
 * The architecture of a next-log GPT; with the weights it fixes the graph.
 *
 * @param vocabularySize V: item ids including padding, OOV and free slots
 * @param tokenizer maxLength (also the number of learned positions), gap buckets, domain slots
 * @param embeddingDim C: width of every event embedding and of the residual stream
 * @param blockCount number of transformer blocks
 * @param headCount H: attention heads per block; divides C
 * @param mlpDim width of the hidden layer of each block's MLP
 */
public record ModelConfig(
        int vocabularySize,
        TokenizerSpec tokenizer,
        int embeddingDim,
        int blockCount,
        int headCount,
        int mlpDim) {

    /**
     * The bench model that latency benchmarks share: C 64, 2 blocks, 2 heads, V 10,000, up to 200
     * events. Its weights do not matter for latency, so benchmarks may use random ones.
     */
    public static final ModelConfig BENCH =
            new ModelConfig(10_000, new TokenizerSpec(200, 32, 16), 64, 2, 2, 256);

    /** Validates the config; throws {@link IllegalArgumentException} naming the bad field. */
    public ModelConfig {
        requirePositive("vocabularySize", vocabularySize);
        requirePositive("embeddingDim", embeddingDim);
        requirePositive("blockCount", blockCount);
        requirePositive("headCount", headCount);
        requirePositive("mlpDim", mlpDim);
        if (tokenizer == null) {
            throw new IllegalArgumentException("tokenizer: expected a TokenizerSpec, found null");
        }
        if (embeddingDim % headCount != 0) {
            throw new IllegalArgumentException(
                    "embeddingDim: expected a multiple of headCount "
                            + headCount
                            + ", found "
                            + embeddingDim);
        }
    }

    /** Returns C/H, the width of one attention head. */
    public int headDim() {
        return embeddingDim / headCount;
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + ": expected at least 1, found " + value);
        }
    }
}
