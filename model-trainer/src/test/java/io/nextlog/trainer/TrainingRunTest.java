package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.bundle.ModelConfig;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.data.UserSequence;
import io.nextlog.trainer.eval.LeaveOneOutEvaluator;
import io.nextlog.trainer.eval.LeaveOneOutSplit;
import io.nextlog.trainer.eval.MostPopularScorer;
import io.nextlog.trainer.eval.RankingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training runs on tiny journeys that follow a rule: each user walks a ring of 30 items from a
 * random start, so the next item is always the ring's next one, which most-popular cannot know.
 */
class TrainingRunTest {

    private static final int ITEMS = 30;
    private static final int MAX_LENGTH = 12;

    @Test
    void shouldLearnTheRuleAndBeatMostPopular() {
        Fixture fixture = new Fixture(60);
        TrainingOptions options = options(0, 40);

        TrainingRun.Result result = fixture.train(options, 3);
        try (GptTrainer trainer = result.trainer()) {
            RankingResult gpt =
                    fixture.evaluator.evaluate(
                            trainer.scorer(fixture.tokenizer()), LeaveOneOutEvaluator.Target.TEST);
            RankingResult popular =
                    fixture.evaluator.evaluate(
                            MostPopularScorer.fit(
                                    fixture.split.trainingSequences(), fixture.vocabulary),
                            LeaveOneOutEvaluator.Target.TEST);
            System.out.println("ring: GPT " + gpt + "; most-popular " + popular);

            assertTrue(gpt.fullHitRate() > 0.9, "GPT " + gpt);
            assertTrue(gpt.fullNdcg() > popular.fullNdcg() + 0.3, gpt + " vs " + popular);
            assertEquals(
                    result.bestValidation(),
                    result.history().stream()
                            .filter(c -> c.epoch() == result.bestEpoch())
                            .findFirst()
                            .orElseThrow()
                            .validation());
        }
    }

    @Test
    void shouldRepeatARunExactlyWithTheSameSeed() {
        Fixture fixture = new Fixture(24);
        TrainingOptions options = options(0, 3);

        TrainingRun.Result first = fixture.train(options, 11);
        float[] firstScores;
        try (GptTrainer trainer = first.trainer()) {
            firstScores = trainer.scorer(fixture.tokenizer()).score(fixture.someInputs())[0];
        }
        TrainingRun.Result second = fixture.train(options, 11);
        try (GptTrainer trainer = second.trainer()) {
            float[] again = trainer.scorer(fixture.tokenizer()).score(fixture.someInputs())[0];

            assertEquals(first.history(), second.history());
            assertArrayEquals(firstScores, again);
        }
    }

    @Test
    void shouldTrainWithSampledSoftmax() {
        Fixture fixture = new Fixture(60);
        TrainingRun.Result result = fixture.train(options(16, 30), 5);
        result.trainer().close();

        assertTrue(
                result.bestValidation().sampledHitRate() > 0.8,
                "sampled softmax: " + result.bestValidation());
    }

    @Test
    void shouldStopEarlyWhenValidationStopsImproving() {
        Fixture fixture = new Fixture(24);
        // A learning rate this small cannot move NDCG in 1-epoch evaluations for long.
        TrainingOptions options =
                new TrainingOptions(
                        50, 8, 1e-7f, 0, 1f, 0f, 0f, 0, 1, 2, InputAblation.NONE, 1f, 0f, 0f);

        TrainingRun.Result result = fixture.train(options, 1);
        result.trainer().close();

        assertTrue(result.epochsRun() < 50, "ran " + result.epochsRun() + " epochs");
        assertEquals(result.epochsRun(), result.history().get(result.history().size() - 1).epoch());
    }

    @Test
    void shouldCutLongHistoriesIntoWindowsThatTrainEveryTarget() {
        List<JourneyStep> history = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            history.add(new JourneyStep("r" + i, Domain.APP_USE, Instant.ofEpochSecond(i)));
        }

        List<List<JourneyStep>> windows = TrainingRun.trainable(List.of(history), 4);

        // Targets: r6..r9, then r2..r5, then r1; 9 in all, each once.
        assertEquals(
                List.of(history.subList(5, 10), history.subList(1, 6), history.subList(0, 2)),
                windows);
        assertEquals(9, TrainingRun.positionsOf(windows, 4));
    }

    @Test
    void shouldNotDropOutAtInference() {
        Fixture fixture = new Fixture(8);
        TrainingOptions options =
                new TrainingOptions(
                        1, 8, 1e-3f, 0, 1f, 0f, 0.5f, 0, 1, 1, InputAblation.NONE, 1f, 0f, 0f);
        try (GptTrainer trainer = GptTrainer.create(fixture.config, 3, options, 1)) {
            float[][] once = trainer.scorer(fixture.tokenizer()).score(fixture.someInputs());
            float[][] twice = trainer.scorer(fixture.tokenizer()).score(fixture.someInputs());
            assertArrayEquals(once[0], twice[0]);
        }
    }

    @Test
    void shouldValidateAndKeepTheAveragedWeights() {
        Fixture fixture = new Fixture(24);
        TrainingRun.Result result = fixture.train(options(0, 4).withWeightAveraging(0.9f), 11);
        try (GptTrainer trainer = result.trainer()) {
            RankingResult kept =
                    fixture.evaluator.evaluate(
                            trainer.scorer(fixture.tokenizer()),
                            LeaveOneOutEvaluator.Target.VALIDATION);

            assertEquals(result.bestValidation(), kept);
        }
    }

    @Test
    void shouldPutTheTrainedWeightsBackAfterWorkOnTheAverage() {
        Fixture fixture = new Fixture(24);
        TrainingOptions options = options(0, 1).withWeightAveraging(0.9f);
        TrainingBatch batch = fixture.someBatch();
        try (GptTrainer trainer = GptTrainer.create(fixture.config, 3, options, 10)) {
            for (int i = 0; i < 5; i++) {
                trainer.trainStep(batch);
            }
            JourneyTokenizer tokenizer = fixture.tokenizer();
            float[] trained = trainer.scorer(tokenizer).score(fixture.someInputs())[0];
            float[] averaged =
                    trainer.withAveragedWeights(
                            () -> trainer.scorer(tokenizer).score(fixture.someInputs())[0]);
            float[] after = trainer.scorer(tokenizer).score(fixture.someInputs())[0];

            assertFalse(Arrays.equals(trained, averaged), "the average equals the trained weights");
            assertArrayEquals(trained, after);
        }
    }

    @Test
    void shouldStepDifferentlyAndReproduciblyWithItemDropout() {
        Fixture fixture = new Fixture(24);
        TrainingBatch batch = fixture.someBatch();
        float[][] scores = new float[3][];
        float[] dropouts = {0f, 0.5f, 0.5f};
        for (int run = 0; run < 3; run++) {
            TrainingOptions options = options(0, 1).withItemDropout(dropouts[run]);
            try (GptTrainer trainer = GptTrainer.create(fixture.config, 3, options, 10)) {
                trainer.trainStep(batch);
                scores[run] = trainer.scorer(fixture.tokenizer()).score(fixture.someInputs())[0];
            }
        }

        assertFalse(Arrays.equals(scores[0], scores[1]), "item dropout changed nothing");
        assertArrayEquals(scores[1], scores[2], "item dropout is not reproducible");
    }

    private static TrainingOptions options(int negatives, int epochs) {
        return new TrainingOptions(
                epochs,
                16,
                5e-3f,
                5,
                0.2f,
                0.01f,
                0.1f,
                negatives,
                5,
                10,
                InputAblation.NONE,
                1f,
                0f,
                0f);
    }

    /** Ring journeys with their split, vocabulary, config and evaluator. */
    private static final class Fixture {
        final LeaveOneOutSplit split;
        final Vocabulary vocabulary;
        final ModelConfig config;
        final LeaveOneOutEvaluator evaluator;

        Fixture(int users) {
            Random random = new Random(17);
            List<UserSequence> sequences = new ArrayList<>();
            Map<String, Long> counts = new HashMap<>();
            for (int u = 0; u < users; u++) {
                int start = random.nextInt(ITEMS);
                int length = 6 + random.nextInt(10);
                List<JourneyStep> steps = new ArrayList<>();
                Instant time = Instant.parse("2025-01-01T00:00:00Z");
                for (int i = 0; i < length; i++) {
                    String item = "r" + (start + i) % ITEMS;
                    time = time.plusSeconds(30 + random.nextInt(600));
                    steps.add(new JourneyStep(item, Domain.APP_USE, time));
                    counts.merge(item, 1L, Long::sum);
                }
                sequences.add(new UserSequence("u" + u, steps));
            }
            split = LeaveOneOutSplit.of(sequences);
            vocabulary = Vocabulary.fromCounts(counts, 1, 0);
            config =
                    new ModelConfig(
                            vocabulary.size(), new TokenizerSpec(MAX_LENGTH, 8, 16), 16, 1, 2, 32);
            evaluator = new LeaveOneOutEvaluator(split, vocabulary, 42);
        }

        TrainingRun.Result train(TrainingOptions options, long seed) {
            return TrainingRun.train(
                    config, options, seed, split, vocabulary, evaluator, new Silent());
        }

        JourneyTokenizer tokenizer() {
            return new JourneyTokenizer(vocabulary, config.tokenizer());
        }

        /** A training batch of the first 8 training sequences. */
        TrainingBatch someBatch() {
            List<List<JourneyStep>> journeys =
                    TrainingRun.trainable(split.trainingSequences(), MAX_LENGTH).subList(0, 8);
            return TrainingBatch.of(tokenizer(), journeys, MAX_LENGTH);
        }

        List<List<JourneyStep>> someInputs() {
            return List.of(split.users().get(0).testInput());
        }
    }

    private static final class Silent implements TrainingRun.Listener {
        @Override
        public void onStep(TrainingRun.StepProgress progress) {}

        @Override
        public void onValidation(int epoch, RankingResult validation, boolean best) {}
    }
}
