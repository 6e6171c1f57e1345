package io.nextlog.trainer.follow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How follow mode runs.
 *
 * @param bootstrapServers the Kafka cluster
 * @param registryUrl the schema registry (Confluent API)
 * @param initialBundle the bundle to start from when the release log is empty
 * @param workDirectory local folder for candidate bundles before validation
 * @param groupId the consumer group of {@code training-examples}; its offsets move only with
 *     releases
 * @param publishInterval how often a candidate is exported, validated and released
 * @param learningRate constant Adam step size of fine-tuning
 * @param batchSize examples per step
 * @param stepsPerBatch steps taken on each batch
 * @param replayPerBatch earlier journeys replayed in each step
 * @param replayCapacity journeys the replay buffer keeps
 * @param holdoutPercent share of positive examples kept out of training for validation, 0-100
 * @param holdoutCapacity the newest held-out examples kept
 * @param minHoldout the fewest held-out examples for the ranking comparison
 * @param tolerance how far (absolute) held-out HR@10 and NDCG@10 may fall below the live model's
 * @param baselineArms arms the pinned baseline serves; the holdout guard compares against them
 * @param guardMinImpressions impressions each arm needs before the guard compares
 * @param guardMaxRelativeDrop the live arm's largest allowed relative CTR drop
 * @param guardMaturity how long after a metrics window ends the guard counts it (clicks come
 *     seconds after their impression)
 * @param guardLookback how far back the guard reads metrics on start
 * @param seed seeds the replay sampling
 */
public record FollowSettings(
        String bootstrapServers,
        String registryUrl,
        Path initialBundle,
        Path workDirectory,
        String groupId,
        Duration publishInterval,
        float learningRate,
        int batchSize,
        int stepsPerBatch,
        int replayPerBatch,
        int replayCapacity,
        int holdoutPercent,
        int holdoutCapacity,
        int minHoldout,
        double tolerance,
        Set<String> baselineArms,
        long guardMinImpressions,
        double guardMaxRelativeDrop,
        Duration guardMaturity,
        Duration guardLookback,
        long seed) {

    /** The consumer group follow mode uses unless told otherwise. */
    public static final String DEFAULT_GROUP = "nextlog-trainer";

    /** Checks the settings. */
    public FollowSettings {
        if (publishInterval.isNegative() || publishInterval.isZero()) {
            throw new IllegalArgumentException(
                    "publish interval: expected a positive duration, found " + publishInterval);
        }
        if (!(learningRate > 0) || batchSize < 1 || stepsPerBatch < 1 || replayPerBatch < 0) {
            throw new IllegalArgumentException(
                    "fine-tuning: expected learning rate > 0, batch size >= 1, steps per batch >= 1"
                            + " and replay per batch >= 0, found "
                            + learningRate
                            + ", "
                            + batchSize
                            + ", "
                            + stepsPerBatch
                            + ", "
                            + replayPerBatch);
        }
        if (holdoutPercent < 0 || holdoutPercent > 100 || holdoutCapacity < 1) {
            throw new IllegalArgumentException(
                    "holdout: expected a percent in 0..100 and a capacity >= 1, found "
                            + holdoutPercent
                            + " and "
                            + holdoutCapacity);
        }
        baselineArms = Set.copyOf(baselineArms);
    }

    /** Settings with the defaults for everything but the addresses and folders. */
    public static FollowSettings defaults(
            String bootstrapServers, String registryUrl, Path initialBundle, Path workDirectory) {
        return new FollowSettings(
                bootstrapServers,
                registryUrl,
                initialBundle,
                workDirectory,
                DEFAULT_GROUP,
                Duration.ofSeconds(10),
                0.003f,
                32,
                2,
                16,
                5_000,
                10,
                500,
                50,
                0.02,
                Set.of("holdout"),
                500,
                0.3,
                Duration.ofMinutes(2),
                Duration.ofHours(1),
                1);
    }
}
