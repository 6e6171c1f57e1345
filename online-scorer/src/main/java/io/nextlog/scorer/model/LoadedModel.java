package io.nextlog.scorer.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenBatch;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A verified, warmed-up model: its bundle and its ONNX Runtime session, reference counted.
 *
 * <p>It starts with one reference, owned by whoever loaded it. {@link ModelSlots} holds one per
 * slot the model occupies and every {@link ModelLease} holds one; the session closes when the last
 * reference is released, so a batch that started on a model finishes on it even if the model was
 * swapped out meanwhile. {@link #forward} may run on many threads at once (ONNX Runtime sessions
 * allow concurrent runs); it must only be called while holding a reference.
 */
public final class LoadedModel {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);

    private final ModelBundle bundle;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final JourneyTokenizer tokenizer;
    private volatile Instant loadedAt = Instant.EPOCH;
    private final AtomicInteger references = new AtomicInteger(1);

    LoadedModel(ModelBundle bundle, OrtEnvironment environment, OrtSession session) {
        this.bundle = bundle;
        this.environment = environment;
        this.session = session;
        this.tokenizer = bundle.tokenizer();
    }

    void stampLoaded(Instant when) {
        this.loadedAt = when;
    }

    /** Returns the model version. */
    public String version() {
        return bundle.modelVersion();
    }

    /** Returns the bundle it was loaded from. */
    public ModelBundle bundle() {
        return bundle;
    }

    /** Returns the tokenizer of this model's vocabulary and settings. */
    public JourneyTokenizer tokenizer() {
        return tokenizer;
    }

    /** Returns when the model finished loading and warming up. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /**
     * Runs one forward pass.
     *
     * @throws OrtException if ONNX Runtime fails
     */
    public ForwardOutput forward(TokenBatch batch) throws OrtException {
        try (OnnxTensor items = tensor(batch.itemIds(), batch);
                OnnxTensor domains = tensor(batch.domainIds(), batch);
                OnnxTensor gaps = tensor(batch.gapBuckets(), batch);
                OrtSession.Result result =
                        session.run(
                                Map.of(
                                        GraphSignature.ITEM_IDS, items,
                                        GraphSignature.DOMAIN_IDS, domains,
                                        GraphSignature.GAP_BUCKETS, gaps))) {
            float[] scores = floats(result, GraphSignature.NEXT_SCORES);
            float[] attribution = floats(result, GraphSignature.ATTRIBUTION);
            int vocabularySize = scores.length / Math.max(1, batch.batchSize());
            return new ForwardOutput(
                    batch.batchSize(), batch.timeSteps(), vocabularySize, scores, attribution);
        }
    }

    OrtSession session() {
        return session;
    }

    /** Adds a reference unless the model is already closed; returns whether it did. */
    boolean tryRetain() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the session. */
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            closeSession();
        } else if (left < 0) {
            throw new IllegalStateException(
                    "model " + version() + ": expected a reference to release, found none");
        }
    }

    /** Returns the number of references held, for tests and diagnostics. */
    int references() {
        return references.get();
    }

    private void closeSession() {
        try {
            session.close();
            LOG.info("Closed model {} after its last user", version());
        } catch (OrtException e) {
            LOG.warn("Closing the session of model {} failed", version(), e);
        }
    }

    private OnnxTensor tensor(long[] ids, TokenBatch batch) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), batch.shape());
    }

    private static float[] floats(OrtSession.Result result, String name) throws OrtException {
        OnnxValue value =
                result.get(name)
                        .orElseThrow(
                                () ->
                                        new OrtException(
                                                "graph output: expected " + name + ", found none"));
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    @Override
    public String toString() {
        return "LoadedModel[" + version() + " from " + bundle.directory() + "]";
    }
}
