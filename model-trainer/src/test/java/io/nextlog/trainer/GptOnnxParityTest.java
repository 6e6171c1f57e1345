package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.bundle.ModelConfig;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenBatch;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ONNX Runtime on the exported graph gives what DJL gives on the trained network. */
class GptOnnxParityTest {

    private static final int MAX_LENGTH = 24;
    private static final ModelConfig CONFIG =
            new ModelConfig(160, new TokenizerSpec(MAX_LENGTH, 32, 16), 32, 2, 2, 64);
    private static final float TOLERANCE = 1e-4f;

    private static SyntheticJourneys data;
    private static JourneyTokenizer tokenizer;
    private static GptTrainer trainer;
    private static OnnxScorer scorer;

    @BeforeAll
    static void trainAndExport() throws Exception {
        data = new SyntheticJourneys(11, 150);
        List<List<JourneyStep>> journeys = data.journeys(256, 2, MAX_LENGTH + 8);
        Vocabulary vocabulary = Vocabulary.fromCounts(SyntheticJourneys.counts(journeys), 1, 0);
        vocabulary = Vocabulary.of(CONFIG.vocabularySize(), vocabulary.items());
        tokenizer = new JourneyTokenizer(vocabulary, CONFIG.tokenizer());

        trainer = GptTrainer.create(CONFIG, 3, 3e-3f);
        for (int step = 0; step < 20; step++) {
            List<List<JourneyStep>> batch = journeys.subList((step % 4) * 64, (step % 4 + 1) * 64);
            trainer.trainStep(TrainingBatch.of(tokenizer, batch, MAX_LENGTH));
        }
        scorer = new OnnxScorer(trainer.exportOnnx());
    }

    @AfterAll
    static void close() throws Exception {
        scorer.close();
        trainer.close();
    }

    @ParameterizedTest(name = "batch {0}, journeys of {1}..{2} events")
    @CsvSource({"1, 3, 3", "1, 40, 40", "64, 1, 6", "64, 30, 60", "64, 1, 60"})
    void shouldMatchDjlForward(int batchSize, int minLength, int maxLength) throws Exception {
        TokenBatch batch = tokenizer.tokenize(data.journeys(batchSize, minLength, maxLength));

        Prediction djl = trainer.predict(batch);
        Prediction onnx = scorer.run(batch);

        float scoreDelta = maxAbsDelta(djl.nextScores(), onnx.nextScores());
        float attributionDelta = maxAbsDelta(djl.attribution(), onnx.attribution());
        System.out.printf(
                "parity batch %d, lengths %d..%d: max |d| scores %.3g, attribution %.3g%n",
                batchSize, minLength, maxLength, scoreDelta, attributionDelta);
        assertTrue(scoreDelta <= TOLERANCE, "max |d| on scores " + scoreDelta);
        assertTrue(attributionDelta <= TOLERANCE, "max |d| on attribution " + attributionDelta);
        for (int row = 0; row < batchSize; row++) {
            assertArrayEquals(top(djl.scoresOf(row), 10), top(onnx.scoresOf(row), 10));
        }
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1", "64"})
    void shouldAttributeOnlyRealEventsSummingToOne(int batchSize) throws Exception {
        TokenBatch batch = tokenizer.tokenize(data.journeys(batchSize, 1, 30));

        Prediction onnx = scorer.run(batch);

        for (int row = 0; row < batchSize; row++) {
            float[] attribution = onnx.attributionOf(row);
            int padded = batch.timeSteps() - batch.length(row);
            double sum = 0;
            for (int t = 0; t < attribution.length; t++) {
                if (t < padded) {
                    assertEquals(0f, attribution[t], "padded position " + t + " of row " + row);
                }
                sum += attribution[t];
            }
            assertEquals(1.0, sum, 1e-5, "attribution sum of row " + row);
        }
    }

    @ParameterizedTest(name = "T {0}")
    @CsvSource({"8", "12"})
    void shouldNotDependOnPaddingLength(int timeSteps) throws Exception {
        List<List<JourneyStep>> journeys = data.journeys(16, 1, 8);
        TokenBatch full = tokenizer.tokenize(journeys);
        TokenBatch short_ = tokenizer.tokenize(journeys, timeSteps);

        Prediction fromFull = scorer.run(full);
        Prediction fromShort = scorer.run(short_);

        assertTrue(maxAbsDelta(fromFull.nextScores(), fromShort.nextScores()) <= TOLERANCE);
    }

    static float maxAbsDelta(float[] a, float[] b) {
        assertEquals(a.length, b.length, "array lengths");
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static int[] top(float[] scores, int k) {
        return IntStream.range(0, scores.length)
                .boxed()
                .sorted((i, j) -> Float.compare(scores[j], scores[i]))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }
}
