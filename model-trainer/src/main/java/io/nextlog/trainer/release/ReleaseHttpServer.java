package io.nextlog.trainer.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nextlog.schemas.event.ModelRelease;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release manager's HTTP face, so that people and the command line ask the manager instead of
 * writing the release log themselves.
 *
 * <ul>
 *   <li>{@code GET /v1/releases}: every release, the live one and the holdout guard's last word.
 *   <li>{@code POST /v1/releases/rollback} with {@code {"to": "v1", "reason": "..."}}: a rollback
 *       release; without {@code to}, to the newest earlier release never found worse. 200 with the
 *       release, 400 when the target is not an earlier release, 409 when there is none.
 *   <li>{@code GET /metrics}: Prometheus text of the given gauges and counters.
 *   <li>{@code GET /health}: 200 while serving.
 * </ul>
 */
public final class ReleaseHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ReleaseManager manager;
    private final Supplier<String> guardVerdict;
    private final Supplier<Map<String, Double>> metrics;

    /**
     * Starts serving.
     *
     * @param host the address to bind, such as {@code 127.0.0.1}
     * @param port the port; 0 picks a free one
     * @param manager the release manager
     * @param guardVerdict the holdout guard's last verdict
     * @param metrics Prometheus sample name (with labels) to value
     * @throws IOException if the port cannot be bound
     */
    public ReleaseHttpServer(
            String host,
            int port,
            ReleaseManager manager,
            Supplier<String> guardVerdict,
            Supplier<Map<String, Double>> metrics)
            throws IOException {
        this.manager = manager;
        this.guardVerdict = guardVerdict;
        this.metrics = metrics;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/v1/releases/rollback", this::rollback);
        server.createContext("/v1/releases", this::releases);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health", exchange -> send(exchange, 200, "text/plain", "ok\n"));
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    /** Returns the bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void releases(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            send(exchange, 405, "text/plain", "expected GET\n");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode all = body.putArray("releases");
        for (ModelRelease release : manager.history()) {
            all.add(toJson(release));
        }
        manager.live().ifPresent(live -> body.set("live", toJson(live)));
        body.put("guard", guardVerdict.get());
        send(exchange, 200, "application/json", JSON.writeValueAsString(body));
    }

    private void rollback(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 405, "text/plain", "expected POST\n");
            return;
        }
        JsonNode request;
        try {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            request = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            send(exchange, 400, "text/plain", "body: expected JSON, found " + e.getMessage());
            return;
        }
        String reason = request.hasNonNull("reason") ? request.get("reason").asText() : "by hand";
        String to = request.hasNonNull("to") ? request.get("to").asText() : null;
        if (to == null) {
            to = manager.lastGoodBeforeLive().orElse(null);
            if (to == null) {
                send(exchange, 409, "text/plain", "rollback: no earlier release to go back to\n");
                return;
            }
        }
        try {
            ModelRelease release = manager.rollback(to, reason);
            send(exchange, 200, "application/json", JSON.writeValueAsString(toJson(release)));
        } catch (IllegalArgumentException e) {
            send(exchange, 400, "text/plain", e.getMessage() + "\n");
        } catch (RuntimeException e) {
            LOG.error("Rollback to {} failed", to, e);
            send(exchange, 500, "text/plain", "rollback failed: " + e + "\n");
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Double> sample : metrics.get().entrySet()) {
            text.append(sample.getKey()).append(' ').append(sample.getValue()).append('\n');
        }
        send(exchange, 200, "text/plain; version=0.0.4", text.toString());
    }

    static ObjectNode toJson(ModelRelease release) {
        ObjectNode node = JSON.createObjectNode();
        node.put("sequence", release.getSequence());
        node.put("kind", release.getKind().name());
        node.put("version", release.getVersion());
        node.put("parentVersion", release.getParentVersion());
        node.put("bundleUri", release.getBundleUri());
        node.put("sha256", release.getSha256());
        ObjectNode metrics = node.putObject("validationMetrics");
        release.getValidationMetrics().forEach((k, v) -> metrics.put(k.toString(), v));
        node.put("reason", release.getReason());
        node.put("publishedAt", release.getPublishedAt().toString());
        return node;
    }

    private static void send(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
