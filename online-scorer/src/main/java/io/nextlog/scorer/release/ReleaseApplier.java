package io.nextlog.scorer.release;

import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.ReleaseKind;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.BundleRefusedException;
import io.nextlog.scorer.model.LoadedModel;
import io.nextlog.scorer.model.ModelLoader;
import io.nextlog.scorer.model.ModelSlot;
import io.nextlog.scorer.model.ModelSlots;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code model-releases} records to the model slots, in sequence order.
 *
 * <p>A release whose sequence is not above the last applied one is stale and ignored. Otherwise the
 * named version becomes live: if it is the previous model, by switching back; if it is already
 * live, by nothing; else by loading and checking its bundle, while the current model keeps serving.
 * A refused bundle still uses up its sequence: a later release supersedes it, and a replay of the
 * log does not retry it. A rollback is just a release naming an older version, so every consumer of
 * the log moves the same way.
 *
 * <p>Threading: {@link #apply} is synchronized; loading happens under that lock but outside the
 * slots' lock, so scoring goes on while a bundle loads.
 */
public final class ReleaseApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseApplier.class);

    private final ModelSlots slots;
    private final ModelLoader loader;
    private final ScorerMetrics metrics;
    private long lastSequence = Long.MIN_VALUE;

    /** Creates an applier that has applied nothing yet. */
    public ReleaseApplier(ModelSlots slots, ModelLoader loader, ScorerMetrics metrics) {
        this.slots = slots;
        this.loader = loader;
        this.metrics = metrics;
    }

    /** Applies one release; never throws for a bad release or bundle. */
    public synchronized ReleaseOutcome apply(ModelRelease release) {
        long sequence = release.getSequence();
        if (sequence <= lastSequence) {
            metrics.staleReleases.increment();
            LOG.info(
                    "Ignoring stale release {} of model {}: expected a sequence above {}",
                    sequence,
                    release.getVersion(),
                    lastSequence);
            return ReleaseOutcome.STALE;
        }
        lastSequence = sequence;
        return applyNew(release);
    }

    /**
     * Returns the sequence of the last applied (or refused) release; {@link Long#MIN_VALUE} if
     * none.
     */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    private ReleaseOutcome applyNew(ModelRelease release) {
        String version = release.getVersion();
        if (release.getKind() == ReleaseKind.UNKNOWN) {
            metrics.badRecords.increment();
            LOG.warn(
                    "Refusing release {} of model {}: expected kind PUBLISH or ROLLBACK, found {}",
                    release.getSequence(),
                    version,
                    release.getKind());
            return ReleaseOutcome.REFUSED;
        }
        if (version.equals(slots.version(ModelSlot.LIVE))) {
            LOG.info("Release {}: model {} is already live", release.getSequence(), version);
            return ReleaseOutcome.ALREADY_LIVE;
        }
        if (version.equals(slots.version(ModelSlot.PREVIOUS)) && slots.switchBack()) {
            metrics.swaps.increment();
            LOG.info("Release {}: switched back to model {}", release.getSequence(), version);
            return ReleaseOutcome.SWITCHED_BACK;
        }
        return load(release);
    }

    private ReleaseOutcome load(ModelRelease release) {
        Path bundle;
        try {
            bundle = bundlePath(release.getBundleUri());
        } catch (IllegalArgumentException e) {
            metrics.badRecords.increment();
            LOG.warn(
                    "Refusing release {} of model {}: {}",
                    release.getSequence(),
                    release.getVersion(),
                    e.getMessage());
            return ReleaseOutcome.REFUSED;
        }
        try {
            LoadedModel model = loader.load(bundle, release.getVersion(), release.getSha256());
            slots.promote(model);
            metrics.swaps.increment();
            return ReleaseOutcome.PROMOTED;
        } catch (BundleRefusedException e) {
            // ModelLoader has counted and logged it; the live model is untouched.
            return ReleaseOutcome.REFUSED;
        }
    }

    /** A {@code file:} URI or a plain path. */
    static Path bundlePath(String bundleUri) {
        if (bundleUri.startsWith("file:")) {
            return Path.of(URI.create(bundleUri));
        }
        if (bundleUri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new IllegalArgumentException(
                    "bundleUri: expected a file: URI or a path, found '" + bundleUri + "'");
        }
        return Path.of(bundleUri);
    }
}
