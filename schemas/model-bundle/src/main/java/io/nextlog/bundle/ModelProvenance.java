package io.nextlog.bundle;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a model comes from: what the trainer knows about a model when it writes the bundle.
 *
 * @param modelVersion this model's version, unique per bundle
 * @param parentVersion the version this model was fine-tuned from; null for a model trained from
 *     scratch
 * @param createdAt when training finished
 * @param dataSpan the event-time range of the training data
 * @param config the architecture
 * @param seed the random seed of initialisation and batching
 * @param validationMetrics metric name to value on the validation data, such as {@code
 *     "recall@10"}; may be empty
 */
public record ModelProvenance(
        String modelVersion,
        String parentVersion,
        Instant createdAt,
        DataSpan dataSpan,
        ModelConfig config,
        long seed,
        Map<String, Double> validationMetrics) {

    /** Checks the required fields and copies the metrics into name order. */
    public ModelProvenance {
        if (modelVersion == null || modelVersion.isBlank()) {
            throw new IllegalArgumentException(
                    "modelVersion: expected a non-blank version, found '" + modelVersion + "'");
        }
        if (createdAt == null || dataSpan == null || config == null) {
            throw new IllegalArgumentException(
                    "model "
                            + modelVersion
                            + ": expected createdAt, dataSpan and config, found "
                            + createdAt
                            + ", "
                            + dataSpan
                            + ", "
                            + config);
        }
        validationMetrics =
                validationMetrics == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new TreeMap<>(validationMetrics));
    }
}
