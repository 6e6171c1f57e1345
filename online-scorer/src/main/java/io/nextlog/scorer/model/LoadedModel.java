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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private final int vocabularySize;
    private final Queue<PassBuffers> idleBuffers = new ConcurrentLinkedQueue<>();
    private volatile Instant loadedAt = Instant.EPOCH;
    private final AtomicInteger references = new AtomicInteger(1);

    LoadedModel(ModelBundle bundle, OrtEnvironment environment, OrtSession session) {
        this.bundle = bundle;
        this.environment = environment;
        this.session = session;
        this.tokenizer = bundle.tokenizer();
        this.vocabularySize = bundle.vocabulary().size();
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
     * Runs one forward pass into buffers this model reuses from pass to pass.
     *
     * <p>The inputs are copied into direct buffers and the graph writes its outputs straight into
     * direct buffers of the right shape (pinned outputs), so a pass allocates no tensors' worth of
     * memory and copies no output. A serving hot path: at B 64 and V 10,000 the scores alone are
     * 2.5 MB a pass. Each concurrent caller holds its own buffers until it closes the output.
     *
     * @return the outputs; the caller must close them, which hands the buffers back
     * @throws OrtException if ONNX Runtime fails
     */
    public ForwardOutput forward(TokenBatch batch) throws OrtException {
        PassBuffers buffers = idleBuffers.poll();
        if (buffers == null) {
            buffers = new PassBuffers();
        }
        try {
            runInto(buffers, batch);
            PassBuffers used = buffers;
            return new ForwardOutput(
                    batch.batchSize(),
                    batch.timeSteps(),
                    vocabularySize,
                    used.scores,
                    used.attribution,
                    () -> idleBuffers.offer(used));
        } catch (OrtException | RuntimeException e) {
            idleBuffers.offer(buffers);
            throw e;
        }
    }

    /**
     * Runs one forward pass into outputs ONNX Runtime allocates itself, whatever their shape: how
     * the loader checks that the graph's outputs have the shapes the pinned buffers of {@link
     * #forward} assume.
     */
    ForwardOutput forwardUnpinned(TokenBatch batch) throws OrtException {
        try (OnnxTensor items = heapTensor(batch.itemIds(), batch);
                OnnxTensor domains = heapTensor(batch.domainIds(), batch);
                OnnxTensor gaps = heapTensor(batch.gapBuckets(), batch);
                OrtSession.Result result = session.run(inputs(items, domains, gaps))) {
            return new ForwardOutput(
                    batch.batchSize(),
                    batch.timeSteps(),
                    vocabularySize,
                    floats(result, GraphSignature.NEXT_SCORES),
                    floats(result, GraphSignature.ATTRIBUTION),
                    null);
        }
    }

    /** Returns the number of pass buffers waiting for a caller, for tests. */
    int idlePassBuffers() {
        return idleBuffers.size();
    }

    private void runInto(PassBuffers buffers, TokenBatch batch) throws OrtException {
        int rows = batch.batchSize();
        long[] idShape = batch.shape();
        buffers.fit(rows * batch.timeSteps(), rows * vocabularySize);

        // (B, T) ids in; (B, V) scores and (B, T) attribution out, written where we read them.
        try (OnnxTensor items = directTensor(buffers.items, batch.itemIds(), idShape);
                OnnxTensor domains = directTensor(buffers.domains, batch.domainIds(), idShape);
                OnnxTensor gaps = directTensor(buffers.gaps, batch.gapBuckets(), idShape);
                OnnxTensor scores =
                        OnnxTensor.createTensor(
                                environment, buffers.scores, new long[] {rows, vocabularySize});
                OnnxTensor attribution =
                        OnnxTensor.createTensor(environment, buffers.attribution, idShape);
                OrtSession.Result unpinned =
                        session.run(
                                inputs(items, domains, gaps),
                                Map.of(
                                        GraphSignature.NEXT_SCORES, scores,
                                        GraphSignature.ATTRIBUTION, attribution))) {
            // Every output is pinned, so the result holds nothing to read.
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

    private static Map<String, OnnxTensor> inputs(
            OnnxTensor items, OnnxTensor domains, OnnxTensor gaps) {
        return Map.of(
                GraphSignature.ITEM_IDS, items,
                GraphSignature.DOMAIN_IDS, domains,
                GraphSignature.GAP_BUCKETS, gaps);
    }

    private OnnxTensor heapTensor(long[] ids, TokenBatch batch) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), batch.shape());
    }

    /** A tensor over a direct buffer holding a copy of {@code ids}; ONNX Runtime copies nothing. */
    private OnnxTensor directTensor(LongBuffer buffer, long[] ids, long[] shape)
            throws OrtException {
        buffer.clear();
        buffer.put(ids);
        buffer.flip();
        return OnnxTensor.createTensor(environment, buffer, shape);
    }

    private static FloatBuffer floats(OrtSession.Result result, String name) throws OrtException {
        OnnxValue value =
                result.get(name)
                        .orElseThrow(
                                () ->
                                        new OrtException(
                                                "graph output: expected " + name + ", found none"));
        // A heap copy, so it outlives the result.
        return ((OnnxTensor) value).getFloatBuffer();
    }

    /**
     * The direct buffers of one caller's passes, in native order as ONNX Runtime wants them. They
     * grow to the largest batch seen and never shrink; the garbage collector frees them with the
     * model.
     */
    private static final class PassBuffers {

        private LongBuffer items = LongBuffer.allocate(0);
        private LongBuffer domains = LongBuffer.allocate(0);
        private LongBuffer gaps = LongBuffer.allocate(0);
        private FloatBuffer scores = FloatBuffer.allocate(0);
        private FloatBuffer attribution = FloatBuffer.allocate(0);

        /** Makes room for {@code idCount} ids per input and {@code scoreCount} scores. */
        void fit(int idCount, int scoreCount) {
            if (items.capacity() < idCount) {
                items = directLongs(idCount);
                domains = directLongs(idCount);
                gaps = directLongs(idCount);
                attribution = directFloats(idCount);
            }
            if (scores.capacity() < scoreCount) {
                scores = directFloats(scoreCount);
            }
            scores.clear().limit(scoreCount);
            attribution.clear().limit(idCount);
        }

        private static LongBuffer directLongs(int count) {
            return ByteBuffer.allocateDirect(count * Long.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asLongBuffer();
        }

        private static FloatBuffer directFloats(int count) {
            return ByteBuffer.allocateDirect(count * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
    }

    @Override
    public String toString() {
        return "LoadedModel[" + version() + " from " + bundle.directory() + "]";
    }
}
