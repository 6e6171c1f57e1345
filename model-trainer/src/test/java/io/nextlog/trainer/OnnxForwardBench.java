package io.nextlog.trainer;

import io.nextlog.bundle.ModelConfig;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenBatch;
import io.nextlog.tokenize.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bench command, not a test: ONNX Runtime forward latency of the bench model ({@link
 * ModelConfig#BENCH}, random weights) for batch 64 of full-length journeys at T 50 and 200.
 *
 * <pre>
 * mvn -B -pl model-trainer test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.nextlog.trainer.OnnxForwardBench [-Dexec.args="reps"]
 * </pre>
 *
 * ONNX Runtime runs with its default session options (all optimisations, its own thread count).
 */
public final class OnnxForwardBench {

    private static final int BATCH = 64;
    private static final int WARMUP = 20;

    private OnnxForwardBench() {}

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        ModelConfig config = ModelConfig.BENCH;
        List<String> items = new ArrayList<>();
        for (int i = 0; i < config.vocabularySize() - Vocabulary.FIRST_ITEM_ID; i++) {
            items.add("i" + i);
        }
        Vocabulary vocabulary = Vocabulary.of(config.vocabularySize(), items);
        JourneyTokenizer tokenizer = new JourneyTokenizer(vocabulary, config.tokenizer());
        SyntheticJourneys data = new SyntheticJourneys(1, items.size());

        byte[] model;
        try (GptTrainer trainer = GptTrainer.create(config, 1, 1e-3f)) {
            model = trainer.exportOnnx();
        }
        System.out.printf("bench model %s, ONNX %d bytes%n", config, model.length);
        try (OnnxScorer scorer = new OnnxScorer(model)) {
            for (int timeSteps : new int[] {50, 200}) {
                TokenBatch batch =
                        tokenizer.tokenize(data.journeys(BATCH, timeSteps, timeSteps), timeSteps);
                report(timeSteps, measure(scorer, batch, repetitions));
            }
        }
    }

    private static long[] measure(OnnxScorer scorer, TokenBatch batch, int repetitions)
            throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            scorer.run(batch);
        }
        long[] nanos = new long[repetitions];
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            scorer.run(batch);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void report(int timeSteps, long[] sortedNanos) {
        int n = sortedNanos.length;
        double median = sortedNanos[n / 2] / 1e6;
        double p99 = sortedNanos[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6;
        System.out.printf(
                "batch %d, T %d: median %.2f ms, p99 %.2f ms over %d runs (%d cores)%n",
                BATCH, timeSteps, median, p99, n, Runtime.getRuntime().availableProcessors());
    }
}
