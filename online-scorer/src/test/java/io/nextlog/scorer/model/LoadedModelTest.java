package io.nextlog.scorer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.scorer.TestBundles;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.onnx.SessionFactory;
import io.nextlog.scorer.onnx.SessionSettings;
import io.nextlog.tokenize.TokenBatch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serving forward pass, on reused pinned buffers, against ONNX Runtime's own outputs. */
class LoadedModelTest {

    private LoadedModel model;

    @BeforeEach
    void load() throws Exception {
        ScorerMetrics metrics = new ScorerMetrics();
        ModelLoader loader =
                new ModelLoader(
                        new SessionFactory(SessionSettings.CPU_DEFAULTS, metrics),
                        metrics,
                        1,
                        Clock.systemUTC());
        model = loader.load(TestBundles.fixture());
    }

    @AfterEach
    void release() {
        model.release();
    }

    @Test
    void shouldReadFromReusedBuffersWhatOnnxRuntimeReturnsForEveryBatchShape() throws Exception {
        int maxLength = model.bundle().config().tokenizer().maxLength();
        // Growing, shrinking and growing again: the buffers are reused and resized in between.
        int[][] shapes = {{3, maxLength}, {1, 2}, {5, maxLength}, {2, 1}};

        for (int[] shape : shapes) {
            TokenBatch batch = model.tokenizer().tokenize(journeys(shape[0], maxLength), shape[1]);
            ForwardOutput expected = model.forwardUnpinned(batch);
            try (ForwardOutput pinned = model.forward(batch)) {
                assertSameOutputs(expected, pinned);
            }
        }
        assertEquals(1, model.idlePassBuffers());
    }

    @Test
    void shouldHandBuffersBackOnceWhenClosedTwice() throws Exception {
        TokenBatch batch = model.tokenizer().tokenize(journeys(2, 3));

        ForwardOutput first = model.forward(batch);
        first.close();
        first.close();

        assertEquals(1, model.idlePassBuffers());
    }

    private static void assertSameOutputs(ForwardOutput expected, ForwardOutput actual) {
        assertEquals(expected.batchSize(), actual.batchSize());
        assertEquals(expected.scoreCount(), actual.scoreCount());
        assertEquals(expected.attributionCount(), actual.attributionCount());
        for (int row = 0; row < expected.batchSize(); row++) {
            for (int id = 0; id < expected.vocabularySize(); id++) {
                assertEquals(expected.score(row, id), actual.score(row, id), 1e-6f);
            }
            for (int column = 0; column < expected.timeSteps(); column++) {
                assertEquals(
                        expected.attribution(row, column), actual.attribution(row, column), 1e-6f);
            }
        }
    }

    private List<List<JourneyStep>> journeys(int count, int maxLength) {
        List<String> items = model.bundle().vocabulary().items();
        Domain[] domains = Domain.values();
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        List<List<JourneyStep>> journeys = new ArrayList<>();
        for (int row = 0; row < count; row++) {
            List<JourneyStep> journey = new ArrayList<>();
            for (int step = 0; step <= (row * 3) % maxLength; step++) {
                journey.add(
                        new JourneyStep(
                                items.get((row * 7 + step) % items.size()),
                                domains[1 + (row + step) % (domains.length - 1)],
                                start.plusSeconds(90L * step)));
            }
            journeys.add(journey);
        }
        return journeys;
    }
}
