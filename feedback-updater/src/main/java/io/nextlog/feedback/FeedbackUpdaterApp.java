package io.nextlog.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.feedback.FeedbackPublisher;
import io.nextlog.schemas.feedback.InvalidFeedbackException;
import io.nextlog.schemas.identity.PseudonymousIds;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistrySerdeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feedback updater service: the Kafka Streams application (exactly-once v2, persistent RocksDB
 * stores) plus a small HTTP server on loopback by default.
 *
 * <ul>
 *   <li>{@code GET /v1/users/{id}[?since=ISO-instant|epoch-ms]}: latest recommendation per channel
 *       and the contact history with responses
 *   <li>{@code POST /v1/feedback}: a JSON feedback event, validated (400 with the reason) and
 *       published to {@code feedback-events}
 *   <li>{@code GET /metrics} (Prometheus text), {@code GET /health}
 * </ul>
 *
 * <p>Threads: Kafka Streams' stream threads process records; the HTTP server has its own small pool
 * that only reads stores and publishes feedback.
 */
public final class FeedbackUpdaterApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackUpdaterApp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaStreams streams;
    private final HttpServer http;
    private final FeedbackPublisher publisher;
    private final UserView view;
    private final UpdaterMetrics metrics;

    private FeedbackUpdaterApp(
            KafkaStreams streams,
            HttpServer http,
            FeedbackPublisher publisher,
            UserView view,
            UpdaterMetrics metrics) {
        this.streams = streams;
        this.http = http;
        this.publisher = publisher;
        this.view = view;
        this.metrics = metrics;
    }

    /** Starts the streams application and the HTTP server. */
    public static FeedbackUpdaterApp start(FeedbackUpdaterConfig config) throws IOException {
        HttpServer http =
                HttpServer.create(new InetSocketAddress(config.httpHost(), config.httpPort()), 64);
        HostInfo self = new HostInfo(config.httpHost(), http.getAddress().getPort());
        SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
        UpdaterMetrics metrics = UpdaterMetrics.shared();
        KafkaStreams streams =
                new KafkaStreams(
                        FeedbackTopology.build(
                                config,
                                Channels.defaults(),
                                EventSerdes.registry(registry, config.autoRegisterSchemas()),
                                PseudonymousIds.defaults(),
                                metrics),
                        streamsProperties(config, self));
        streams.setUncaughtExceptionHandler(
                e -> {
                    LOG.error("stream thread failed; replacing it", e);
                    return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
                            .StreamThreadExceptionResponse.REPLACE_THREAD;
                });
        FeedbackPublisher publisher =
                FeedbackPublisher.create(
                        config.bootstrapServers(),
                        config.registryUrl(),
                        new Properties(),
                        config.autoRegisterSchemas());
        FeedbackUpdaterApp app =
                new FeedbackUpdaterApp(
                        streams, http, publisher, new UserView(streams, self), metrics);
        app.route();
        http.setExecutor(Executors.newFixedThreadPool(4));
        streams.start();
        http.start();
        LOG.info("feedback updater started: application {} http {}", config.applicationId(), self);
        return app;
    }

    static Properties streamsProperties(FeedbackUpdaterConfig config, HostInfo self) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringDeserializationHandler.class);
        props.put(RegistrySerdeConfig.SCHEMA_REGISTRY_URL, config.registryUrl());
        props.put(RegistrySerdeConfig.AUTO_REGISTER_SCHEMAS, config.autoRegisterSchemas());
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // Feedback answers a recommendation whose context reaches recommendation-context in the
        // same transaction; a task whose context partition looked caught up at its last fetch
        // could take the feedback first and dead-letter it as unattributed. Waiting up to a
        // second for every input partition lets the context come first. (Not measured alone: in
        // the demo, unattributed feedback went from most to none when the world, like any
        // channel app must, read recommendations read_committed.)
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 1_000L);
        props.putAll(config.streamsOverrides());
        return props;
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** The streams state (RUNNING when healthy). */
    public KafkaStreams.State state() {
        return streams.state();
    }

    private void route() {
        http.createContext("/v1/users/", ex -> handle(ex, () -> users(ex)));
        http.createContext("/internal/stores/", ex -> handle(ex, () -> internal(ex)));
        http.createContext("/v1/feedback", ex -> handle(ex, () -> feedback(ex)));
        http.createContext(
                "/metrics",
                ex ->
                        handle(
                                ex,
                                () ->
                                        new Reply(
                                                200,
                                                "text/plain; version=0.0.4",
                                                metrics.render()
                                                        + "nextlog_feedback_streams_running "
                                                        + (streams.state()
                                                                        == KafkaStreams.State
                                                                                .RUNNING
                                                                ? 1
                                                                : 0)
                                                        + "\n")));
        http.createContext(
                "/health",
                ex ->
                        handle(
                                ex,
                                () -> {
                                    boolean up = streams.state().isRunningOrRebalancing();
                                    return new Reply(
                                            up ? 200 : 503,
                                            "application/json",
                                            "{\"state\":\"" + streams.state() + "\"}");
                                }));
    }

    private record Reply(int status, String contentType, String body) {}

    private interface Handler {
        Reply handle() throws Exception;
    }

    private static void handle(HttpExchange exchange, Handler handler) throws IOException {
        Reply reply;
        try {
            reply = handler.handle();
        } catch (IllegalArgumentException e) {
            reply = new Reply(400, "application/json", error(e.getMessage()));
        } catch (Exception e) {
            LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            reply = new Reply(503, "application/json", error(String.valueOf(e.getMessage())));
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    private Reply users(HttpExchange exchange) throws Exception {
        requireMethod(exchange, "GET");
        String userId = exchange.getRequestURI().getPath().substring("/v1/users/".length());
        Instant since = since(exchange);
        return new Reply(200, "application/json", view.user(userId, since).toString());
    }

    private Reply internal(HttpExchange exchange) throws Exception {
        requireMethod(exchange, "GET");
        // /internal/stores/{store}/users/{id}
        String[] parts = exchange.getRequestURI().getPath().split("/");
        if (parts.length != 6 || !parts[4].equals("users")) {
            throw new IllegalArgumentException(
                    "expected /internal/stores/{store}/users/{id}, found "
                            + exchange.getRequestURI().getPath());
        }
        return new Reply(
                200,
                "application/json",
                view.local(parts[3], parts[5], since(exchange)).toString());
    }

    private Reply feedback(HttpExchange exchange) throws Exception {
        requireMethod(exchange, "POST");
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "body: expected a JSON object, found unparseable"
                            + " text ("
                            + e.getMessage()
                            + ")");
        }
        FeedbackEvent event = parseFeedback(body);
        try {
            RecordMetadata sent = publisher.publish(event).get();
            return new Reply(
                    202,
                    "application/json",
                    JSON.createObjectNode()
                            .put("eventId", event.getEventId())
                            .put("partition", sent.partition())
                            .put("offset", sent.offset())
                            .toString());
        } catch (InvalidFeedbackException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    static FeedbackEvent parseFeedback(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body: expected a JSON object");
        }
        String action = text(body, "action");
        FeedbackAction parsed;
        try {
            parsed = FeedbackAction.valueOf(action.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "action: expected impression, click, convert,"
                            + " dismiss or unsubscribe, found '"
                            + action
                            + "'");
        }
        Instant time;
        try {
            time =
                    body.hasNonNull("eventTime")
                            ? Instant.parse(body.get("eventTime").asText())
                            : Instant.now();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "eventTime: expected an ISO-8601 instant, found '"
                            + body.get("eventTime").asText()
                            + "'");
        }
        return FeedbackEvent.newBuilder()
                .setEventId(
                        body.hasNonNull("eventId")
                                ? body.get("eventId").asText()
                                : UUID.randomUUID().toString())
                .setUserId(text(body, "userId"))
                .setChannel(text(body, "channel"))
                .setItem(text(body, "item"))
                .setAction(parsed)
                .setEventTime(time)
                .setRecommendationId(
                        body.hasNonNull("recommendationId")
                                ? body.get("recommendationId").asText()
                                : null)
                .build();
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(
                    field
                            + ": expected a non-empty string, found "
                            + (value == null ? "nothing" : value.toString()));
        }
        return value.asText();
    }

    private static Instant since(HttpExchange exchange) {
        String query = exchange.getRequestURI().getQuery();
        if (query == null) {
            return Instant.EPOCH;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("since=")) {
                String value = pair.substring("since=".length());
                try {
                    return value.chars().allMatch(Character::isDigit)
                            ? Instant.ofEpochMilli(Long.parseLong(value))
                            : Instant.parse(value);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "since: expected an ISO-8601 instant or"
                                    + " epoch milliseconds, found '"
                                    + value
                                    + "'");
                }
            }
        }
        return Instant.EPOCH;
    }

    private static void requireMethod(HttpExchange exchange, String method) {
        if (!exchange.getRequestMethod().equals(method)) {
            throw new IllegalArgumentException(
                    "expected " + method + ", found " + exchange.getRequestMethod());
        }
    }

    /** Stops HTTP, then Kafka Streams (committing), then the publisher. */
    @Override
    public void close() {
        http.stop(0);
        streams.close(Duration.ofSeconds(30));
        publisher.close();
        LOG.info("feedback updater stopped");
    }

    /**
     * {@code FeedbackUpdaterApp [--config FILE] [key=value ...]}; prints {@code ready
     * http://host:port} once started and runs until stopped.
     */
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help")) {
                System.out.println("usage: FeedbackUpdaterApp [--config FILE] [key=value ...]");
                FeedbackUpdaterConfig.DEFAULTS.forEach(
                        (k, v) -> System.out.println("  " + k + " = " + v));
                return;
            } else if (args[i].equals("--config") && i + 1 < args.length) {
                try (InputStream in = Files.newInputStream(Path.of(args[++i]))) {
                    props.load(in);
                }
            } else if (args[i].contains("=")) {
                String[] kv = args[i].split("=", 2);
                props.setProperty(kv[0], kv[1]);
            } else {
                System.err.println("expected --config FILE or key=value, found " + args[i]);
                System.exit(2);
            }
        }
        FeedbackUpdaterApp app = start(FeedbackUpdaterConfig.from(props));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    app.close();
                                    stopped.countDown();
                                },
                                "feedback-updater-stop"));
        System.out.println(
                "ready http://"
                        + props.getProperty("http.host", "127.0.0.1")
                        + ":"
                        + app.httpPort());
        System.out.flush();
        stopped.await();
    }
}
