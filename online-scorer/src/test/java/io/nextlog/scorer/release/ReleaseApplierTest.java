package io.nextlog.scorer.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.ReleaseKind;
import io.nextlog.scorer.TestBundles;
import io.nextlog.scorer.TestScorers;
import io.nextlog.scorer.model.ModelSlot;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseApplierTest {

    @TempDir Path dir;

    private TestScorers.Parts parts;

    @AfterEach
    void close() {
        parts.slots().close();
    }

    @Test
    void shouldApplyReleasesInSequenceOrderAndIgnoreStaleOnes() throws Exception {
        parts = TestScorers.create(TestBundles.fixture());
        ReleaseApplier applier = new ReleaseApplier(parts.slots(), parts.loader(), parts.metrics());
        Path v2 = TestBundles.withVersion(dir, "v2");
        Path v3 = TestBundles.withVersion(dir, "v3");

        assertEquals(ReleaseOutcome.PROMOTED, applier.apply(release(5, "v2", v2)));
        assertEquals(ReleaseOutcome.STALE, applier.apply(release(4, "v3", v3)));
        assertEquals(ReleaseOutcome.STALE, applier.apply(release(5, "v3", v3)));
        assertEquals("v2", parts.slots().version(ModelSlot.LIVE));
        assertEquals(ReleaseOutcome.PROMOTED, applier.apply(release(6, "v3", v3)));
        assertEquals(ReleaseOutcome.ALREADY_LIVE, applier.apply(release(7, "v3", v3)));

        assertEquals("v3", parts.slots().version(ModelSlot.LIVE));
        assertEquals("v2", parts.slots().version(ModelSlot.PREVIOUS));
        assertEquals(2, parts.metrics().staleReleases.sum());
        assertEquals(2, parts.metrics().swaps.sum());
    }

    @Test
    void shouldRollBackByReleaseAndKeepServingWhenABundleIsRefused() throws Exception {
        parts = TestScorers.create(TestBundles.fixture());
        ReleaseApplier applier = new ReleaseApplier(parts.slots(), parts.loader(), parts.metrics());
        Path v2 = TestBundles.withVersion(dir, "v2");
        Path v3 = TestBundles.withVersion(dir, "v3");
        Path bad = TestBundles.corrupt(dir, "v4");

        applier.apply(release(1, "v2", v2));
        applier.apply(release(2, "v3", v3));
        assertEquals(ReleaseOutcome.REFUSED, applier.apply(release(3, "v4", bad)));
        assertEquals("v3", parts.slots().version(ModelSlot.LIVE));
        assertEquals(1, parts.metrics().refusedBundles.sum());

        ModelRelease rollback = release(4, "v2", v2);
        rollback.setKind(ReleaseKind.ROLLBACK);
        assertEquals(ReleaseOutcome.SWITCHED_BACK, applier.apply(rollback));
        assertEquals("v2", parts.slots().version(ModelSlot.LIVE));
        assertEquals("fixture-format-1", parts.slots().version(ModelSlot.BASELINE));
    }

    @Test
    void shouldRefuseAReleaseWithAnUnreadableUri() throws Exception {
        parts = TestScorers.create(TestBundles.fixture());
        ReleaseApplier applier = new ReleaseApplier(parts.slots(), parts.loader(), parts.metrics());
        ModelRelease remote = release(1, "v9", dir);
        remote.setBundleUri("s3://models/v9");

        assertEquals(ReleaseOutcome.REFUSED, applier.apply(remote));
        assertEquals(1, parts.metrics().badRecords.sum());
    }

    private static ModelRelease release(long sequence, String version, Path bundle)
            throws IOException {
        return TestBundles.release(sequence, version, bundle);
    }
}
