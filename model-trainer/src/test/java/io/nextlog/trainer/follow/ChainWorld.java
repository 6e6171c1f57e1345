package io.nextlog.trainer.follow;

import io.nextlog.bundle.DataSpan;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.ExampleLabel;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.TrainingExample;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.GptTrainer;
import io.nextlog.trainer.TrainingBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A world a tiny model learns in seconds: items {@code c0..c19} follow each other in a ring, so the
 * next item after {@code c<k>} is {@code c<k+1>}. Journeys, examples and a pre-trained bundle for
 * the follow-mode tests.
 */
final class ChainWorld {

    static final int ITEMS = 20;
    static final int RESERVED_SLOTS = 6;
    static final ModelConfig CONFIG =
            new ModelConfig(ITEMS + 2 + RESERVED_SLOTS, new TokenizerSpec(8, 8, 16), 16, 1, 2, 32);
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    private final Random random;
    private int nextExample;

    ChainWorld(long seed) {
        this.random = new Random(seed);
    }

    static String item(int k) {
        return "c" + Math.floorMod(k, ITEMS);
    }

    /** A journey of {@code length} ring steps ending at {@code c<last>}. */
    List<JourneyStep> journeyEndingAt(int last, int length) {
        List<JourneyStep> steps = new ArrayList<>(length);
        Instant time = START.plusSeconds(random.nextInt(86_400));
        for (int i = length - 1; i >= 0; i--) {
            time = time.plusSeconds(60 + random.nextInt(600));
            steps.add(new JourneyStep(item(last - i), Domain.APP_USE, time));
        }
        return steps;
    }

    /** A positive example: after a journey ending at {@code c<last>}, the customer took item. */
    TrainingExample positive(int last, String item) {
        return example(last, item, ExampleLabel.POSITIVE, FeedbackAction.CLICK);
    }

    /** A negative example: after a journey ending at {@code c<last>}, item was dismissed. */
    TrainingExample negative(int last, String item) {
        return example(last, item, ExampleLabel.NEGATIVE, FeedbackAction.DISMISS);
    }

    private TrainingExample example(
            int last, String item, ExampleLabel label, FeedbackAction action) {
        List<JourneyStep> journey = journeyEndingAt(last, 6);
        Instant time = journey.get(journey.size() - 1).getEventTime().plusSeconds(30);
        return TrainingExample.newBuilder()
                .setExampleId("ex-" + (nextExample++))
                .setUserId("u" + random.nextInt(1_000_000))
                .setJourney(journey)
                .setTargetItem(item)
                .setLabel(label)
                .setAction(action)
                .setChannel("t-deal")
                .setRecommendationId(null)
                .setModelVersion(null)
                .setExperimentArm(null)
                .setFeedbackTime(time)
                .build();
    }

    /** Ring examples: the next ring item, positive. */
    List<TrainingExample> ringPositives(int count) {
        List<TrainingExample> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int last = random.nextInt(ITEMS);
            examples.add(positive(last, item(last + 1)));
        }
        return examples;
    }

    /** Pre-trains a bundle on ring journeys. */
    static ModelBundle pretrain(Path bundleDir, String version) throws IOException {
        ChainWorld world = new ChainWorld(7);
        Map<String, Long> counts = new HashMap<>();
        List<List<JourneyStep>> journeys = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            List<JourneyStep> journey = world.journeyEndingAt(world.random.nextInt(ITEMS), 8);
            journeys.add(journey);
            journey.forEach(step -> counts.merge(step.getItem(), 1L, Long::sum));
        }
        Vocabulary vocabulary = Vocabulary.fromCounts(counts, 1, RESERVED_SLOTS);
        JourneyTokenizer tokenizer = new JourneyTokenizer(vocabulary, CONFIG.tokenizer());
        try (GptTrainer trainer = GptTrainer.create(CONFIG, 3, 1e-2f)) {
            for (int step = 0; step < 150; step++) {
                trainer.trainStep(TrainingBatch.of(tokenizer, journeys, 8));
            }
            ModelProvenance provenance =
                    new ModelProvenance(
                            version,
                            null,
                            Instant.now(),
                            new DataSpan(START, START.plusSeconds(86_400)),
                            CONFIG,
                            3,
                            Map.of());
            return trainer.writeBundle(bundleDir, provenance, vocabulary);
        }
    }
}
