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
import io.nextlog.scorer.config.ScorerOptions;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Bench command, not a test: the scorer's {@link Scorer#score} beside a raw {@code OrtSession.run}
 * on the same tensors, for a bench bundle ({@code ModelConfig.BENCH}, random weights), at T 50 and
 * 200 and batch 1, 16, 64, 256; then the service path (the {@link RequestCoalescer} the HTTP
 * service and the Flink job put before {@link Scorer#score}) at its maximum sustainable rate and at
 * half of it. The scorer path includes tokenising, tensor creation, top-10 over 2,000 eligible
 * catalog items of one channel, and reasons; the raw side runs on tensors made once, outside the
 * timing.
 *
 * <p>Both sides open their session through the same {@link SessionFactory} with the same {@link
 * SessionSettings}, so threads and optimisation level match. The maximum sustainable rate is a
 * burst far larger than a batch, queued at once and timed to the last answer; half load then offers
 * requests at evenly spaced instants (open loop) at half that rate, with the service's default
 * batch size and wait, and measures each request from its submission to its answer. The first
 * quarter of the half-load requests warms the batcher up and is left out of its figures. Raw and
 * scorer runs alternate, one of each in turn, so that load from outside the bench falls on both
 * alike. Every figure is measured in each of several rounds; the summary gives the median over
 * rounds.
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
 *     -Dexec.args="/tmp/nextlog-bench-bundle [seconds per measurement] [rounds] [intra-op threads]"
 * </pre>
 *
 * <p>Intra-op threads default to 0 (ONNX Runtime's choice, one per core). On a machine whose cores
 * are busy with other work, give 1 and pin the JVM to a free core ({@code taskset -c 0}): a pass
 * split over a busy core waits for it, and both sides then measure the neighbour, not the scorer.
 */
public final class ScorerBench {

    private static final int[] BATCHES = {1, 16, 64, 256};
    private static final int[] TIME_STEPS = {50, 200};
    private static final int CATALOG_ITEMS = 2_000;
    private static final String CHANNEL = "t-deal";
    private static final int SERVICE_BATCH = ScorerOptions.BATCH_MAX_SIZE.defaultValue();
    private static final Duration SERVICE_WAIT = ScorerOptions.BATCH_MAX_WAIT.defaultValue();
    private static final long DEADLINE_NANOS = 60_000_000_000L;

    private ScorerBench() {}

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int intraOpThreads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        SessionSettings settings = new SessionSettings(false, false, 0, intraOpThreads, 0, "all");
        ScorerMetrics metrics = new ScorerMetrics();
        SessionFactory sessions = new SessionFactory(settings, metrics);
        ModelLoader loader = new ModelLoader(sessions, metrics, 3, Clock.systemUTC());
        LoadedModel model = loader.load(bundle);
        ModelSlots slots = new ModelSlots(model, model);
        Scorer scorer = scorer(slots, model, metrics);
        System.out.printf(
                "bench bundle %s, model %s, %d cores, %s, %d rounds of %.1f s per figure%n",
                bundle,
                model.version(),
                Runtime.getRuntime().availableProcessors(),
                settings,
                rounds,
                seconds);

        Map<String, List<Double>> figures = new LinkedHashMap<>();
        try (OrtSession raw = sessions.open(model.bundle().onnxModel())) {
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("round %d%n", round);
                for (int timeSteps : TIME_STEPS) {
                    double rawMillis64 = 0;
                    for (int batchSize : BATCHES) {
                        double rawMillis =
                                sideBySide(
                                        model, raw, scorer, timeSteps, batchSize, seconds, figures);
                        if (batchSize == SERVICE_BATCH) {
                            rawMillis64 = rawMillis;
                        }
                    }
                    servicePath(scorer, metrics, model, timeSteps, rawMillis64, seconds, figures);
                }
            }
        }
        System.out.printf("median over %d rounds%n", rounds);
        figures.forEach(
                (name, values) ->
                        System.out.printf(
                                "  %-34s %10.3f   (rounds: %s)%n",
                                name, medianOf(values), rounds(values)));
        slots.close();
    }

    /** One batch shape, raw then scorer; returns the raw median milliseconds. */
    private static double sideBySide(
            LoadedModel model,
            OrtSession raw,
            Scorer scorer,
            int timeSteps,
            int batchSize,
            double seconds,
            Map<String, List<Double>> figures)
            throws Exception {
        List<ScoringRequest> requests = requests(model, batchSize, timeSteps);
        TokenBatch tokens = tokenize(model, requests, timeSteps);
        long[][] nanos = measureRawBeside(raw, tokens, () -> scorer.score(requests), seconds);
        long[] rawNanos = nanos[0];
        long[] scorerNanos = nanos[1];
        double rawRate = batchSize / (median(rawNanos) / 1e9);
        double scorerRate = batchSize / (median(scorerNanos) / 1e9);
        System.out.printf(
                "  T %-3d B %-3d | raw %8.0f scores/s p50 %7.2f p99 %7.2f ms"
                        + " | scorer %8.0f scores/s p50 %7.2f p99 %7.2f ms | ratio %.3f%n",
                timeSteps,
                batchSize,
                rawRate,
                median(rawNanos) / 1e6,
                p99(rawNanos) / 1e6,
                scorerRate,
                median(scorerNanos) / 1e6,
                p99(scorerNanos) / 1e6,
                scorerRate / rawRate);
        String shape = "T " + timeSteps + " B " + batchSize;
        record(figures, shape + " raw p50 ms", median(rawNanos) / 1e6);
        record(figures, shape + " scorer p50 ms", median(scorerNanos) / 1e6);
        record(figures, shape + " throughput ratio", scorerRate / rawRate);
        return median(rawNanos) / 1e6;
    }

    /** The coalescer at its maximum sustainable rate, then at half of it. */
    private static void servicePath(
            Scorer scorer,
            ScorerMetrics metrics,
            LoadedModel model,
            int timeSteps,
            double rawBatchMillis,
            double seconds,
            Map<String, List<Double>> figures)
            throws Exception {
        List<ScoringRequest> pool = requests(model, 512, timeSteps);
        double maxRate = saturatedRate(scorer, metrics, pool, seconds);
        long[] latency = openLoop(scorer, metrics, pool, maxRate / 2, seconds);
        double p99Millis = p99(latency) / 1e6;
        System.out.printf(
                "  T %-3d service path: max %.0f requests/s; at half, %.0f/s: p50 %.2f ms,"
                        + " p99 %.2f ms; raw batch-%d compute %.2f ms; p99 / raw %.2f%n",
                timeSteps,
                maxRate,
                maxRate / 2,
                median(latency) / 1e6,
                p99Millis,
                SERVICE_BATCH,
                rawBatchMillis,
                p99Millis / rawBatchMillis);
        String shape = "T " + timeSteps + " half load";
        record(figures, "T " + timeSteps + " max requests/s", maxRate);
        record(figures, shape + " p50 ms", median(latency) / 1e6);
        record(figures, shape + " p99 ms", p99Millis);
        record(figures, shape + " p99 / raw batch", p99Millis / rawBatchMillis);
    }

    /** Requests per second the coalescer answers with a backlog that never runs dry. */
    private static double saturatedRate(
            Scorer scorer, ScorerMetrics metrics, List<ScoringRequest> pool, double seconds)
            throws Exception {
        double rate = 0;
        try (RequestCoalescer coalescer = coalescer(scorer, metrics)) {
            int burst = SERVICE_BATCH * 4;
            for (int attempt = 0; attempt < 2; attempt++) {
                // The first burst warms up and sizes the second to last about the measuring time.
                List<CompletableFuture<?>> done = new ArrayList<>(burst);
                long started = System.nanoTime();
                for (int i = 0; i < burst; i++) {
                    done.add(coalescer.submit(pool.get(i % pool.size()), started + DEADLINE_NANOS));
                }
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
                rate = burst / ((System.nanoTime() - started) / 1e9);
                burst = (int) Math.max(SERVICE_BATCH * 4, rate * seconds);
            }
        }
        return rate;
    }

    /** Requests at evenly spaced instants; the latency of each after the warm-up quarter. */
    private static long[] openLoop(
            Scorer scorer,
            ScorerMetrics metrics,
            List<ScoringRequest> pool,
            double perSecond,
            double seconds)
            throws Exception {
        int count = (int) Math.max(400, perSecond * seconds * 4 / 3);
        long[] latency = new long[count];
        List<CompletableFuture<?>> done = new ArrayList<>(count);
        try (RequestCoalescer coalescer = coalescer(scorer, metrics)) {
            long start = System.nanoTime();
            double gapNanos = 1e9 / perSecond;
            for (int i = 0; i < count; i++) {
                // Sleep, not spin: a spinning load generator takes a core from the scorer.
                long due = start + (long) (i * gapNanos);
                for (long wait = due - System.nanoTime(); wait > 0; ) {
                    LockSupport.parkNanos(wait);
                    wait = due - System.nanoTime();
                }
                int index = i;
                long submitted = System.nanoTime();
                done.add(
                        coalescer
                                .submit(pool.get(i % pool.size()), submitted + DEADLINE_NANOS)
                                .thenRun(() -> latency[index] = System.nanoTime() - submitted));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
        long[] measured = Arrays.copyOfRange(latency, count / 4, count);
        Arrays.sort(measured);
        return measured;
    }

    private static RequestCoalescer coalescer(Scorer scorer, ScorerMetrics metrics) {
        return new RequestCoalescer(scorer, metrics, SERVICE_BATCH, SERVICE_WAIT, 1_000_000);
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

    /** Raw runs on tensors made once, alternating with {@code scorer}; sorted nanos of each. */
    private static long[][] measureRawBeside(
            OrtSession session, TokenBatch batch, Run scorer, double seconds) throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OnnxTensor items = tensor(environment, batch.itemIds(), batch);
                OnnxTensor domains = tensor(environment, batch.domainIds(), batch);
                OnnxTensor gaps = tensor(environment, batch.gapBuckets(), batch)) {
            Map<String, OnnxTensor> inputs =
                    Map.of(
                            GraphSignature.ITEM_IDS, items,
                            GraphSignature.DOMAIN_IDS, domains,
                            GraphSignature.GAP_BUCKETS, gaps);
            Run raw =
                    () -> {
                        try (OrtSession.Result result = session.run(inputs)) {
                            return result.size();
                        }
                    };
            return measureAlternating(raw, scorer, seconds);
        }
    }

    private static OnnxTensor tensor(OrtEnvironment environment, long[] ids, TokenBatch batch)
            throws Exception {
        return OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), batch.shape());
    }

    /**
     * Runs a warm-up of each, then {@code a} and {@code b} in turn for {@code seconds} in all (at
     * least 20 runs of each), so that load from outside the bench falls on both alike; sorted nanos
     * of {@code a}, then of {@code b}.
     */
    private static long[][] measureAlternating(Run a, Run b, double seconds) throws Exception {
        for (int i = 0; i < 5; i++) {
            a.once();
            b.once();
        }
        long budget = (long) (seconds * 2 * 1e9);
        long started = System.nanoTime();
        long[][] nanos = new long[2][1 << 16];
        Run[] runs = {a, b};
        int n = 0;
        while (n < nanos[0].length && (n < 20 || System.nanoTime() - started < budget)) {
            for (int side = 0; side < 2; side++) {
                long t0 = System.nanoTime();
                runs[side].once();
                nanos[side][n] = System.nanoTime() - t0;
            }
            n++;
        }
        long[][] sorted = {Arrays.copyOf(nanos[0], n), Arrays.copyOf(nanos[1], n)};
        Arrays.sort(sorted[0]);
        Arrays.sort(sorted[1]);
        return sorted;
    }

    private static void record(Map<String, List<Double>> figures, String name, double value) {
        figures.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }

    private static double medianOf(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String rounds(List<Double> values) {
        return values.stream().map(v -> String.format("%.3f", v)).toList().toString();
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
