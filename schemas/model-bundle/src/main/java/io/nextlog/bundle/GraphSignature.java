package io.nextlog.bundle;

import java.util.List;

/**
 * The inputs and outputs of a bundle's ONNX graph, by name, element type and shape; stored in the
 * manifest so a scorer can refuse a graph it does not know how to feed.
 *
 * @param inputs the graph inputs in order
 * @param outputs the graph outputs in order
 */
public record GraphSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    /** Input: item ids, int64 (B, T), left-padded with 0. */
    public static final String ITEM_IDS = "item_ids";

    /** Input: domain ids, int64 (B, T), left-padded with 0. */
    public static final String DOMAIN_IDS = "domain_ids";

    /** Input: time-gap bucket ids, int64 (B, T), left-padded with 0. */
    public static final String GAP_BUCKETS = "gap_buckets";

    /** Output: scores (logits) over the item vocabulary for the next event, float (B, V). */
    public static final String NEXT_SCORES = "next_scores";

    /**
     * Output: how much each position drove the prediction, float (B, T): the newest event's
     * attention weights, averaged over every head of every block. Sums to 1 over real positions; 0
     * on padding. Averaging over blocks, not just the last one, matters: on journeys with a planted
     * cause, a 2-block model found the cause with its first block and the last block's attention
     * alone pointed at it in only 23% of journeys.
     */
    public static final String ATTRIBUTION = "attribution";

    /** The signature of the next-log GPT graph, version 1. */
    public static final GraphSignature NEXT_LOG_V1 =
            new GraphSignature(
                    List.of(
                            new TensorSpec(ITEM_IDS, "int64", List.of("B", "T")),
                            new TensorSpec(DOMAIN_IDS, "int64", List.of("B", "T")),
                            new TensorSpec(GAP_BUCKETS, "int64", List.of("B", "T"))),
                    List.of(
                            new TensorSpec(NEXT_SCORES, "float", List.of("B", "V")),
                            new TensorSpec(ATTRIBUTION, "float", List.of("B", "T"))));

    /** Copies the lists. */
    public GraphSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * One graph input or output.
     *
     * @param name the tensor name in the graph
     * @param elementType the ONNX element type in lower case, such as {@code int64}
     * @param dims the dimensions by letter: B batch, T time steps, V vocabulary
     */
    public record TensorSpec(String name, String elementType, List<String> dims) {

        /** Copies the dims. */
        public TensorSpec {
            dims = List.copyOf(dims);
        }
    }
}
