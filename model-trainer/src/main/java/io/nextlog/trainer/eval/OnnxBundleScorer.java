package io.nextlog.trainer.eval;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenBatch;
import io.nextlog.tokenize.Vocabulary;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Scores journeys with a bundle's exported graph in ONNX Runtime on the CPU, as the scorers will:
 * what a release is validated with, so the artifact checked is the artifact served.
 *
 * <p>Scores come back in the columns of a given vocabulary, which may be larger than the bundle's
 * own: ids the bundle has not assigned score {@link Float#NEGATIVE_INFINITY}, so a model that never
 * heard of an item never ranks it. Not thread-safe; close it to free the session.
 */
public final class OnnxBundleScorer implements Scorer, AutoCloseable {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final ModelBundle bundle;
    private final JourneyTokenizer tokenizer;

    /**
     * Opens a session on a bundle's graph.
     *
     * @throws OrtException if ONNX Runtime refuses the graph
     */
    public OnnxBundleScorer(ModelBundle bundle) throws OrtException {
        this.bundle = bundle;
        this.tokenizer = bundle.tokenizer();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            this.session = environment.createSession(bundle.onnxModel().toString(), options);
        }
    }

    @Override
    public float[][] score(List<List<JourneyStep>> journeys) {
        TokenBatch batch = tokenizer.tokenize(journeys);
        int vocabulary = bundle.vocabulary().size();
        float[] flat;
        try (OnnxTensor items = tensor(batch.itemIds(), batch);
                OnnxTensor domains = tensor(batch.domainIds(), batch);
                OnnxTensor gaps = tensor(batch.gapBuckets(), batch);
                OrtSession.Result result =
                        session.run(
                                Map.of(
                                        GraphSignature.ITEM_IDS, items,
                                        GraphSignature.DOMAIN_IDS, domains,
                                        GraphSignature.GAP_BUCKETS, gaps))) {
            OnnxTensor scores = (OnnxTensor) result.get(GraphSignature.NEXT_SCORES).orElseThrow();
            FloatBuffer buffer = scores.getFloatBuffer();
            flat = new float[buffer.remaining()];
            buffer.get(flat);
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "model " + bundle.modelVersion() + ": ONNX Runtime failed to score", e);
        }
        if (flat.length != journeys.size() * vocabulary) {
            throw new IllegalStateException(
                    "model "
                            + bundle.modelVersion()
                            + ": expected "
                            + journeys.size()
                            + " x "
                            + vocabulary
                            + " scores, found "
                            + flat.length);
        }
        float[][] rows = new float[journeys.size()][];
        for (int row = 0; row < rows.length; row++) {
            rows[row] = new float[vocabulary];
            System.arraycopy(flat, row * vocabulary, rows[row], 0, vocabulary);
        }
        return rows;
    }

    /**
     * Returns a scorer whose columns follow a larger vocabulary that extends this bundle's (same
     * ids for the items both know): columns this bundle has not assigned score minus infinity.
     */
    public Scorer inColumnsOf(Vocabulary wider) {
        int assignedEnd = Vocabulary.FIRST_ITEM_ID + bundle.vocabulary().items().size();
        return journeys -> {
            float[][] own = score(journeys);
            float[][] rows = new float[own.length][];
            for (int row = 0; row < own.length; row++) {
                rows[row] = new float[wider.size()];
                Arrays.fill(rows[row], Float.NEGATIVE_INFINITY);
                System.arraycopy(own[row], 0, rows[row], 0, Math.min(assignedEnd, wider.size()));
            }
            return rows;
        };
    }

    private OnnxTensor tensor(long[] ids, TokenBatch batch) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), batch.shape());
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
