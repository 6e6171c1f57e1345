package io.nextlog.trainer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.tokenize.TokenBatch;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/** Runs an exported graph in ONNX Runtime, the way a scorer will. */
final class OnnxScorer implements AutoCloseable {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxScorer(byte[] model) throws OrtException {
        this.session = environment.createSession(model, new OrtSession.SessionOptions());
    }

    Prediction run(TokenBatch batch) throws OrtException {
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
            return new Prediction(batch.batchSize(), scores, attribution);
        }
    }

    private OnnxTensor tensor(long[] ids, TokenBatch batch) throws OrtException {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), batch.shape());
    }

    private static float[] floats(OrtSession.Result result, String name) {
        OnnxTensor tensor = (OnnxTensor) result.get(name).orElseThrow();
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
