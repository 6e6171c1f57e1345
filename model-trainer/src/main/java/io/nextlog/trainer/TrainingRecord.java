package io.nextlog.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.trainer.data.DataSummary;
import io.nextlog.trainer.eval.RankingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The full story of a training run, stored as {@value #FILE} in the bundle's checkpoint folder: the
 * run's config, options, data summary and seed, the validation history and the test figures. The
 * manifest's provenance carries config, seed, data span and the best validation metrics; this
 * record carries the rest, and the manifest's sha256 covers it like every other file.
 *
 * <p>It lives in the checkpoint folder because {@link io.nextlog.bundle.ModelProvenance} has no
 * field for free-form run settings and the bundle format belongs to another module; a reader that
 * does not know the file ignores it.
 *
 * @param format this record's format version
 * @param seed the run's seed
 * @param config the architecture
 * @param options the training options
 * @param data the data set
 * @param evaluationSeed the seed of the sampled negatives
 * @param epochsRun epochs taken
 * @param bestEpoch the epoch of the stored weights
 * @param trainingPositions next-event targets per epoch
 * @param tokensPerSecond training positions per second
 * @param wallSeconds the run's wall time
 * @param history every validation
 * @param test the stored weights on the test targets
 * @param mostPopularTest the most-popular baseline on the test targets
 */
public record TrainingRecord(
        int format,
        long seed,
        ModelConfig config,
        TrainingOptions options,
        DataSummary data,
        long evaluationSeed,
        int epochsRun,
        int bestEpoch,
        long trainingPositions,
        double tokensPerSecond,
        double wallSeconds,
        List<TrainingRun.Checkpoint> history,
        RankingResult test,
        RankingResult mostPopularTest) {

    /** The file name inside the checkpoint folder. */
    public static final String FILE = "training-run.json";

    /** The format this code writes. */
    public static final int CURRENT_FORMAT = 1;

    static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the record as JSON into {@code checkpointDir}. */
    public void writeTo(Path checkpointDir) throws IOException {
        MAPPER.writeValue(checkpointDir.resolve(FILE).toFile(), this);
    }
}
