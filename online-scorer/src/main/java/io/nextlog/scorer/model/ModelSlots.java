package io.nextlog.scorer.model;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named models of one scorer: live, previous and the pinned baseline.
 *
 * <p>Threading: {@link #acquire} is lock-free and may be called from any thread; it returns a lease
 * on whichever model the slot holds at that instant, and that model stays open until the lease is
 * closed. Changes ({@link #promote}, {@link #switchBack}) are serialised by this object's lock and
 * publish through volatile fields, so a reader sees the old or the new model, never a closed one.
 * Each slot holds one reference to its model; a model leaving its last slot is released and closes
 * once its last lease is closed.
 */
public final class ModelSlots implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSlots.class);

    private volatile LoadedModel live;
    private volatile @Nullable LoadedModel previous;
    private volatile LoadedModel baseline;
    private boolean closed;

    /**
     * Takes ownership of the loader's reference of {@code initial} (for the live slot) and of
     * {@code baseline}; they may be the same model.
     */
    public ModelSlots(LoadedModel initial, LoadedModel baseline) {
        this.live = initial;
        if (baseline == initial && !initial.tryRetain()) {
            throw new IllegalStateException("model " + initial.version() + " is already closed");
        }
        this.baseline = baseline;
        LOG.info("Model {} live, {} pinned as baseline", initial.version(), baseline.version());
    }

    /**
     * Leases the model a slot holds now.
     *
     * @throws IllegalStateException if the slot is empty (only PREVIOUS can be) or after close
     */
    public ModelLease acquire(ModelSlot slot) {
        while (true) {
            LoadedModel model = read(slot);
            if (model == null) {
                throw new IllegalStateException(
                        "model slot " + slot + ": expected a model, found none");
            }
            if (model.tryRetain()) {
                return new ModelLease(model, slot);
            }
            // The model closed between the read and the retain: the slot has moved on; read again.
            if (closed) {
                throw new IllegalStateException("model slots are closed");
            }
        }
    }

    /** Returns the version a slot holds, or empty text for an empty slot. */
    public String version(ModelSlot slot) {
        LoadedModel model = read(slot);
        return model == null ? "" : model.version();
    }

    /**
     * Makes a loaded model live, taking ownership of the caller's reference. The live model becomes
     * the previous one; the previous one is released.
     */
    public synchronized void promote(LoadedModel model) {
        requireOpen();
        LoadedModel oldLive = live;
        LoadedModel oldPrevious = previous;
        live = model;
        previous = oldLive;
        if (oldPrevious != null) {
            oldPrevious.release();
        }
        LOG.info("Model {} live (was {})", model.version(), oldLive.version());
    }

    /**
     * Swaps live and previous, the instant rollback.
     *
     * @return false if there is no previous model
     */
    public synchronized boolean switchBack() {
        requireOpen();
        LoadedModel oldPrevious = previous;
        if (oldPrevious == null) {
            return false;
        }
        LoadedModel oldLive = live;
        live = oldPrevious;
        previous = oldLive;
        LOG.info("Model {} live again (was {})", oldPrevious.version(), oldLive.version());
        return true;
    }

    /** Returns version, bundle and load time of every non-empty slot. */
    public Map<ModelSlot, ModelInfo> describe() {
        Map<ModelSlot, ModelInfo> info = new EnumMap<>(ModelSlot.class);
        for (ModelSlot slot : ModelSlot.values()) {
            LoadedModel model = read(slot);
            if (model != null) {
                info.put(
                        slot,
                        new ModelInfo(
                                model.version(),
                                model.bundle().directory().toString(),
                                model.loadedAt()));
            }
        }
        return info;
    }

    /** Releases every slot's reference; models close as their leases end. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        live.release();
        baseline.release();
        if (previous != null) {
            previous.release();
        }
    }

    private @Nullable LoadedModel read(ModelSlot slot) {
        return switch (slot) {
            case LIVE -> live;
            case PREVIOUS -> previous;
            case BASELINE -> baseline;
        };
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("model slots are closed");
        }
    }

    /**
     * What a slot holds.
     *
     * @param version the model version
     * @param bundle the bundle directory
     * @param loadedAt when it finished loading
     */
    public record ModelInfo(String version, String bundle, Instant loadedAt) {}
}
