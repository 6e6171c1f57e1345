package io.nextlog.scorer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.scorer.TestBundles;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.LoadedModel;
import io.nextlog.scorer.model.ModelLoader;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The CUDA provider on the CPU build of ONNX Runtime, which cannot add it: the same path a machine
 * without CUDA 12 libraries takes with the gpu build.
 */
class SessionFactoryTest {

    private static final SessionSettings CUDA = new SessionSettings(true, false, 0, 1, 1, "all");

    @Test
    void shouldFailStartUpWithTheReasonWhenCudaCannotLoad() {
        ScorerMetrics metrics = new ScorerMetrics();
        SessionFactory factory = new SessionFactory(CUDA, metrics);

        ExecutionProviderException e =
                assertThrows(
                        ExecutionProviderException.class,
                        () -> factory.open(TestBundles.fixture().resolve("model.onnx")));

        assertTrue(e.getMessage().startsWith("execution provider cuda (device 0): expected it"));
        assertTrue(e.getMessage().contains("fallback-to-cpu"), e.getMessage());
        assertTrue(e.getMessage().contains("is the CPU build"), e.getMessage());
        assertEquals(0, metrics.providerFallbacks.sum());
    }

    @Test
    void shouldFallBackToCpuWhenConfiguredAndCountIt() throws Exception {
        ScorerMetrics metrics = new ScorerMetrics();
        SessionSettings fallback = new SessionSettings(true, true, 0, 1, 1, "basic");
        ModelLoader loader =
                new ModelLoader(
                        new SessionFactory(fallback, metrics), metrics, 1, Clock.systemUTC());

        LoadedModel first = loader.load(TestBundles.fixture());
        LoadedModel second = loader.load(TestBundles.fixture());

        assertEquals(2, metrics.providerFallbacks.sum());
        assertEquals("fixture-format-1", second.version());
        assertTrue(first.loadedAt().toEpochMilli() > 0);
    }
}
