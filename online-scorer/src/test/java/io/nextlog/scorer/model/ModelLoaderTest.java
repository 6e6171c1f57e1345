package io.nextlog.scorer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.bundle.GraphSignature;
import io.nextlog.scorer.TestBundles;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.onnx.SessionFactory;
import io.nextlog.scorer.onnx.SessionSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading checks, on the real fixture bundle in the real ONNX Runtime. */
class ModelLoaderTest {

    private final ScorerMetrics metrics = new ScorerMetrics();
    private final ModelLoader loader =
            new ModelLoader(
                    new SessionFactory(SessionSettings.CPU_DEFAULTS, metrics),
                    metrics,
                    2,
                    Clock.systemUTC());

    @TempDir Path dir;

    @Test
    void shouldLoadTheKeptFormat1Fixture() throws Exception {
        LoadedModel model = loader.load(TestBundles.fixture());

        assertEquals("fixture-format-1", model.version());
        assertEquals(1, model.references());
        model.release();
        assertEquals(0, metrics.refusedBundles.sum());
    }

    @Test
    void shouldRefuseABundleWithAChangedGraphNamingFileAndHashes() {
        Path bundle = TestBundles.corrupt(dir, "v-corrupt");

        BundleRefusedException e =
                assertThrows(BundleRefusedException.class, () -> loader.load(bundle));

        assertEquals("file sha256 of model.onnx", e.check());
        assertEquals(64, e.expected().length());
        assertTrue(e.getMessage().contains(bundle.toString()), e.getMessage());
        assertTrue(!e.expected().equals(e.found()), e.getMessage());
        assertEquals(1, metrics.refusedBundles.sum());
    }

    @Test
    void shouldRefuseAnUnknownSignature() {
        GraphSignature other =
                new GraphSignature(
                        GraphSignature.NEXT_LOG_V1.inputs(),
                        List.of(GraphSignature.NEXT_LOG_V1.outputs().get(0)));
        Path bundle = TestBundles.withSignature(dir, "v-signature", other);

        BundleRefusedException e =
                assertThrows(BundleRefusedException.class, () -> loader.load(bundle));

        assertEquals(ModelLoader.CHECK_SIGNATURE, e.check());
        assertTrue(e.expected().contains("attribution"), e.getMessage());
    }

    @Test
    void shouldRejectModelWithWrongVocabulary() {
        Path bundle = TestBundles.withVocabularySize(dir, "v-vocab", 20);

        BundleRefusedException e =
                assertThrows(BundleRefusedException.class, () -> loader.load(bundle));

        assertEquals(ModelLoader.CHECK_VOCABULARY, e.check());
        assertTrue(e.expected().contains("20"), e.getMessage());
        assertTrue(e.found().contains("12"), e.getMessage());
    }

    @Test
    void shouldRefuseAReleaseWhoseVersionOrManifestHashDiffers() throws Exception {
        Path bundle = TestBundles.withVersion(dir, "v2");
        String sha = ModelLoader.manifestSha256Of(bundle);

        BundleRefusedException version =
                assertThrows(BundleRefusedException.class, () -> loader.load(bundle, "v3", sha));
        BundleRefusedException hash =
                assertThrows(
                        BundleRefusedException.class,
                        () -> loader.load(bundle, "v2", "00".repeat(32)));

        assertEquals(ModelLoader.CHECK_VERSION, version.check());
        assertEquals("v3", version.expected());
        assertEquals("v2", version.found());
        assertEquals(ModelLoader.CHECK_MANIFEST_SHA256, hash.check());
        assertEquals(sha, hash.found());
        loader.load(bundle, "v2", sha).release();
    }
}
