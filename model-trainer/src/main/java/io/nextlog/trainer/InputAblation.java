package io.nextlog.trainer;

/**
 * Which input embedding an ablation experiment silences. Silencing feeds one constant id for every
 * real event, so the embedding carries no information while the graph keeps its shape; padding
 * stays 0. Applied by {@link GptTrainer} in training and prediction alike. A bundle trained with an
 * ablation is for measuring only: the ONNX scorer feeds real ids, which the model never saw.
 */
public enum InputAblation {
    /** All inputs as the tokenizer makes them. */
    NONE,
    /** Every real event gets domain id 1. */
    NO_DOMAIN,
    /** Every real event gets the first-event gap bucket. */
    NO_GAP
}
