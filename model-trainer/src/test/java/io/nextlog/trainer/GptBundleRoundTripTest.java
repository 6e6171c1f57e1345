package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.bundle.BundleIntegrityException;
import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.DataSpan;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle carries a model to the scorer and back to the trainer without losing anything. */
class GptBundleRoundTripTest {

    private static final int MAX_LENGTH = 16;
    private static final int STEPS_BEFORE = 15;
    private static final int STEPS_AFTER = 5;

    @TempDir Path dir;

    @Test
    void shouldContinueTrainingFromBundleWhereItStopped() throws Exception {
        SyntheticJourneys data = new SyntheticJourneys(5, 60);
        List<List<JourneyStep>> journeys = data.journeys(32 * 4, 2, MAX_LENGTH + 4);
        Vocabulary vocabulary = Vocabulary.fromCounts(SyntheticJourneys.counts(journeys), 1, 10);
        ModelConfig config =
                new ModelConfig(
                        vocabulary.size(), new TokenizerSpec(MAX_LENGTH, 16, 16), 32, 2, 2, 64);
        JourneyTokenizer tokenizer = new JourneyTokenizer(vocabulary, config.tokenizer());
        List<TrainingBatch> batches = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batches.add(
                    TrainingBatch.of(tokenizer, journeys.subList(i * 32, i * 32 + 32), MAX_LENGTH));
        }

        List<Float> uninterrupted = new ArrayList<>();
        List<Float> resumed = new ArrayList<>();
        Path bundleDir = dir.resolve("m1");
        try (GptTrainer original = GptTrainer.create(config, 42, 1e-2f)) {
            List<Float> first = train(original, batches, 0, STEPS_BEFORE);
            original.writeBundle(bundleDir, provenance(config), vocabulary);
            uninterrupted.addAll(train(original, batches, STEPS_BEFORE, STEPS_AFTER));
            System.out.printf(
                    "loss: first %.4f, at bundle %.4f%n",
                    first.get(0), first.get(STEPS_BEFORE - 1));
        }

        ModelBundle bundle = BundleReader.read(bundleDir);
        bundle.requireSignature(GraphSignature.NEXT_LOG_V1);
        try (GptTrainer restored =
                GptTrainer.restore(bundle.config(), bundle.checkpointDirectory())) {
            assertEquals(STEPS_BEFORE, restored.steps());
            resumed.addAll(train(restored, batches, STEPS_BEFORE, STEPS_AFTER));
        }

        System.out.println(
                "loss after bundle, uninterrupted " + uninterrupted + ", resumed " + resumed);
        for (int i = 0; i < STEPS_AFTER; i++) {
            assertEquals(uninterrupted.get(i), resumed.get(i), 1e-4, "loss at resumed step " + i);
        }
    }

    @Test
    void shouldRefuseBundleWithTamperedCheckpoint() throws Exception {
        ModelConfig config = new ModelConfig(12, new TokenizerSpec(4, 8, 16), 8, 1, 2, 16);
        Vocabulary vocabulary = Vocabulary.of(12, List.of("a", "b"));
        Path bundleDir = dir.resolve("m1");
        try (GptTrainer trainer = GptTrainer.create(config, 1, 1e-3f)) {
            trainer.writeBundle(bundleDir, provenance(config), vocabulary);
        }
        Path parameters = bundleDir.resolve("checkpoint").resolve(GptTrainer.PARAMETERS_FILE);

        byte[] bytes = Files.readAllBytes(parameters);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(parameters, bytes);
        BundleIntegrityException error =
                assertThrows(BundleIntegrityException.class, () -> BundleReader.read(bundleDir));

        assertEquals(parameters, error.file());
        assertTrue(
                error.getMessage().contains("parameters.djl: expected sha256 "),
                error.getMessage());
    }

    private static List<Float> train(
            GptTrainer trainer, List<TrainingBatch> batches, int from, int count) {
        List<Float> losses = new ArrayList<>();
        for (int step = from; step < from + count; step++) {
            losses.add(trainer.trainStep(batches.get(step % batches.size())));
        }
        return losses;
    }

    private static ModelProvenance provenance(ModelConfig config) {
        Instant from = Instant.parse("2025-01-01T00:00:00Z");
        return new ModelProvenance(
                "m1",
                null,
                Instant.parse("2025-03-01T00:00:00Z"),
                new DataSpan(from, from.plusSeconds(86_400)),
                config,
                42,
                Map.of());
    }
}
