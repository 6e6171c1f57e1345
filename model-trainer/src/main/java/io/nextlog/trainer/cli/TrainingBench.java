package io.nextlog.trainer.cli;

import io.nextlog.bundle.ModelConfig;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.GptTrainer;
import io.nextlog.trainer.InputAblation;
import io.nextlog.trainer.TrainingBatch;
import io.nextlog.trainer.TrainingOptions;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Training throughput: full training steps (forward, full-softmax loss, backward, Adam) on random
 * full-length journeys, so every one of the B x T positions is a real target. Reports tokens
 * (positions) per second. Not a test: the figure depends on the machine and on what else runs.
 *
 * <p>Two models: the SASRec reference shape (C 50, 2 blocks, 1 head, MLP 50, T 200, V 1,684 as in
 * MovieLens 100K) and {@link ModelConfig#BENCH}, both at batch 128 and dropout 0.2.
 */
final class TrainingBench {

    private static final int BATCH_SIZE = 128;
    private static final int WARMUP_STEPS = 2;

    /** The SASRec reference shape on MovieLens 100K: 1,682 movies plus padding and OOV. */
    static final ModelConfig SASREC_D50 =
            new ModelConfig(1_684, new TokenizerSpec(200, 32, 16), 50, 2, 1, 50);

    private TrainingBench() {}

    static void run(String[] args, PrintStream out) {
        CommandLine line = CommandLine.parse("bench", args, Set.of("--steps"), Set.of());
        int steps = line.integer("--steps", 10);
        out.printf(
                Locale.ROOT,
                "training throughput, batch %d, %d timed steps, %d threads available%n",
                BATCH_SIZE,
                steps,
                Runtime.getRuntime().availableProcessors());
        measure("d 50, 2 blocks, 1 head, T 200", SASREC_D50, steps, out);
        measure("ModelConfig.BENCH", ModelConfig.BENCH, steps, out);
    }

    private static void measure(String name, ModelConfig config, int steps, PrintStream out) {
        int maxLength = config.tokenizer().maxLength();
        Vocabulary vocabulary = vocabularyOf(config.vocabularySize());
        JourneyTokenizer tokenizer = new JourneyTokenizer(vocabulary, config.tokenizer());
        Random random = new Random(7);
        TrainingOptions options =
                new TrainingOptions(
                        1,
                        BATCH_SIZE,
                        1e-3f,
                        0,
                        1f,
                        0f,
                        0.2f,
                        0,
                        1,
                        1,
                        InputAblation.NONE,
                        1f,
                        0f,
                        0f);
        try (GptTrainer trainer = GptTrainer.create(config, 1, options, steps)) {
            TrainingBatch batch = randomBatch(tokenizer, vocabulary, maxLength, random);
            for (int i = 0; i < WARMUP_STEPS; i++) {
                trainer.trainStep(batch);
            }
            long started = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.trainStep(batch);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double tokens = (double) BATCH_SIZE * maxLength * steps;
            out.printf(
                    Locale.ROOT,
                    "%-32s %s: %,.0f tokens/s (%.2f s/step)%n",
                    name,
                    config,
                    tokens / seconds,
                    seconds / steps);
        }
    }

    private static TrainingBatch randomBatch(
            JourneyTokenizer tokenizer, Vocabulary vocabulary, int maxLength, Random random) {
        List<List<JourneyStep>> journeys = new ArrayList<>(BATCH_SIZE);
        for (int b = 0; b < BATCH_SIZE; b++) {
            List<JourneyStep> journey = new ArrayList<>(maxLength + 1);
            Instant time = Instant.parse("2025-01-01T00:00:00Z");
            for (int t = 0; t <= maxLength; t++) {
                time = time.plusSeconds(1L + random.nextInt(86_400));
                String item = vocabulary.items().get(random.nextInt(vocabulary.items().size()));
                journey.add(new JourneyStep(item, Domain.APP_USE, time));
            }
            journeys.add(journey);
        }
        return TrainingBatch.of(tokenizer, journeys, maxLength);
    }

    private static Vocabulary vocabularyOf(int size) {
        List<String> items = new ArrayList<>(size - Vocabulary.FIRST_ITEM_ID);
        for (int i = Vocabulary.FIRST_ITEM_ID; i < size; i++) {
            items.add("i" + i);
        }
        return Vocabulary.of(size, items);
    }
}
