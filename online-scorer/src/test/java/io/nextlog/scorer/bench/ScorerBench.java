package io.nextlog.scorer.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.scorer.RankingSettings;
import io.nextlog.scorer.Scorer;
import io.nextlog.scorer.ScoringRequest;
import io.nextlog.scorer.TestScorers;
import io.nextlog.scorer.arm.ArmAssigner;
import io.nextlog.scorer.batch.RequestCoalescer;
import io.nextlog.scorer.catalog.ChannelCatalog;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.LoadedModel;
import io.nextlog.scorer.model.ModelLoader;
import io.nextlog.scorer.model.ModelSlots;
import io.nextlog.scorer.onnx.SessionFactory;
import io.nextlog.scorer.onnx.SessionSettings;
import io.nextlog.scorer.reason.ReasonBuilder;
import io.nextlog.scorer.reason.ReasonTemplates;
import io.nextlog.tokenize.TokenBatch;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Bench command, not a test: the scorer's {@link Scorer#score} beside a raw {@code OrtSession.run}
 * on the same tensors, for a bench bundle ({@code ModelConfig.BENCH}, random weights), at T 50 and
 * 200 and batch 1, 16, 64, 256; then the coalescing service path at half the scorer's batch-64
 * throughput. The scorer path includes tokenising, tensor creation, top-10 over 2,000 eligible
 * catalog items of one channel, and reasons. Both use ONNX Runtime's default session options.
 *
 * <p>Two steps: write the bench bundle with the trainer (the scorer cannot depend on it), then run
 * this:
 *
 * <pre>
 * mvn -B -o -pl model-trainer test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=io.nextlog.trainer.BenchBundles \
 *     -Dexec.args=/tmp/nextlog-bench-bundle
 * mvn -B -o -pl online-scorer test-compile org.codehaus.mojo:exec-maven-plugin:3.5.1:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=io.nextlog.scorer.bench.ScorerBench \
 *     -Dexec.args="/tmp/nextlog-bench-bundle [seconds per measurement]"
 * </pre>
 */
public final class ScorerBench {

    private static final int[] BATCHES = {1, 16, 64, 256};
    private static final int[] TIME_STEPS = {50, 200};
    private static final int CATALOG_ITEMS = 2_000;
    private static final String CHANNEL = "t-deal";

    private ScorerBench() {}

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        ScorerMetrics metrics = new ScorerMetrics();
        ModelLoader loader =
                new ModelLoader(
                        new SessionFactory(SessionSettings.CPU_DEFAULTS, metrics),
                        metrics,
                        3,
                        Clock.systemUTC());
        LoadedModel model = loader.load(bundle);
        ModelSlots slots = new ModelSlots(model, model);
        Scorer scorer = scorer(slots, model, metrics);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        System.out.printf(
                "bench bundle %s, model %s, %d cores%n",
                bundle, model.version(), Runtime.getRuntime().availableProcessors());
        System.out.println(
                "T    B    | raw scores/s  p50 ms  p99 ms | scorer scores/s  p50 ms  p99 ms |"
                        + " throughput ratio");

        double[] scorerRate64 = new double[TIME_STEPS.length];
        double[] rawP50At64 = new double[TIME_STEPS.length];
        try (OrtSession raw =
                environment.createSession(
                        model.bundle().onnxModel().toString(), new OrtSession.SessionOptions())) {
            for (int t = 0; t < TIME_STEPS.length; t++) {
                for (int batchSize : BATCHES) {
                    List<ScoringRequest> requests = requests(model, batchSize, TIME_STEPS[t]);
                    TokenBatch tokens = tokenize(model, requests, TIME_STEPS[t]);
                    long[] rawNanos = measureRaw(environment, raw, tokens, seconds);
                    long[] scorerNanos = measure(() -> scorer.score(requests), seconds);
                    double rawRate = batchSize / (median(rawNanos) / 1e9);
                    double scorerRate = batchSize / (median(scorerNanos) / 1e9);
                    System.out.printf(
                            "%-4d %-4d | %12.0f %7.2f %7.2f | %15.0f %7.2f %7.2f | %.3f%n",
                            TIME_STEPS[t],
                            batchSize,
                            rawRate,
                            median(rawNanos) / 1e6,
                            p99(rawNanos) / 1e6,
                            scorerRate,
                            median(scorerNanos) / 1e6,
                            p99(scorerNanos) / 1e6,
                            scorerRate / rawRate);
                    if (batchSize == 64) {
                        scorerRate64[t] = scorerRate;
                        rawP50At64[t] = median(rawNanos) / 1e6;
                    }
                }
            }
        }
        for (int t = 0; t < TIME_STEPS.length; t++) {
            halfLoad(
                    scorer,
                    metrics,
                    model,
                    TIME_STEPS[t],
                    scorerRate64[t] / 2,
                    rawP50At64[t],
                    seconds);
        }
        slots.close();
    }

    /** Open-loop arrivals through the coalescer at a fixed rate; latency per request. */
    private static void halfLoad(
            Scorer scorer,
            ScorerMetrics metrics,
            LoadedModel model,
            int timeSteps,
            double perSecond,
            double rawBatchMillis,
            double seconds)
            throws Exception {
        List<ScoringRequest> pool = requests(model, 512, timeSteps);
        int count = (int) Math.max(200, perSecond * seconds * 2);
        long[] latency = new long[count];
        List<CompletableFuture<?>> done = new ArrayList<>(count);
        try (RequestCoalescer coalescer =
                new RequestCoalescer(scorer, metrics, 64, Duration.ofMillis(2), 100_000)) {
            long start = System.nanoTime();
            long gapNanos = (long) (1e9 / perSecond);
            for (int i = 0; i < count; i++) {
                long due = start + i * gapNanos;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                int index = i;
                long submitted = System.nanoTime();
                done.add(
                        coalescer
                                .submit(pool.get(i % pool.size()), submitted + 60_000_000_000L)
                                .thenRun(() -> latency[index] = System.nanoTime() - submitted));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        // The first second is warm-up of the batcher; the figures include it, which only hurts.
        System.out.printf(
                "half load T %d: %.0f requests/s offered, %d requests: p50 %.2f ms, p99 %.2f ms;"
                        + " raw batch-64 compute %.2f ms; p99 / raw = %.2f%n",
                timeSteps,
                perSecond,
                count,
                median(sorted) / 1e6,
                p99(sorted) / 1e6,
                rawBatchMillis,
                (p99(sorted) / 1e6) / rawBatchMillis);
    }

    private static Scorer scorer(ModelSlots slots, LoadedModel model, ScorerMetrics metrics) {
        Channels channels = Channels.defaults();
        ChannelCatalog catalog = new ChannelCatalog(channels, metrics);
        List<String> items = model.bundle().vocabulary().items();
        for (int i = 0; i < CATALOG_ITEMS; i++) {
            String item = items.get(i * (items.size() / CATALOG_ITEMS));
            catalog.apply(
                    item,
                    TestScorers.catalogItem(
                            item, List.of(CHANNEL), Instant.parse("2020-01-01T00:00:00Z"), null));
        }
        return new Scorer(
                slots,
                catalog,
                channels,
                ArmAssigner.of("bench", "live=1"),
                Set.of(),
                new ReasonBuilder(EnumSet.of(Domain.LOCATION_VISIT), 3, ReasonTemplates.defaults()),
                new RankingSettings(10, 100, Duration.ZERO, EnumSet.noneOf(Domain.class)),
                metrics,
                Clock.systemUTC());
    }

    private static List<ScoringRequest> requests(LoadedModel model, int count, int length) {
        Random random = new Random(count * 31L + length);
        List<String> items = model.bundle().vocabulary().items();
        Domain[] domains = Domain.values();
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        List<ScoringRequest> requests = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            List<JourneyStep> journey = new ArrayList<>(length);
            for (int s = 0; s < length; s++) {
                journey.add(
                        new JourneyStep(
                                items.get(random.nextInt(items.size())),
                                domains[1 + random.nextInt(domains.length - 1)],
                                start.plusSeconds(60L * s)));
            }
            requests.add(
                    new ScoringRequest(
                            "user-" + r,
                            journey,
                            List.of(CHANNEL),
                            10,
                            Set.of(),
                            Instant.parse("2025-06-01T00:00:00Z")));
        }
        return requests;
    }

    private static TokenBatch tokenize(
            LoadedModel model, List<ScoringRequest> requests, int timeSteps) {
        return model.tokenizer()
                .tokenize(requests.stream().map(ScoringRequest::journey).toList(), timeSteps);
    }

    private static long[] measureRaw(
            OrtEnvironment environment, OrtSession session, TokenBatch batch, double seconds)
            throws Exception {
        try (OnnxTensor items = tensor(environment, batch.itemIds(), batch);
                OnnxTensor domains = tensor(environment, batch.domainIds(), batch);
                OnnxTensor gaps = tensor(environment, batch.gapBuckets(), batch)) {
            Map<String, OnnxTensor> inputs =
                    Map.of(
                            GraphSignature.ITEM_IDS, items,
                            GraphSignature.DOMAIN_IDS, domains,
                            GraphSignature.GAP_BUCKETS, gaps);
            return measure(
                    () -> {
                        try (OrtSession.Result result = session.run(inputs)) {
                            return result.size();
                        }
                    },
                    seconds);
        }
    }

    private static OnnxTensor tensor(OrtEnvironment environment, long[] ids, TokenBatch batch)
            throws Exception {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), batch.shape());
    }

    /** Runs a warm-up, then as many runs as fit in {@code seconds} (at least 20); sorted nanos. */
    private static long[] measure(Run run, double seconds) throws Exception {
        for (int i = 0; i < 5; i++) {
            run.once();
        }
        long budget = (long) (seconds * 1e9);
        long started = System.nanoTime();
        long[] nanos = new long[1 << 16];
        int n = 0;
        while (n < nanos.length && (n < 20 || System.nanoTime() - started < budget)) {
            long t0 = System.nanoTime();
            run.once();
            nanos[n++] = System.nanoTime() - t0;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        return sorted;
    }

    private static double median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static double p99(long[] sorted) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
    }

    @FunctionalInterface
    private interface Run {
        Object once() throws Exception;
    }
}
