package io.nextlog.ingest;

import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.scorer.EmbeddedScorer;
import io.nextlog.scorer.ScoringRequest;
import io.nextlog.scorer.ScoringResult;
import io.nextlog.scorer.config.ScorerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * I/O hands tasks in one at a time (up to its capacity in flight), and one batching thread per
 * subtask drains them into forward passes of at most {@code scoring.batch.size} journeys, waiting
 * at most {@code scoring.batch.max-wait} for a batch to fill.
 *
 * <p>The scorer in each subtask follows {@code model-releases} itself, exactly as every scorer
 * service does, rather than taking releases from a broadcast stream: releases are applied in
 * sequence order by the same code everywhere, so the job and the services move to a release (or a
 * rollback) together, and no model needs to live in Flink state. Every result names the model
 * version that produced it.
 *
 * <p>Threads: Flink's task thread calls {@link #asyncInvoke}; the batching thread scores and
 * completes the futures. Each subtask's ONNX Runtime session gets one intra-op thread unless the
 * options say otherwise. A batch that fails is logged at WARN and its journeys complete without
 * recommendations (counted in {@code scoringFailures}); the next change of those journeys scores
 * them again.
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

    private transient EmbeddedScorer scorer;
    private transient LinkedBlockingQueue<Pending> queue;
    private transient Thread batcher;
    private transient volatile boolean running;
    private transient Counter failures;
    private transient Counter timeouts;
    private transient Histogram latencyMs;
    private transient Histogram batchSizes;

    BatchScoringFunction(IngestConfig config) {
        this.scorerOptions = config.scorerOptions();
        this.bootstrapServers = config.bootstrapServers();
        this.registryUrl = config.registryUrl();
        this.batchSize = config.scoringBatchSize();
        this.maxWait = config.scoringMaxWait();
    }

    private record Pending(ScoringTask task, ResultFuture<ScoredJourney> future) {}

    @Override
    public void open(OpenContext openContext) throws Exception {
        Map<String, String> options = new java.util.HashMap<>(scorerOptions);
        options.putIfAbsent("scorer.onnx.intra-op-threads", "1");
        // Unless told otherwise, follow releases and the catalog on the cluster the job reads.
        options.putIfAbsent("scorer.kafka.bootstrap-servers", bootstrapServers);
        options.putIfAbsent("scorer.kafka.registry-url", registryUrl);
        scorer = EmbeddedScorer.start(ScorerConfig.of(options));
        awaitCaughtUp();
        queue = new LinkedBlockingQueue<>();
        var metrics = getRuntimeContext().getMetricGroup();
        failures = metrics.counter("scoringFailures");
        timeouts = metrics.counter("scoringTimeouts");
        latencyMs = metrics.histogram("scoringLatencyMs", new DescriptiveStatisticsHistogram(1024));
        batchSizes =
                metrics.histogram("scoringBatchSize", new DescriptiveStatisticsHistogram(1024));
        metrics.gauge("liveModelVersion", () -> scorer.liveVersion());
        running = true;
        batcher = new Thread(this::batchLoop, "nextlog-scoring-batcher");
        batcher.setDaemon(true);
        batcher.start();
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
        queue.add(new Pending(task, future));
    }

    @Override
    public void timeout(ScoringTask task, ResultFuture<ScoredJourney> future) {
        timeouts.inc();
        LOG.warn(
                "scoring the journey of user {} timed out; it is scored again on its next change",
                task.userId);
        future.complete(List.of());
    }

    private void batchLoop() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWait.toNanos();
                while (batch.size() < batchSize) {
                    Pending next =
                            queue.poll(
                                    Math.max(0, deadline - System.nanoTime()),
                                    TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                score(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void score(List<Pending> batch) {
        List<ScoringRequest> requests = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            requests.add(
                    new ScoringRequest(
                            pending.task.userId,
                            Arrays.asList(pending.task.journey),
                            List.of(),
                            0,
                            Set.of(),
                            null));
        }
        List<ScoringResult> results;
        try {
            results = scorer.score(requests);
        } catch (RuntimeException e) {
            failures.inc(batch.size());
            LOG.warn(
                    "scoring a batch of {} journeys failed; they are scored again on their next"
                            + " change",
                    batch.size(),
                    e);
            batch.forEach(pending -> pending.future.complete(List.of()));
            return;
        }
        batchSizes.update(batch.size());
        long now = System.currentTimeMillis();
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            ScoringResult result = results.get(i);
            JourneyStep[] seen = tail(pending.task.journey, scorer.maxJourneyLength(result.slot()));
            latencyMs.update(now - pending.task.emittedAtMs);
            pending.future.complete(
                    List.of(
                            new ScoredJourney(
                                    pending.task.userId,
                                    seen,
                                    result.recommendations().toArray(new Recommendation[0]),
                                    pending.task.emittedAtMs)));
        }
    }

    private static JourneyStep[] tail(JourneyStep[] journey, int length) {
        return journey.length <= length
                ? journey
                : Arrays.copyOfRange(journey, journey.length - length, journey.length);
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (batcher != null) {
            batcher.interrupt();
            batcher.join(5_000);
        }
        if (scorer != null) {
            scorer.close();
        }
    }
}
