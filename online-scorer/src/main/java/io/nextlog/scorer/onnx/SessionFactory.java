package io.nextlog.scorer.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.nextlog.scorer.metrics.ScorerMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ONNX Runtime sessions with the configured provider, threads and optimisation level.
 *
 * <p>With CUDA configured, a provider that cannot be added (the CPU build of ONNX Runtime, missing
 * CUDA 12 or cuDNN libraries, no device) fails with {@link ExecutionProviderException} naming the
 * reason: ONNX Runtime's message, plus which build is on the class path or which libraries the
 * dynamic linker cannot find; or, with {@code cudaFallbackToCpu}, the session runs on CPU: the
 * first fallback is logged at WARN, every one is counted in {@link
 * ScorerMetrics#providerFallbacks}. Thread-safe.
 */
public final class SessionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

    /** What ONNX Runtime says when its jar has no CUDA provider at all. */
    private static final String CPU_BUILD_MESSAGE = "Failed to find CUDA shared provider";

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final SessionSettings settings;
    private final ScorerMetrics metrics;
    private final AtomicBoolean fallbackLogged = new AtomicBoolean();

    /** Creates a factory; sessions are created by {@link #open}. */
    public SessionFactory(SessionSettings settings, ScorerMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Returns the process-wide ONNX Runtime environment. */
    public OrtEnvironment environment() {
        return environment;
    }

    /**
     * Opens a session on a graph file.
     *
     * @throws ExecutionProviderException if CUDA is configured without fallback and cannot load
     * @throws OrtException if ONNX Runtime cannot load the graph
     */
    public OrtSession open(Path onnxModel) throws OrtException {
        try (OrtSession.SessionOptions options = options()) {
            return environment.createSession(onnxModel.toString(), options);
        }
    }

    private OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(optLevel(settings.optimizationLevel()));
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            if (settings.interOpThreads() > 0) {
                options.setInterOpNumThreads(settings.interOpThreads());
            }
            if (settings.cuda()) {
                addCuda(options);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private void addCuda(OrtSession.SessionOptions options) {
        try {
            options.addCUDA(settings.cudaDeviceId());
        } catch (OrtException | LinkageError | RuntimeException e) {
            String reason = reasonOf(e);
            if (!settings.cudaFallbackToCpu()) {
                throw new ExecutionProviderException(
                        "execution provider cuda (device "
                                + settings.cudaDeviceId()
                                + "): expected it to load, found: "
                                + reason
                                + "; set scorer.onnx.cuda.fallback-to-cpu=true to run on CPU",
                        e);
            }
            metrics.providerFallbacks.increment();
            if (fallbackLogged.compareAndSet(false, true)) {
                LOG.warn(
                        "CUDA provider (device {}) could not load, scoring on CPU instead: {}",
                        settings.cudaDeviceId(),
                        reason);
            }
        }
    }

    /**
     * ONNX Runtime's message, plus what it leaves out: the jar it ran from, the missing library.
     */
    private static String reasonOf(Throwable e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains(CPU_BUILD_MESSAGE)) {
            return message
                    + " (the ONNX Runtime on the class path is the CPU build; build the scorer"
                    + " with -Pgpu for onnxruntime_gpu)";
        }
        List<String> missing = CudaLibraries.missingHere();
        if (missing.isEmpty()) {
            return message;
        }
        return message
                + " (not found by the dynamic linker: "
                + String.join(", ", missing)
                + "; the CUDA provider needs CUDA 12 and cuDNN 9 on LD_LIBRARY_PATH)";
    }

    private static OptLevel optLevel(String level) {
        return switch (level) {
            case "none" -> OptLevel.NO_OPT;
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            default -> OptLevel.ALL_OPT;
        };
    }
}
