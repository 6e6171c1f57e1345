package io.nextlog.scorer.model;

/** The named places a model can hold in a {@link ModelSlots}. */
public enum ModelSlot {
    /** The model the latest applied release made live; scores every arm but the baseline arms. */
    LIVE,
    /** The model live before it, kept loaded so a rollback to it is instant. */
    PREVIOUS,
    /** The pinned stable model that the holdout arms get; releases never change it. */
    BASELINE
}
