package io.nextlog.trainer;

import io.nextlog.bundle.DataSpan;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.tokenize.Vocabulary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command, not a test: writes a bundle of the bench model ({@link ModelConfig#BENCH}) with random,
 * untrained weights, for latency benchmarks that must not depend on the trainer, such as the online
 * scorer's. Items are named {@code i0}, {@code i1}, ... and fill the whole vocabulary.
 *
 * <p>exec:java runs in Maven's JVM, so give an absolute target that does not exist yet:
 *
 * <pre>
 * mvn -B -o -pl model-trainer test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.nextlog.trainer.BenchBundles -Dexec.args=/tmp/nextlog-bench-bundle
 * </pre>
 */
public final class BenchBundles {

    private BenchBundles() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException(
                    "expected 1 argument (the bundle directory to create), found " + args.length);
        }
        Path target = Path.of(args[0]);
        ModelConfig config = ModelConfig.BENCH;
        List<String> items = new ArrayList<>();
        for (int i = 0; i < config.vocabularySize() - Vocabulary.FIRST_ITEM_ID; i++) {
            items.add("i" + i);
        }
        Vocabulary vocabulary = Vocabulary.of(config.vocabularySize(), items);
        Instant from = Instant.parse("2025-01-01T00:00:00Z");
        ModelProvenance provenance =
                new ModelProvenance(
                        "bench-random-1",
                        null,
                        from.plusSeconds(86_400),
                        new DataSpan(from, from.plusSeconds(86_400)),
                        config,
                        1,
                        Map.of());

        try (GptTrainer trainer = GptTrainer.create(config, 1, 1e-3f)) {
            trainer.writeBundle(target, provenance, vocabulary);
        }
        System.out.println("wrote bench bundle " + target);
    }
}
