package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.bundle.ModelConfig;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenBatch;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Attribution means something: with a planted cause (Y comes next exactly when X happened earlier
 * in the journey), a trained model attributes its prediction to X.
 */
class GptAttributionIT {

    private static final int LENGTH = 10;
    private static final int FILLERS = 40;
    private static final int STEPS = 300;
    private static final int BATCH = 64;
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void shouldAttributePredictionToPlantedCause() throws Exception {
        Random random = new Random(17);
        Vocabulary vocabulary = vocabulary();
        ModelConfig config =
                new ModelConfig(vocabulary.size(), new TokenizerSpec(LENGTH, 16, 16), 32, 2, 2, 64);
        JourneyTokenizer tokenizer = new JourneyTokenizer(vocabulary, config.tokenizer());

        try (GptTrainer trainer = GptTrainer.create(config, 7, 3e-3f)) {
            float loss = 0;
            for (int step = 0; step < STEPS; step++) {
                List<List<JourneyStep>> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(trainingJourney(random, random.nextBoolean()));
                }
                loss = trainer.trainStep(TrainingBatch.of(tokenizer, batch, LENGTH));
            }

            Evaluation evaluation = evaluate(trainer, tokenizer, vocabulary, random);
            System.out.printf(
                    "attribution: largest on X in %.1f%% of %d journeys (uniform would give"
                            + " %.1f%%), Y top-1 in %.1f%%, final loss %.3f%n",
                    100.0 * evaluation.causeShare(),
                    evaluation.count(),
                    100.0 / LENGTH,
                    100.0 * evaluation.effectTop1Share(),
                    loss);
            assertTrue(
                    evaluation.causeShare() >= 0.5,
                    "share of journeys with the largest attribution on X: "
                            + evaluation.causeShare());
        }
    }

    private static Evaluation evaluate(
            GptTrainer trainer, JourneyTokenizer tokenizer, Vocabulary vocabulary, Random random)
            throws Exception {
        int count = 256;
        List<List<JourneyStep>> journeys = new ArrayList<>();
        int[] causeColumns = new int[count];
        for (int i = 0; i < count; i++) {
            List<JourneyStep> journey = trainingJourney(random, true);
            List<JourneyStep> prefix = journey.subList(0, LENGTH);
            journeys.add(prefix);
            causeColumns[i] = indexOf(prefix, "X");
        }
        TokenBatch batch = tokenizer.tokenize(journeys);

        Prediction prediction;
        try (OnnxScorer scorer = new OnnxScorer(trainer.exportOnnx())) {
            prediction = scorer.run(batch);
        }
        int onCause = 0;
        int effectTop1 = 0;
        for (int row = 0; row < count; row++) {
            onCause += argMax(prediction.attributionOf(row)) == causeColumns[row] ? 1 : 0;
            effectTop1 += argMax(prediction.scoresOf(row)) == vocabulary.idOf("Y") ? 1 : 0;
        }
        return new Evaluation(count, (double) onCause / count, (double) effectTop1 / count);
    }

    /** LENGTH random fillers, X at a random column but the last when planted, then the next. */
    private static List<JourneyStep> trainingJourney(Random random, boolean planted) {
        List<JourneyStep> steps = new ArrayList<>();
        int cause = planted ? random.nextInt(LENGTH - 1) : -1;
        Instant time = START;
        for (int i = 0; i < LENGTH; i++) {
            time = time.plusSeconds(1L << random.nextInt(16));
            String item = i == cause ? "X" : "f" + random.nextInt(FILLERS);
            steps.add(new JourneyStep(item, SyntheticJourneys.anyDomain(random), time));
        }
        String next = planted ? "Y" : "f" + random.nextInt(FILLERS);
        steps.add(new JourneyStep(next, SyntheticJourneys.anyDomain(random), time.plusSeconds(60)));
        return steps;
    }

    private static Vocabulary vocabulary() {
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < FILLERS; i++) {
            counts.put("f" + i, 10L);
        }
        counts.put("X", 5L);
        counts.put("Y", 5L);
        return Vocabulary.fromCounts(counts, 1, 4);
    }

    private static int indexOf(List<JourneyStep> journey, String item) {
        for (int i = 0; i < journey.size(); i++) {
            if (journey.get(i).getItem().equals(item)) {
                return i;
            }
        }
        throw new IllegalStateException("expected " + item + " in the journey, found none");
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private record Evaluation(int count, double causeShare, double effectTop1Share) {}
}
