package io.nextlog.scorer.onnx;

import io.nextlog.scorer.config.ScorerConfig;
import io.nextlog.scorer.config.ScorerOptions;

/**
 * How ONNX Runtime sessions are created.
 *
 * @param cuda whether to run on the CUDA provider
 * @param cudaFallbackToCpu with {@code cuda}: run on CPU when CUDA cannot load, instead of failing
 * @param cudaDeviceId the CUDA device
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose
 * @param interOpThreads threads across operators; 0 lets ONNX Runtime choose
 * @param optimizationLevel none, basic, extended or all
 */
public record SessionSettings(
        boolean cuda,
        boolean cudaFallbackToCpu,
        int cudaDeviceId,
        int intraOpThreads,
        int interOpThreads,
        String optimizationLevel) {

    /** CPU, ONNX Runtime's own thread counts, all optimisations. */
    public static final SessionSettings CPU_DEFAULTS =
            new SessionSettings(false, false, 0, 0, 0, "all");

    /** Reads the {@code scorer.onnx.*} options. */
    public static SessionSettings from(ScorerConfig config) {
        return new SessionSettings(
                config.get(ScorerOptions.ONNX_PROVIDER).equals("cuda"),
                config.get(ScorerOptions.ONNX_CUDA_FALLBACK_TO_CPU),
                config.get(ScorerOptions.ONNX_CUDA_DEVICE),
                config.get(ScorerOptions.ONNX_INTRA_OP_THREADS),
                config.get(ScorerOptions.ONNX_INTER_OP_THREADS),
                config.get(ScorerOptions.ONNX_OPTIMIZATION));
    }
}
