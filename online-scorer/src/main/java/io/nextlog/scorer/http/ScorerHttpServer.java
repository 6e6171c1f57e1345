package io.nextlog.scorer.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nextlog.scorer.InvalidRequestException;
import io.nextlog.scorer.Scorer;
import io.nextlog.scorer.ScoringRequest;
import io.nextlog.scorer.ScoringResult;
import io.nextlog.scorer.batch.OverloadedException;
import io.nextlog.scorer.batch.RequestCoalescer;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.ModelSlot;
import io.nextlog.scorer.model.ModelSlots;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer's HTTP service on the JDK server.
 *
 * <ul>
 *   <li>{@code POST /v1/recommendations}: a journey in ({@link RecommendationJson}), per-channel
 *       ranked items with reasons out; header {@code X-Model-Version} names the model that produced
 *       them. 400 says what was wrong; 503 with {@code Retry-After} when shed.
 *   <li>{@code GET /v1/models}: live, previous and baseline with versions and load times.
 *   <li>{@code GET /metrics}: Prometheus text. {@code GET /health}: 200 while the process runs.
 *       {@code GET /ready}: 200 once a model is live and the release log has been read.
 * </ul>
 *
 * <p>Threading: a fixed pool of {@code threads} handler threads parses requests, hands them to the
 * {@link RequestCoalescer} and waits, at most until the request's deadline, for the batch to be
 * scored; the scoring itself runs on the coalescer's thread. Binds loopback unless configured
 * otherwise.
 */
public final class ScorerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerHttpServer.class);
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final ExecutorService handlers;
    private final Scorer scorer;
    private final RequestCoalescer coalescer;
    private final ModelSlots slots;
    private final ScorerMetrics metrics;
    private final BooleanSupplier ready;
    private final LongSupplier lastReleaseSequence;
    private final long deadlineNanos;
    private final String retryAfterSeconds;
    private final AtomicBoolean badRequestLogged = new AtomicBoolean();

    /** The service's collaborators and settings. */
    public record Settings(
            String host, int port, int threads, Duration requestDeadline, Duration retryAfter) {}

    /**
     * Binds and starts the server.
     *
     * @param ready whether the scorer may take traffic (answers {@code /ready})
     * @param lastReleaseSequence the sequence of the last applied release, for {@code /v1/models}
     * @throws IOException if the address cannot be bound
     */
    public ScorerHttpServer(
            Settings settings,
            Scorer scorer,
            RequestCoalescer coalescer,
            ModelSlots slots,
            ScorerMetrics metrics,
            BooleanSupplier ready,
            LongSupplier lastReleaseSequence)
            throws IOException {
        this.scorer = scorer;
        this.coalescer = coalescer;
        this.slots = slots;
        this.metrics = metrics;
        this.ready = ready;
        this.lastReleaseSequence = lastReleaseSequence;
        this.deadlineNanos = settings.requestDeadline().toNanos();
        long seconds = Math.max(1, (settings.retryAfter().toMillis() + 999) / 1000);
        this.retryAfterSeconds = Long.toString(seconds);

        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        this.handlers = Executors.newFixedThreadPool(settings.threads(), daemon());
        server.setExecutor(handlers);
        server.createContext("/v1/recommendations", this::recommendations);
        server.createContext("/v1/models", this::models);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health", exchange -> plain(exchange, 200, "ok\n"));
        server.createContext("/ready", this::ready);
        server.start();
        LOG.info("Scorer HTTP service listening on {}", server.getAddress());
    }

    /** Returns the bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void recommendations(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        try (exchange) {
            answer(exchange, arrived);
        }
    }

    private void answer(HttpExchange exchange, long arrived) throws IOException {
        try {
            if (!exchange.getRequestMethod().equals("POST")) {
                methodNotAllowed(exchange, "POST");
                return;
            }
            ScoringRequest request;
            try {
                request = RecommendationJson.parse(readBody(exchange));
                scorer.validate(request);
            } catch (InvalidRequestException e) {
                badRequest(exchange, e.getMessage());
                return;
            }
            ScoringResult result;
            try {
                result = await(coalescer.submit(request, arrived + deadlineNanos), arrived);
            } catch (OverloadedException e) {
                shed(exchange, e.getMessage());
                return;
            }
            exchange.getResponseHeaders().set("X-Model-Version", result.modelVersion());
            json(exchange, 200, RecommendationJson.write(result));
            metrics.requestLatency.observe((System.nanoTime() - arrived) / 1e9);
        } catch (RuntimeException e) {
            LOG.error("Answering a recommendation request failed", e);
            json(exchange, 500, RecommendationJson.error("scoring failed: " + e.getMessage()));
        }
    }

    private ScoringResult await(
            java.util.concurrent.CompletableFuture<ScoringResult> pending, long arrived) {
        long left = arrived + deadlineNanos - System.nanoTime();
        try {
            return pending.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Completing it here tells the batcher to skip it; whichever completes it counts it.
            OverloadedException late =
                    new OverloadedException("request deadline passed while waiting for a batch");
            if (pending.completeExceptionally(late)) {
                metrics.shedRequests.increment();
                throw late;
            }
            return await(pending, arrived);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OverloadedException overloaded) {
                throw overloaded;
            }
            throw new IllegalStateException("scoring failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OverloadedException("interrupted while waiting for a batch");
        }
    }

    private void models(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                methodNotAllowed(exchange, "GET");
                return;
            }
            ObjectNode root = RecommendationJson.object();
            for (Map.Entry<ModelSlot, ModelSlots.ModelInfo> slot : slots.describe().entrySet()) {
                root.putObject(slot.getKey().name().toLowerCase(java.util.Locale.ROOT))
                        .put("version", slot.getValue().version())
                        .put("bundle", slot.getValue().bundle())
                        .put("loadedAt", slot.getValue().loadedAt().toString());
            }
            long sequence = lastReleaseSequence.getAsLong();
            if (sequence == Long.MIN_VALUE) {
                root.putNull("lastReleaseSequence");
            } else {
                root.put("lastReleaseSequence", sequence);
            }
            json(exchange, 200, RecommendationJson.bytes(root));
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders()
                    .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            byte[] body = metrics.toPrometheusText().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void ready(HttpExchange exchange) throws IOException {
        if (ready.getAsBoolean()) {
            plain(exchange, 200, "ready\n");
        } else {
            plain(exchange, 503, "not ready: catching up with model-releases\n");
        }
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new InvalidRequestException(
                        "request body: expected at most " + MAX_BODY_BYTES + " bytes, found more");
            }
            return body;
        }
    }

    private void badRequest(HttpExchange exchange, String message) throws IOException {
        metrics.badRequests.increment();
        if (badRequestLogged.compareAndSet(false, true)) {
            LOG.warn("Answered 400: {} (further ones counted only)", message);
        }
        json(exchange, 400, RecommendationJson.error(message));
    }

    private void shed(HttpExchange exchange, String message) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", retryAfterSeconds);
        json(exchange, 503, RecommendationJson.error(message));
    }

    private static void methodNotAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        json(
                exchange,
                405,
                RecommendationJson.error(
                        "method: expected " + allowed + ", found " + exchange.getRequestMethod()));
    }

    private static void json(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void plain(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "scorer-http");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops accepting, finishes exchanges in flight for up to a second, stops the handlers. */
    @Override
    public void close() {
        server.stop(1);
        handlers.shutdownNow();
    }
}
