package io.nextlog.scorer.model;

/**
 * One user's reference to a model: the model stays open until the lease is closed. Not for sharing
 * between threads; close it exactly once, in a try-with-resources.
 */
public final class ModelLease implements AutoCloseable {

    private final LoadedModel model;
    private final ModelSlot slot;
    private boolean closed;

    ModelLease(LoadedModel model, ModelSlot slot) {
        this.model = model;
        this.slot = slot;
    }

    /** Returns the leased model. */
    public LoadedModel model() {
        return model;
    }

    /** Returns the slot the model was taken from. */
    public ModelSlot slot() {
        return slot;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            model.release();
        }
    }
}
