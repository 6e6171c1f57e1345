package io.nextlog.trainer;

import static io.nextlog.trainer.OnnxGraph.floatAttribute;
import static io.nextlog.trainer.OnnxGraph.intAttribute;
import static io.nextlog.trainer.OnnxGraph.intsAttribute;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.bundle.ModelConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a trained {@link NextLogGpt} as an ONNX graph with the {@link GraphSignature#NEXT_LOG_V1}
 * signature, straight from the DJL weights.
 *
 * <p>The graph repeats {@link NextLogGpt#forwardInternal} and {@link GptBlock} op for op, but
 * computes scores only at the newest position, which is all a scorer needs. Linear weights are
 * stored transposed, (in, out), so MatMul takes them as they are; the output layer uses Gemm with
 * transB on the item embedding itself, so the tied table is stored once. Opset {@value
 * OnnxGraph#OPSET}, IR {@value OnnxGraph#IR_VERSION}.
 *
 * <p>Reads the weights once; the network must not be trained concurrently.
 */
public final class GptOnnxExporter {

    private static final long LAST = Long.MAX_VALUE;

    private final NextLogGpt network;
    private final ModelConfig config;
    private final OnnxGraph graph = new OnnxGraph("next_log_gpt");
    private final Set<String> constants = new HashSet<>();

    /** The name of the scalar T, once made. */
    private String timeStepsName;

    private GptOnnxExporter(NextLogGpt network) {
        this.network = network;
        this.config = network.config();
    }

    /** Returns the serialised ONNX model of the network's current weights. */
    public static byte[] export(NextLogGpt network) {
        return new GptOnnxExporter(network).build();
    }

    private byte[] build() {
        declareSignature();
        String x = embed();
        String mask = attentionMask();

        List<String> newestAttention = new ArrayList<>();
        for (int i = 0; i < config.blockCount(); i++) {
            BlockOutput out = block(network.blocks().get(i), "block" + i, x, mask);
            x = out.x();
            newestAttention.add(sliceLast(out.weights(), 2));
        }
        writeNextScores(x);
        writeAttribution(newestAttention);
        return graph.toModel("nextlog-model-trainer");
    }

    private void declareSignature() {
        graph.int64Input(GraphSignature.ITEM_IDS, "B", "T");
        graph.int64Input(GraphSignature.DOMAIN_IDS, "B", "T");
        graph.int64Input(GraphSignature.GAP_BUCKETS, "B", "T");
        graph.floatOutput(GraphSignature.NEXT_SCORES, "B", "V");
        graph.floatOutput(GraphSignature.ATTRIBUTION, "B", "T");
    }

    /** 3 x (B, T) -> (B, T, C): item + domain + gap + position embeddings. */
    private String embed() {
        String items = table("item_embedding", network.itemEmbedding);
        String domains = table("domain_embedding", network.domainEmbedding);
        String gaps = table("gap_embedding", network.gapEmbedding);

        String x = gather(items, GraphSignature.ITEM_IDS);
        x = graph.node("Add", List.of(x, gather(domains, GraphSignature.DOMAIN_IDS)));
        x = graph.node("Add", List.of(x, gather(gaps, GraphSignature.GAP_BUCKETS)));
        return graph.node("Add", List.of(x, positions()));
    }

    /**
     * (T, C): the position rows T-1, ..., 0, the newest event being position 0. The table is stored
     * upside down, (maxLength-1 .. 0), so that these are simply its last T rows. A Range(T-1, -1,
     * -1) and Gather is the obvious graph, but ONNX Runtime 1.23.2's extended optimisations turn it
     * into an empty tensor; the Slice survives every level.
     */
    private String positions() {
        NDArray table = network.positionEmbedding.getArray();
        float[] upsideDown = table.flip(0).toFloatArray();
        String reversed =
                graph.floats(
                        "position_embedding_reversed", upsideDown, table.getShape().getShape());

        // starts = [-T] along axis 0, ends = [max]
        String minusT = graph.node("Neg", List.of(timeSteps()));
        String starts = unsqueeze(minusT, "axes_0", 0);
        String ends = graph.int64s("slice_end_positions", new long[] {LAST}, 1);
        String axis = graph.int64s("slice_axis_positions", new long[] {0}, 1);
        return graph.node("Slice", List.of(reversed, starts, ends, axis));
    }

    /** (B, 1, T, T): -1e9 on future keys and on padded keys, 0 elsewhere. */
    private String attentionMask() {
        String zero = graph.int64Scalar("zero", 0);
        String masked = graph.floatScalar("masked", NextLogGpt.MASKED);

        // (1, T) > (T, 1) -> (T, T) -> (1, 1, T, T)
        String index =
                graph.node("Range", List.of(zero, timeSteps(), graph.int64Scalar("step", 1)));
        String row = unsqueeze(index, "axes_0", 0);
        String column = unsqueeze(index, "axes_1", 1);
        String future = toFloat(graph.node("Greater", List.of(row, column)));
        String causal = graph.node("Mul", List.of(future, masked));
        causal = unsqueeze(causal, "axes_0_1", 0, 1);

        // (B, T) -> (B, 1, 1, T)
        String padding = toFloat(graph.node("Equal", List.of(GraphSignature.ITEM_IDS, zero)));
        padding = unsqueeze(graph.node("Mul", List.of(padding, masked)), "axes_1_2", 1, 2);
        return graph.node("Add", List.of(causal, padding));
    }

    private BlockOutput block(GptBlock block, String name, String x, String mask) {
        String h =
                layerNorm(
                        x,
                        name + ".attention_norm",
                        block.attentionNormGamma,
                        block.attentionNormBeta);
        String qkv = linear(h, name + ".qkv", block.qkvWeight, block.qkvBias);
        AttentionOutput attention = attention(qkv, name, mask);
        String projected =
                linear(
                        attention.mixed(),
                        name + ".projection",
                        block.projectionWeight,
                        block.projectionBias);
        x = graph.node("Add", List.of(x, projected));

        h = layerNorm(x, name + ".mlp_norm", block.mlpNormGamma, block.mlpNormBeta);
        String hidden = gelu(linear(h, name + ".mlp_in", block.mlpInWeight, block.mlpInBias));
        String out = linear(hidden, name + ".mlp_out", block.mlpOutWeight, block.mlpOutBias);
        return new BlockOutput(graph.node("Add", List.of(x, out)), attention.weights());
    }

    /** (B, T, 3C) -> mixed values (B, T, C) and attention weights (B, H, T, T). */
    private AttentionOutput attention(String qkv, String name, String mask) {
        int c = config.embeddingDim();
        int headDim = config.headDim();
        String split = graph.int64s(name + ".split", new long[] {c, c, c}, 3);
        List<String> parts = graph.freshNames("qkv", 3);
        graph.nodeNamed("Split", List.of(qkv, split), parts, intAttribute("axis", -1));

        // (B, T, C) -> (B, T, H, D) -> q, v (B, H, T, D) and k (B, H, D, T)
        String heads =
                graph.int64s(name + ".heads", new long[] {0, 0, config.headCount(), headDim}, 4);
        String q = transpose(graph.node("Reshape", List.of(parts.get(0), heads)), 0, 2, 1, 3);
        String k = transpose(graph.node("Reshape", List.of(parts.get(1), heads)), 0, 2, 3, 1);
        String v = transpose(graph.node("Reshape", List.of(parts.get(2), heads)), 0, 2, 1, 3);

        // (B, H, T, D) x (B, H, D, T) -> (B, H, T, T)
        String scale = graph.floatScalar(name + ".scale", (float) (1.0 / Math.sqrt(headDim)));
        String scores = graph.node("Mul", List.of(graph.node("MatMul", List.of(q, k)), scale));
        String weights =
                graph.node(
                        "Softmax",
                        List.of(graph.node("Add", List.of(scores, mask))),
                        intAttribute("axis", -1));

        // (B, H, T, T) x (B, H, T, D) -> (B, H, T, D) -> (B, T, H, D) -> (B, T, C)
        String mixed = transpose(graph.node("MatMul", List.of(weights, v)), 0, 2, 1, 3);
        String merged = graph.int64s(name + ".merged", new long[] {0, 0, c}, 3);
        return new AttentionOutput(graph.node("Reshape", List.of(mixed, merged)), weights);
    }

    /** Newest position only: (B, T, C) -> (B, C) -> Gemm with the item table -> (B, V). */
    private void writeNextScores(String x) {
        String h = layerNorm(x, "final_norm", network.finalNormGamma, network.finalNormBeta);
        String newest = squeeze(sliceLast(h, 1), "axes_1", 1);
        graph.nodeNamed(
                "Gemm",
                List.of(newest, "item_embedding", vector("output_bias", network.outputBias)),
                List.of(GraphSignature.NEXT_SCORES),
                intAttribute("transB", 1));
    }

    /** L x (B, H, 1, T) -> (B, L·H, 1, T) -> mean over blocks and heads (B, T). */
    private void writeAttribution(List<String> newestAttention) {
        String all = graph.node("Concat", newestAttention, intAttribute("axis", 1));
        graph.nodeNamed(
                "ReduceMean",
                List.of(all),
                List.of(GraphSignature.ATTRIBUTION),
                intsAttribute("axes", 1, 2),
                intAttribute("keepdims", 0));
    }

    private String layerNorm(String x, String name, Parameter gamma, Parameter beta) {
        return graph.node(
                "LayerNormalization",
                List.of(x, vector(name + ".gamma", gamma), vector(name + ".beta", beta)),
                intAttribute("axis", -1),
                floatAttribute("epsilon", GptBlock.LAYER_NORM_EPS));
    }

    /** x W^T + b with W stored transposed as (in, out). */
    private String linear(String x, String name, Parameter weight, Parameter bias) {
        NDArray array = weight.getArray();
        long out = array.getShape().get(0);
        long in = array.getShape().get(1);
        float[] transposed = array.transpose().toFloatArray();
        String w = graph.floats(name + ".weight_t", transposed, in, out);
        String product = graph.node("MatMul", List.of(x, w));
        return graph.node("Add", List.of(product, vector(name + ".bias", bias)));
    }

    /** x/2 * (1 + erf(x / sqrt 2)), as {@link GptBlock#gelu}. */
    private String gelu(String x) {
        String half = graph.node("Mul", List.of(x, floatConstant("half", 0.5f)));
        String scaled =
                graph.node("Div", List.of(x, floatConstant("sqrt_two", (float) Math.sqrt(2.0))));
        String erf = graph.node("Erf", List.of(scaled));
        String onePlus = graph.node("Add", List.of(erf, floatConstant("one_f", 1f)));
        return graph.node("Mul", List.of(half, onePlus));
    }

    private String table(String name, Parameter parameter) {
        NDArray array = parameter.getArray();
        return graph.floats(name, array.toFloatArray(), array.getShape().getShape());
    }

    private String vector(String name, Parameter parameter) {
        NDArray array = parameter.getArray();
        return graph.floats(name, array.toFloatArray(), array.getShape().getShape());
    }

    private String gather(String table, String ids) {
        return graph.node("Gather", List.of(table, ids), intAttribute("axis", 0));
    }

    /** The scalar T, from the shape of item_ids. */
    private String timeSteps() {
        if (timeStepsName == null) {
            String shape = graph.node("Shape", List.of(GraphSignature.ITEM_IDS));
            timeStepsName = graph.node("Gather", List.of(shape, graph.int64Scalar("one_index", 1)));
        }
        return timeStepsName;
    }

    private String floatConstant(String name, float value) {
        if (!constants.contains(name)) {
            graph.floatScalar(name, value);
            constants.add(name);
        }
        return name;
    }

    private String unsqueeze(String x, String axesName, long... axes) {
        return graph.node("Unsqueeze", List.of(x, axesConstant(axesName, axes)));
    }

    private String squeeze(String x, String axesName, long... axes) {
        return graph.node("Squeeze", List.of(x, axesConstant(axesName, axes)));
    }

    private String axesConstant(String name, long... axes) {
        if (!constants.contains(name)) {
            graph.int64s(name, axes, axes.length);
            constants.add(name);
        }
        return name;
    }

    /** Keeps only the last index of one axis: size 1 there. */
    private String sliceLast(String x, long axis) {
        String starts = graph.int64s("slice_start_" + x, new long[] {-1}, 1);
        String ends = graph.int64s("slice_end_" + x, new long[] {LAST}, 1);
        String axes = graph.int64s("slice_axis_" + x, new long[] {axis}, 1);
        return graph.node("Slice", List.of(x, starts, ends, axes));
    }

    private String transpose(String x, long... perm) {
        return graph.node("Transpose", List.of(x), intsAttribute("perm", perm));
    }

    private String toFloat(String x) {
        return graph.node("Cast", List.of(x), intAttribute("to", 1));
    }

    private record BlockOutput(String x, String weights) {}

    private record AttentionOutput(String mixed, String weights) {}
}
