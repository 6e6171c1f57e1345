package io.nextlog.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.nextlog.bundle.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The next-log GPT: a decoder-only transformer over journeys.
 *
 * <p>Input: item ids, domain ids and gap-bucket ids, each int64 (B, T), left-padded with 0 as
 * {@link io.nextlog.tokenize.JourneyTokenizer} makes them. Output: next-item logits (B, T, V) at
 * every position, and the attribution (B, T): the newest event's attention weights, averaged over
 * all heads of all blocks.
 *
 * <p>Design notes:
 *
 * <ul>
 *   <li>Each event is the sum of four embeddings: item, domain, gap bucket and position. Positions
 *       count back from the newest event (the last column is position 0), so left padding and the
 *       choice of T do not change a journey's result, and the scorer may use a shorter T than
 *       training did.
 *   <li>The attention mask adds -1e9 to future positions and to padded keys. Padded queries see
 *       only padded keys and produce values nobody reads: real positions never attend to them and
 *       the loss skips them.
 *   <li>The output layer reuses the item embedding (tied weights) plus a per-item bias, so an
 *       item's embedding learns from both its appearances and its predictions.
 *   <li>Dropout (on the summed embeddings and on each block's attention and MLP outputs) acts only
 *       when {@code training} is true; inference, and therefore the ONNX graph, has none.
 * </ul>
 */
public final class NextLogGpt extends AbstractBlock {

    /** What masked attention scores get added; exp of it underflows to exactly 0 in float32. */
    static final float MASKED = -1e9f;

    private static final byte VERSION = 1;

    private final ModelConfig config;
    private final float dropoutRate;
    private final List<GptBlock> blocks = new ArrayList<>();

    final Parameter itemEmbedding;
    final Parameter domainEmbedding;
    final Parameter gapEmbedding;
    final Parameter positionEmbedding;
    final Parameter finalNormGamma;
    final Parameter finalNormBeta;
    final Parameter outputBias;

    /** Creates an uninitialised network of the given architecture, without dropout. */
    public NextLogGpt(ModelConfig config) {
        this(config, 0f);
    }

    /**
     * Creates an uninitialised network of the given architecture.
     *
     * @param dropoutRate the probability of zeroing an activation in training, in [0, 1)
     * @throws IllegalArgumentException if the rate is out of range
     */
    public NextLogGpt(ModelConfig config, float dropoutRate) {
        super(VERSION);
        if (!(dropoutRate >= 0f && dropoutRate < 1f)) {
            throw new IllegalArgumentException(
                    "dropoutRate: expected a value in [0, 1), found " + dropoutRate);
        }
        this.config = config;
        this.dropoutRate = dropoutRate;
        int c = config.embeddingDim();

        itemEmbedding = addParameter(GptParameters.weight("item_embedding", vocab(), c));
        domainEmbedding =
                addParameter(
                        GptParameters.weight(
                                "domain_embedding", config.tokenizer().domainSlotCount(), c));
        gapEmbedding =
                addParameter(
                        GptParameters.weight(
                                "gap_embedding", config.tokenizer().gapBucketCount(), c));
        positionEmbedding =
                addParameter(
                        GptParameters.weight(
                                "position_embedding", config.tokenizer().maxLength(), c));
        for (int i = 0; i < config.blockCount(); i++) {
            GptBlock block = new GptBlock(c, config.headCount(), config.mlpDim(), dropoutRate);
            blocks.add(addChildBlock("block" + i, block));
        }
        finalNormGamma = addParameter(GptParameters.gamma("final_norm_gamma", c));
        finalNormBeta = addParameter(GptParameters.beta("final_norm_beta", c));
        outputBias = addParameter(GptParameters.bias("output_bias", vocab()));
    }

    /** Returns the architecture. */
    public ModelConfig config() {
        return config;
    }

    /** Returns the training-time dropout rate; 0 means none. */
    public float dropoutRate() {
        return dropoutRate;
    }

    List<GptBlock> blocks() {
        return blocks;
    }

    /** Returns the input shapes for initialisation: three (B, T) tensors. */
    static Shape[] inputShapes(long batch, long time) {
        Shape ids = new Shape(batch, time);
        return new Shape[] {ids, ids, ids};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList hidden = hidden(store, inputs, training);
        return new NDList(scoreAll(store, hidden.get(0)), hidden.get(1));
    }

    /**
     * The output layer, tied to the item embedding: {@code h · Eᵀ + b}.
     *
     * @param h (..., C) hidden states from {@link #hidden}
     * @return (..., V) logits
     */
    NDArray scoreAll(ParameterStore store, NDArray h) {
        // (..., C) x (C, V) -> (..., V)
        return h.matMul(value(store, itemEmbedding, h).transpose())
                .add(value(store, outputBias, h));
    }

    /**
     * Runs the network up to the output layer.
     *
     * @param inputs item, domain and gap-bucket ids, each (B, T)
     * @return the final-normed hidden state (B, T, C) and the attribution (B, T)
     */
    NDList hidden(ParameterStore store, NDList inputs, boolean training) {
        NDArray itemIds = inputs.get(0);
        NDArray x = dropout(embed(store, inputs), training);
        NDArray mask = attentionMask(itemIds);

        List<NDArray> newestAttention = new ArrayList<>();
        for (GptBlock block : blocks) {
            NDList out = block.forward(store, new NDList(x, mask), training);
            x = out.get(0);
            // (B, H, T, T) -> the newest event's query (B, H, T)
            newestAttention.add(out.get(1).get(new NDIndex(":, :, -1, :")));
        }
        NDArray h =
                GptBlock.layerNorm(
                        x, value(store, finalNormGamma, x), value(store, finalNormBeta, x));

        // L x (B, H, T) -> (B, L·H, T) -> mean over blocks and heads (B, T)
        NDArray attribution = NDArrays.concat(new NDList(newestAttention), 1).mean(new int[] {1});
        return new NDList(h, attribution);
    }

    /**
     * Scores chosen items against hidden states: {@code h · E[ids] + b[ids]}.
     *
     * @param h (N, C) hidden states of N positions from {@link #hidden}
     * @param ids (K,) int64 item ids
     * @return (N, K) logits
     */
    NDArray scoreItems(ParameterStore store, NDArray h, NDArray ids) {
        NDArray table = lookup(value(store, itemEmbedding, h), ids);
        NDArray bias = lookup(value(store, outputBias, h).reshape(-1, 1), ids).reshape(-1);
        // (N, C) x (C, K) -> (N, K)
        return h.matMul(table.transpose()).add(bias);
    }

    /**
     * Scores each position's own target: {@code h[n] · E[target[n]] + b[target[n]]}.
     *
     * @param h (N, C) hidden states of N positions from {@link #hidden}
     * @param targets (N,) int64 item ids
     * @return (N, 1) logits
     */
    NDArray scoreTargets(ParameterStore store, NDArray h, NDArray targets) {
        // (N,) -> (N, C)
        NDArray rows = lookup(value(store, itemEmbedding, h), targets);
        // (N,) -> (N, 1)
        NDArray bias = lookup(value(store, outputBias, h).reshape(-1, 1), targets);
        return rows.mul(h).sum(new int[] {1}, true).add(bias);
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || dropoutRate == 0f) {
            return x;
        }
        return Dropout.dropout(x, dropoutRate, true).singletonOrThrow();
    }

    /** Sums item, domain, gap and position embeddings: 3 x (B, T) -> (B, T, C). */
    private NDArray embed(ParameterStore store, NDList inputs) {
        NDArray itemIds = inputs.get(0);
        NDArray x = lookup(value(store, itemEmbedding, itemIds), itemIds);
        x = x.add(lookup(value(store, domainEmbedding, itemIds), inputs.get(1)));
        x = x.add(lookup(value(store, gapEmbedding, itemIds), inputs.get(2)));

        // Positions T-1, ..., 1, 0: the newest event, in the last column, is position 0.
        int time = Math.toIntExact(itemIds.getShape().get(1));
        NDManager manager = itemIds.getManager();
        NDArray positions = manager.arange(time - 1, -1, -1, DataType.INT64);
        return x.add(lookup(value(store, positionEmbedding, itemIds), positions));
    }

    /**
     * Builds the additive mask (B, 1, T, T): 0 where query t may attend key s (s <= t and s not
     * padding), {@link #MASKED} elsewhere.
     */
    static NDArray attentionMask(NDArray itemIds) {
        long batch = itemIds.getShape().get(0);
        int time = Math.toIntExact(itemIds.getShape().get(1));
        NDManager manager = itemIds.getManager();

        // (T,) -> (1, T) > (T, 1) -> (T, T): key index above query index is the future.
        NDArray index = manager.arange(0, time, 1, DataType.INT64);
        NDArray future = index.reshape(1, time).gt(index.reshape(time, 1));
        NDArray causal = future.toType(DataType.FLOAT32, false).mul(MASKED);

        // (B, T) -> (B, 1, 1, T): padded keys.
        NDArray padded = itemIds.eq(0).toType(DataType.FLOAT32, false).mul(MASKED);
        return causal.reshape(1, 1, time, time).add(padded.reshape(batch, 1, 1, time));
    }

    /** Picks rows of a (R, C) table by (N,) int64 ids: (N, C); gradients flow to the table. */
    static NDArray rows(NDArray table, NDArray ids) {
        return lookup(table, ids);
    }

    private static NDArray lookup(NDArray table, NDArray ids) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    private static NDArray value(ParameterStore store, Parameter parameter, NDArray like) {
        return store.getValue(parameter, like.getDevice(), false);
    }

    private long vocab() {
        return config.vocabularySize();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), vocab()), ids};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        Shape x = new Shape(ids.get(0), ids.get(1), config.embeddingDim());
        Shape mask = new Shape(ids.get(0), 1, ids.get(1), ids.get(1));
        for (GptBlock block : blocks) {
            block.initialize(manager, dataType, x, mask);
        }
    }
}
