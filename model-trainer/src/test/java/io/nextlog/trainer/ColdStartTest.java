package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.bundle.ModelConfig;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenBatch;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A new item starts below the items it will be ranked against, before anyone answers it. */
class ColdStartTest {

    private static final int MAX_LENGTH = 16;

    @Test
    void shouldStartNewItemBelowEveryReferenceItemForTheSampleJourneys() {
        SyntheticJourneys data = new SyntheticJourneys(3, 40);
        List<List<JourneyStep>> journeys = data.journeys(64, 4, MAX_LENGTH);
        Vocabulary known = Vocabulary.fromCounts(SyntheticJourneys.counts(journeys), 1, 4);
        ModelConfig config =
                new ModelConfig(known.size(), new TokenizerSpec(MAX_LENGTH, 16, 16), 32, 1, 2, 64);
        try (GptTrainer trainer = GptTrainer.create(config, 7, 1e-2f)) {
            JourneyTokenizer before = new JourneyTokenizer(known, config.tokenizer());
            for (int step = 0; step < 20; step++) {
                trainer.trainStep(TrainingBatch.of(before, journeys.subList(0, 32), MAX_LENGTH));
            }
            // The "channel": ten known items.
            int[] reference =
                    IntStream.range(0, 10).map(i -> known.idOf(known.items().get(i))).toArray();
            Vocabulary grown = known.withAssigned(List.of("new-campaign"));
            int id = grown.idOf("new-campaign");
            JourneyTokenizer tokenizer = new JourneyTokenizer(grown, config.tokenizer());
            TokenBatch sample = tokenizer.tokenize(journeys.subList(32, 64));

            trainer.coldStart(new int[] {id}, known.items().size(), sample, reference);

            Prediction prediction = trainer.predict(sample);
            for (int row = 0; row < prediction.batchSize(); row++) {
                float[] scores = prediction.scoresOf(row);
                for (int other : reference) {
                    assertTrue(
                            scores[id] < scores[other] - GptTrainer.COLD_START_MARGIN + 1e-4f,
                            "journey "
                                    + row
                                    + ": new item scored "
                                    + scores[id]
                                    + ", expected below item "
                                    + other
                                    + " at "
                                    + scores[other]);
                }
            }
        }
    }
}
