package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.tokenize.TokenBatch;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The trainer still restores and the graph still runs from the format-1 fixture bundle. */
class FixtureBundleTest {

    @Test
    void shouldRestoreFormat1FixtureAndMatchItsGraph() throws Exception {
        ModelBundle bundle = BundleReader.read(FixtureBundles.FORMAT_1);
        bundle.requireSignature(GraphSignature.NEXT_LOG_V1);
        TokenBatch batch =
                bundle.tokenizer().tokenize(new SyntheticJourneys(9, 6).journeys(4, 1, 9));

        Prediction onnx;
        try (OnnxScorer scorer = new OnnxScorer(Files.readAllBytes(bundle.onnxModel()))) {
            onnx = scorer.run(batch);
        }
        try (GptTrainer restored =
                GptTrainer.restore(bundle.config(), bundle.checkpointDirectory())) {
            Prediction djl = restored.predict(batch);

            assertEquals(5, restored.steps());
            assertTrue(GptOnnxParityTest.maxAbsDelta(djl.nextScores(), onnx.nextScores()) <= 1e-4f);
            assertArrayEquals(
                    GptOnnxParityTest.top(djl.scoresOf(0), 5),
                    GptOnnxParityTest.top(onnx.scoresOf(0), 5));
        }
    }
}
