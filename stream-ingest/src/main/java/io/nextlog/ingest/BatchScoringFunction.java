package io.nextlog.ingest;

import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.scorer.EmbeddedScorer;
import io.nextlog.scorer.ScoringRequest;
import io.nextlog.scorer.ScoringResult;
import io.nextlog.scorer.batch.OverloadedException;
import io.nextlog.scorer.batch.RequestCoalescer;
import io.nextlog.scorer.config.ScorerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores journeys through the online scorer library in batches formed across users: Flink's Async
 * I/O hands tasks in one at a time (up to its capacity in flight), and the scorer's {@link
 * RequestCoalescer}, the same one its HTTP service uses, drains them into forward passes of at most
 * {@code scoring.batch.size} journeys, waiting at most {@code scoring.batch.max-wait} for a batch
 * to fill.
 *
 * <p>The scorer in each subtask follows {@code model-releases} itself, exactly as every scorer
 * service does, rather than taking releases from a broadcast stream: releases are applied in
 * sequence order by the same code everywhere, so the job and the services move to a release (or a
 * rollback) together, and no model needs to live in Flink state. Every result names the model
 * version that produced it.
 *
 * <p>Threads: Flink's task thread calls {@link #asyncInvoke}; the coalescer's batching thread
 * scores and completes the futures. Each subtask's ONNX Runtime session gets one intra-op thread
 * unless the options say otherwise. A journey whose scoring fails or misses {@code scoring.timeout}
 * is logged at WARN and completes without recommendations (counted in {@code scoringFailures} or
 * {@code scoringTimeouts}); its next change scores it again.
 */
final class BatchScoringFunction extends RichAsyncFunction<ScoringTask, ScoredJourney> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchScoringFunction.class);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> scorerOptions;
    private final String bootstrapServers;
    private final String registryUrl;
    private final int batchSize;
    private final Duration maxWait;
    private final int capacity;
    private final Duration timeout;

    private transient EmbeddedScorer scorer;
    private transient RequestCoalescer coalescer;
    private transient Counter failures;
    private transient Counter timeouts;
    private transient Histogram latencyMs;

    BatchScoringFunction(IngestConfig config) {
        this.scorerOptions = config.scorerOptions();
        this.bootstrapServers = config.bootstrapServers();
        this.registryUrl = config.registryUrl();
        this.batchSize = config.scoringBatchSize();
        this.maxWait = config.scoringMaxWait();
        this.capacity = config.scoringCapacity();
        this.timeout = config.scoringTimeout();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        Map<String, String> options = new HashMap<>(scorerOptions);
        options.putIfAbsent("scorer.onnx.intra-op-threads", "1");
        // Unless told otherwise, follow releases and the catalog on the cluster the job reads.
        options.putIfAbsent("scorer.kafka.bootstrap-servers", bootstrapServers);
        options.putIfAbsent("scorer.kafka.registry-url", registryUrl);
        scorer = EmbeddedScorer.start(ScorerConfig.of(options));
        awaitCaughtUp();
        // Room for everything Async I/O may have in flight, so the queue never sheds here.
        coalescer =
                new RequestCoalescer(
                        scorer.scorer(), scorer.metrics(), batchSize, maxWait, capacity);
        var metrics = getRuntimeContext().getMetricGroup();
        failures = metrics.counter("scoringFailures");
        timeouts = metrics.counter("scoringTimeouts");
        latencyMs = metrics.histogram("scoringLatencyMs", new DescriptiveStatisticsHistogram(1024));
        metrics.gauge("liveModelVersion", () -> scorer.liveVersion());
    }

    /**
     * Waits for the scorer to have read the release log and the catalog: scored before that, a
     * journey would be ranked against an empty catalog (after a restore, every subtask starts its
     * followers afresh) and its recommendations held back as having nothing eligible.
     */
    private void awaitCaughtUp() throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (!scorer.isReady()) {
            if (System.nanoTime() > deadline) {
                LOG.warn(
                        "scorer has not read model-releases and catalog-items within {}; scoring"
                                + " with what it has",
                        CATCH_UP_TIMEOUT);
                return;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void asyncInvoke(ScoringTask task, ResultFuture<ScoredJourney> future) {
        ScoringRequest request =
                new ScoringRequest(
                        task.userId, Arrays.asList(task.journey), List.of(), 0, Set.of(), null);
        CompletableFuture<ScoringResult> result;
        try {
            result = coalescer.submit(request, System.nanoTime() + timeout.toNanos());
        } catch (OverloadedException e) {
            fail(task, future, e);
            return;
        }
        result.whenComplete(
                (scored, error) -> {
                    if (error != null) {
                        fail(task, future, error);
                        return;
                    }
                    latencyMs.update(System.currentTimeMillis() - task.emittedAtMs);
                    JourneyStep[] seen = tail(task.journey, scorer.maxJourneyLength(scored.slot()));
                    future.complete(
                            List.of(
                                    new ScoredJourney(
                                            task.userId,
                                            seen,
                                            scored.recommendations().toArray(new Recommendation[0]),
                                            task.emittedAtMs)));
                });
    }

    private void fail(ScoringTask task, ResultFuture<ScoredJourney> future, Throwable error) {
        failures.inc();
        LOG.warn(
                "scoring the journey of user {} failed; it is scored again on its next change",
                task.userId,
                error);
        future.complete(List.of());
    }

    @Override
    public void timeout(ScoringTask task, ResultFuture<ScoredJourney> future) {
        timeouts.inc();
        LOG.warn(
                "scoring the journey of user {} timed out; it is scored again on its next change",
                task.userId);
        future.complete(List.of());
    }

    private static JourneyStep[] tail(JourneyStep[] journey, int length) {
        return journey.length <= length
                ? journey
                : Arrays.copyOfRange(journey, journey.length - length, journey.length);
    }

    @Override
    public void close() throws Exception {
        if (coalescer != null) {
            coalescer.close();
        }
        if (scorer != null) {
            scorer.close();
        }
    }
}
