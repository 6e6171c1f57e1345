package io.nextlog.trainer;

import io.nextlog.bundle.DataSpan;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The bundle kept as a test fixture in {@code schemas/model-bundle/src/test/resources/bundles}.
 * Tests keep loading it when the format changes; write a new fixture beside it for a new format
 * instead of replacing it.
 *
 * <p>exec:java runs in Maven's own JVM, whose working directory is where Maven started, so give an
 * absolute target (it must not exist yet):
 *
 * <pre>
 * mvn -B -pl model-trainer test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.nextlog.trainer.FixtureBundles \
 *     -Dexec.args=$PWD/schemas/model-bundle/src/test/resources/bundles/format-1-tiny
 * </pre>
 */
public final class FixtureBundles {

    /** Where the format-1 fixture lives, relative to the model-trainer module. */
    static final Path FORMAT_1 =
            Path.of("../schemas/model-bundle/src/test/resources/bundles/format-1-tiny");

    static final ModelConfig CONFIG = new ModelConfig(12, new TokenizerSpec(6, 8, 16), 8, 2, 2, 16);

    private FixtureBundles() {}

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        SyntheticJourneys data = new SyntheticJourneys(3, 6);
        List<List<JourneyStep>> journeys = data.journeys(32, 2, 8);
        Vocabulary vocabulary = Vocabulary.fromCounts(SyntheticJourneys.counts(journeys), 1, 4);
        JourneyTokenizer tokenizer = new JourneyTokenizer(vocabulary, CONFIG.tokenizer());

        try (GptTrainer trainer = GptTrainer.create(CONFIG, 5, 1e-2f)) {
            double loss = Double.NaN;
            for (int step = 0; step < 5; step++) {
                loss = trainer.trainStep(TrainingBatch.of(tokenizer, journeys, 6));
            }
            Instant from = Instant.parse("2025-01-01T00:00:00Z");
            ModelProvenance provenance =
                    new ModelProvenance(
                            "fixture-format-1",
                            null,
                            Instant.parse("2025-01-02T00:00:00Z"),
                            new DataSpan(from, from.plusSeconds(86_400)),
                            CONFIG,
                            5,
                            Map.of("train_loss", loss));
            trainer.writeBundle(target, provenance, vocabulary);
        }
        System.out.println("wrote fixture bundle " + target);
    }
}
