package io.nextlog.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm transformer block: {@code x + attention(LN(x))}, then {@code x + mlp(LN(x))}.
 *
 * <p>Input: {@code x} (B, T, C) and the additive attention mask (B, 1, T, T). Output: the new
 * {@code x} (B, T, C) and the attention weights (B, H, T, T). The exporter mirrors this method node
 * for node, so any change here needs the same change in {@link GptOnnxExporter}.
 */
final class GptBlock extends AbstractBlock {

    /** LayerNorm epsilon, as in PyTorch and the ONNX LayerNormalization default. */
    static final float LAYER_NORM_EPS = 1e-5f;

    private static final byte VERSION = 1;

    private final int embeddingDim;
    private final int headCount;
    private final float dropoutRate;

    final Parameter attentionNormGamma;
    final Parameter attentionNormBeta;
    final Parameter qkvWeight;
    final Parameter qkvBias;
    final Parameter projectionWeight;
    final Parameter projectionBias;
    final Parameter mlpNormGamma;
    final Parameter mlpNormBeta;
    final Parameter mlpInWeight;
    final Parameter mlpInBias;
    final Parameter mlpOutWeight;
    final Parameter mlpOutBias;

    /**
     * @param dropoutRate dropout on the attention and MLP outputs before each residual add; only in
     *     training
     */
    GptBlock(int embeddingDim, int headCount, int mlpDim, float dropoutRate) {
        super(VERSION);
        this.embeddingDim = embeddingDim;
        this.headCount = headCount;
        this.dropoutRate = dropoutRate;
        int c = embeddingDim;

        attentionNormGamma = addParameter(GptParameters.gamma("attention_norm_gamma", c));
        attentionNormBeta = addParameter(GptParameters.beta("attention_norm_beta", c));
        // Linear weights are (out, in), as DJL's Linear.linear and torch's linear take them.
        qkvWeight = addParameter(GptParameters.weight("qkv_weight", 3L * c, c));
        qkvBias = addParameter(GptParameters.bias("qkv_bias", 3L * c));
        projectionWeight = addParameter(GptParameters.weight("projection_weight", c, c));
        projectionBias = addParameter(GptParameters.bias("projection_bias", c));
        mlpNormGamma = addParameter(GptParameters.gamma("mlp_norm_gamma", c));
        mlpNormBeta = addParameter(GptParameters.beta("mlp_norm_beta", c));
        mlpInWeight = addParameter(GptParameters.weight("mlp_in_weight", mlpDim, c));
        mlpInBias = addParameter(GptParameters.bias("mlp_in_bias", mlpDim));
        mlpOutWeight = addParameter(GptParameters.weight("mlp_out_weight", c, mlpDim));
        mlpOutBias = addParameter(GptParameters.bias("mlp_out_bias", c));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        Values v = new Values(store, x);

        NDArray h = layerNorm(x, v.get(attentionNormGamma), v.get(attentionNormBeta));
        NDList attention = attend(v, h, mask);
        x = x.add(dropout(attention.get(0), training));

        h = layerNorm(x, v.get(mlpNormGamma), v.get(mlpNormBeta));
        x = x.add(dropout(mlp(v, h), training));
        return new NDList(x, attention.get(1));
    }

    private NDArray dropout(NDArray x, boolean training) {
        if (!training || dropoutRate == 0f) {
            return x;
        }
        return Dropout.dropout(x, dropoutRate, true).singletonOrThrow();
    }

    /** Multi-head causal self-attention; returns its output (B, T, C) and weights (B, H, T, T). */
    private NDList attend(Values v, NDArray h, NDArray mask) {
        long batch = h.getShape().get(0);
        long time = h.getShape().get(1);
        int headDim = embeddingDim / headCount;

        // (B, T, C) -> (B, T, 3C) -> 3 x (B, T, C) -> 3 x (B, H, T, D)
        NDArray qkv = Linear.linear(h, v.get(qkvWeight), v.get(qkvBias)).singletonOrThrow();
        NDList parts = qkv.split(3, 2);
        Shape heads = new Shape(batch, time, headCount, headDim);
        NDArray q = parts.get(0).reshape(heads).transpose(0, 2, 1, 3);
        NDArray k = parts.get(1).reshape(heads).transpose(0, 2, 1, 3);
        NDArray value = parts.get(2).reshape(heads).transpose(0, 2, 1, 3);

        // (B, H, T, D) x (B, H, D, T) -> (B, H, T, T); masked entries get a large negative add
        // (NDArrays.where does not broadcast its condition on PyTorch).
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(headDim));
        NDArray weights = scores.add(mask).softmax(-1);

        // (B, H, T, T) x (B, H, T, D) -> (B, H, T, D) -> (B, T, H, D) -> (B, T, C)
        NDArray mixed = weights.matMul(value).transpose(0, 2, 1, 3);
        NDArray merged = mixed.reshape(batch, time, embeddingDim);
        NDList out = Linear.linear(merged, v.get(projectionWeight), v.get(projectionBias));
        return new NDList(out.singletonOrThrow(), weights);
    }

    /** (B, T, C) -> (B, T, M) -> GELU -> (B, T, C). */
    private NDArray mlp(Values v, NDArray h) {
        NDArray hidden = Linear.linear(h, v.get(mlpInWeight), v.get(mlpInBias)).singletonOrThrow();
        return Linear.linear(gelu(hidden), v.get(mlpOutWeight), v.get(mlpOutBias))
                .singletonOrThrow();
    }

    /** Exact GELU, {@code x/2 * (1 + erf(x/sqrt 2))}; written out so ONNX can match it. */
    static NDArray gelu(NDArray x) {
        return x.mul(0.5).mul(x.div(Math.sqrt(2.0)).erf().add(1.0));
    }

    static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        Shape lastAxis = new Shape(x.getShape().getShape()[x.getShape().dimension() - 1]);
        return LayerNorm.layerNorm(x, lastAxis, gamma, beta, LAYER_NORM_EPS).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        Shape weights = new Shape(x.get(0), headCount, x.get(1), x.get(1));
        return new Shape[] {x, weights};
    }

    /** Reads parameter values on the device of the activations. */
    private record Values(ParameterStore store, NDArray like) {
        NDArray get(Parameter parameter) {
            return store.getValue(parameter, like.getDevice(), false);
        }
    }
}
