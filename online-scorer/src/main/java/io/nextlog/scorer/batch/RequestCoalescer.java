package io.nextlog.scorer.batch;

import io.nextlog.scorer.Scorer;
import io.nextlog.scorer.ScoringRequest;
import io.nextlog.scorer.ScoringResult;
import io.nextlog.scorer.metrics.ScorerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces concurrent requests into batches for {@link Scorer#score}.
 *
 * <p>Threading: any number of HTTP threads {@link #submit}; one batching thread (started by the
 * constructor, stopped by {@link #close}) takes the oldest request, gathers more behind it until
 * the batch holds {@code maxBatch} or the oldest has been queued for {@code maxWait}, drops those
 * whose deadline has already passed, and scores the rest in one call. The wait counts from when the
 * oldest request was queued, not from when the batcher got to it: a request that queued while the
 * previous batch was scored has waited already, and leaves at once with whatever queued behind it.
 * A full batch leaves at once. ONNX Runtime parallelises inside that call, so one batching thread
 * keeps every core busy without passes competing for them. The queue is bounded: a request that
 * finds it full is shed at once ({@link OverloadedException}); one whose deadline passes while it
 * waits is shed when the batcher reaches it.
 */
public final class RequestCoalescer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestCoalescer.class);

    private final Scorer scorer;
    private final ScorerMetrics metrics;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Pending> queue;
    private final Thread batcher;
    private volatile boolean running = true;

    /**
     * @param scorer scores the batches
     * @param metrics counts shed requests
     * @param maxBatch most requests per batch
     * @param maxWait longest the oldest request waits for more
     * @param queueCapacity most requests waiting
     */
    public RequestCoalescer(
            Scorer scorer,
            ScorerMetrics metrics,
            int maxBatch,
            Duration maxWait,
            int queueCapacity) {
        this.scorer = scorer;
        this.metrics = metrics;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.batcher = new Thread(this::run, "scorer-batcher");
        batcher.setDaemon(true);
        batcher.start();
    }

    /**
     * Queues a validated request.
     *
     * @param deadlineNanos the {@link System#nanoTime()} by which it must be scored
     * @return completes with the result, or with {@link OverloadedException} if the deadline passed
     *     first
     * @throws OverloadedException if the queue is full
     */
    public CompletableFuture<ScoringResult> submit(ScoringRequest request, long deadlineNanos) {
        Pending pending =
                new Pending(request, System.nanoTime(), deadlineNanos, new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            metrics.shedRequests.increment();
            throw new OverloadedException(
                    "scoring queue: expected room for a request, found all "
                            + (queue.size() + queue.remainingCapacity())
                            + " places taken");
        }
        return pending.result();
    }

    /** Returns the number of requests waiting. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                fill(batch, first.queuedNanos() + maxWaitNanos);
                scoreBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("Scoring a batch of {} failed", batch.size(), e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        for (Pending pending : queue) {
            pending.result().completeExceptionally(new OverloadedException("scorer stopping"));
        }
    }

    private void fill(List<Pending> batch, long waitUntilNanos) throws InterruptedException {
        queue.drainTo(batch, maxBatch - batch.size());
        while (batch.size() < maxBatch) {
            long left = waitUntilNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void scoreBatch(List<Pending> batch) {
        long now = System.nanoTime();
        List<Pending> live = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (pending.result().isDone()) {
                continue; // its HTTP handler gave up at the deadline and has answered 503
            }
            if (now - pending.deadlineNanos() > 0) {
                OverloadedException late =
                        new OverloadedException(
                                "request deadline passed while waiting for a batch");
                if (pending.result().completeExceptionally(late)) {
                    metrics.shedRequests.increment();
                }
            } else {
                live.add(pending);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        List<ScoringRequest> requests = live.stream().map(Pending::request).toList();
        List<ScoringResult> results = scorer.score(requests);
        for (int i = 0; i < live.size(); i++) {
            live.get(i).result().complete(results.get(i));
        }
    }

    /** Stops the batcher; waiting requests fail with {@link OverloadedException}. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        batcher.join(5_000);
    }

    private record Pending(
            ScoringRequest request,
            long queuedNanos,
            long deadlineNanos,
            CompletableFuture<ScoringResult> result) {}
}
