package io.nextlog.scorer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.scorer.TestBundles;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.onnx.SessionFactory;
import io.nextlog.scorer.onnx.SessionSettings;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference counting across swaps. */
class ModelSlotsTest {

    private final ScorerMetrics metrics = new ScorerMetrics();
    private final ModelLoader loader =
            new ModelLoader(
                    new SessionFactory(SessionSettings.CPU_DEFAULTS, metrics),
                    metrics,
                    1,
                    Clock.systemUTC());

    @TempDir Path dir;

    @Test
    void shouldKeepAModelOpenUntilItsLastLeaseEnds() throws Exception {
        LoadedModel v1 = loader.load(TestBundles.withVersion(dir, "v1"));
        LoadedModel baseline = loader.load(TestBundles.fixture());
        LoadedModel v2 = loader.load(TestBundles.withVersion(dir, "v2"));
        LoadedModel v3 = loader.load(TestBundles.withVersion(dir, "v3"));
        ModelSlots slots = new ModelSlots(v1, baseline);

        ModelLease running = slots.acquire(ModelSlot.LIVE);
        slots.promote(v2);
        slots.promote(v3);

        assertEquals("v3", slots.version(ModelSlot.LIVE));
        assertEquals("v2", slots.version(ModelSlot.PREVIOUS));
        assertEquals("v1", running.model().version());
        assertEquals(1, v1.references(), "only the running batch holds v1");
        running.close();
        assertEquals(0, v1.references());
        assertFalse(v1.tryRetain(), "a closed model cannot be leased again");
        slots.close();
        assertEquals(0, v3.references());
    }

    @Test
    void shouldSwitchBackToThePreviousModelWithoutLoading() throws Exception {
        LoadedModel v1 = loader.load(TestBundles.withVersion(dir, "v1"));
        LoadedModel v2 = loader.load(TestBundles.withVersion(dir, "v2"));
        ModelSlots slots = new ModelSlots(v1, v1);

        assertFalse(slots.switchBack());
        slots.promote(v2);
        assertTrue(slots.switchBack());

        assertEquals("v1", slots.version(ModelSlot.LIVE));
        assertEquals("v2", slots.version(ModelSlot.PREVIOUS));
        assertEquals("v1", slots.version(ModelSlot.BASELINE));
        slots.close();
    }
}
