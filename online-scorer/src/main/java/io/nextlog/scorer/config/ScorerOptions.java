package io.nextlog.scorer.config;

import io.nextlog.schemas.event.Domain;
import io.nextlog.scorer.arm.ArmAssigner;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every option of the online scorer, with key, type, default, validation and description. The one
 * place to look for what can be configured; {@link ScorerConfig} refuses keys not listed here.
 */
public final class ScorerOptions {

    /** Where ONNX Runtime runs the graph: {@code cpu} or {@code cuda}. */
    public static final ConfigOption<String> ONNX_PROVIDER =
            text(
                    "scorer.onnx.provider",
                    "cpu",
                    "execution provider: cpu, or cuda (needs the gpu build profile and CUDA 12)",
                    value -> value.equals("cpu") || value.equals("cuda"),
                    "cpu or cuda");

    /** Whether a CUDA provider that cannot load falls back to CPU instead of failing start-up. */
    public static final ConfigOption<Boolean> ONNX_CUDA_FALLBACK_TO_CPU =
            bool(
                    "scorer.onnx.cuda.fallback-to-cpu",
                    false,
                    "with provider cuda: run on CPU when CUDA cannot load (logged once at WARN"
                            + " and counted), instead of refusing to start");

    /** The CUDA device to use. */
    public static final ConfigOption<Integer> ONNX_CUDA_DEVICE =
            integer("scorer.onnx.cuda.device-id", 0, 0, 64, "CUDA device number");

    /** Threads inside one operator; 0 lets ONNX Runtime choose (one per core). */
    public static final ConfigOption<Integer> ONNX_INTRA_OP_THREADS =
            integer(
                    "scorer.onnx.intra-op-threads",
                    0,
                    0,
                    1024,
                    "threads inside one ONNX operator; 0 lets ONNX Runtime choose");

    /** Threads across independent operators; 0 lets ONNX Runtime choose. */
    public static final ConfigOption<Integer> ONNX_INTER_OP_THREADS =
            integer(
                    "scorer.onnx.inter-op-threads",
                    0,
                    0,
                    1024,
                    "threads across independent ONNX operators; 0 lets ONNX Runtime choose");

    /** Graph optimisation level. */
    public static final ConfigOption<String> ONNX_OPTIMIZATION =
            text(
                    "scorer.onnx.optimization-level",
                    "all",
                    "ONNX Runtime graph optimisation: none, basic, extended or all",
                    value -> List.of("none", "basic", "extended", "all").contains(value),
                    "none, basic, extended or all");

    /** Forward passes run on a new model before it goes live. */
    public static final ConfigOption<Integer> WARMUP_RUNS =
            integer(
                    "scorer.model.warmup-runs",
                    3,
                    1,
                    1000,
                    "forward passes run on a loaded model before it may serve");

    /** The bundle that is live at start-up. */
    public static final ConfigOption<String> INITIAL_BUNDLE =
            text(
                    "scorer.model.initial-bundle",
                    "",
                    "bundle directory live at start-up; required by the service",
                    value -> true,
                    "a bundle directory");

    /** The pinned baseline for the holdout arm; empty pins the initial bundle. */
    public static final ConfigOption<String> BASELINE_BUNDLE =
            text(
                    "scorer.model.baseline-bundle",
                    "",
                    "bundle directory of the pinned baseline that holdout arms get; empty pins"
                            + " the initial bundle",
                    value -> true,
                    "a bundle directory, or empty");

    /** Arm shares, such as {@code live=0.95,holdout=0.05}. */
    public static final ConfigOption<String> ARMS =
            text(
                    "scorer.arms.shares",
                    "live=0.95,holdout=0.05",
                    "experiment arms and their shares of users, summing to 1",
                    ScorerOptions::validArms,
                    "name=share pairs, shares in (0, 1] summing to 1");

    /** Arms served by the pinned baseline instead of the live model. */
    public static final ConfigOption<List<String>> BASELINE_ARMS =
            list(
                    "scorer.arms.baseline-arms",
                    "holdout",
                    "arms served by the pinned baseline model; every other arm gets the live"
                            + " one");

    /** Salt of the arm hash; a new salt reshuffles users. */
    public static final ConfigOption<String> ARM_SALT =
            text(
                    "scorer.arms.salt",
                    "nextlog-arms-1",
                    "salt of the stable user hash; change it only to reshuffle every user",
                    value -> !value.isEmpty(),
                    "non-empty text");

    /** Items per channel when a request does not say. */
    public static final ConfigOption<Integer> TOP_K =
            integer("scorer.ranking.top-k", 10, 1, 1000, "ranked items per channel by default");

    /** The most items per channel a request may ask for. */
    public static final ConfigOption<Integer> MAX_TOP_K =
            integer("scorer.ranking.max-top-k", 100, 1, 10_000, "most items a request may ask");

    /** How far back a consumed item is kept out of the ranking; zero turns exclusion off. */
    public static final ConfigOption<Duration> CONSUMED_WINDOW =
            duration(
                    "scorer.ranking.exclude-consumed-within",
                    Duration.ZERO,
                    "items of the journey's consuming events (see consumed-domains) newer than"
                            + " this are not offered again; PT0S turns it off");

    /** Which journey domains count as consuming an item. */
    public static final ConfigOption<List<String>> CONSUMED_DOMAINS =
            domains(
                    "scorer.ranking.consumed-domains",
                    "PURCHASE,CAMPAIGN_RESPONSE",
                    "journey domains whose items count as consumed");

    /** Domains that may drive a score but are never shown. */
    public static final ConfigOption<List<String>> SENSITIVE_DOMAINS =
            domains(
                    "scorer.reasons.sensitive-domains",
                    "LOCATION_VISIT",
                    "domains that never appear in reason text, reason events or domain shares");

    /** Reason events per recommendation. */
    public static final ConfigOption<Integer> REASON_EVENTS =
            integer("scorer.reasons.max-events", 3, 0, 100, "reason events per recommendation");

    /** Channel file; empty uses the built-in channels. */
    public static final ConfigOption<String> CHANNELS_FILE =
            text(
                    "scorer.channels.file",
                    "",
                    "channel JSON file (see Channels); empty uses the built-in four channels",
                    value -> true,
                    "a file path, or empty");

    /** HTTP bind address. */
    public static final ConfigOption<String> HTTP_HOST =
            text(
                    "scorer.http.host",
                    "127.0.0.1",
                    "address the HTTP service binds; loopback unless a proxy fronts it",
                    value -> !value.isEmpty(),
                    "a host name or address");

    /** HTTP port; 0 picks a free one. */
    public static final ConfigOption<Integer> HTTP_PORT =
            integer("scorer.http.port", 8091, 0, 65_535, "HTTP port; 0 picks a free one");

    /** Threads that parse requests and wait for their batch. */
    public static final ConfigOption<Integer> HTTP_THREADS =
            integer(
                    "scorer.http.threads",
                    64,
                    1,
                    4096,
                    "HTTP handler threads; each waits for its request's batch");

    /** Most requests in one forward pass. */
    public static final ConfigOption<Integer> BATCH_MAX_SIZE =
            integer("scorer.batch.max-size", 64, 1, 4096, "most requests coalesced into a batch");

    /** How long the first request of a batch waits for company. */
    public static final ConfigOption<Duration> BATCH_MAX_WAIT =
            duration(
                    "scorer.batch.max-wait",
                    Duration.ofMillis(2),
                    "longest the oldest request waits for a batch to fill");

    /** Requests waiting for a batch before new ones are shed. */
    public static final ConfigOption<Integer> QUEUE_CAPACITY =
            integer(
                    "scorer.batch.queue-capacity",
                    512,
                    1,
                    1_000_000,
                    "requests waiting for a batch; beyond this, new ones get 503");

    /** Time a request may take from arrival to answer before it is shed. */
    public static final ConfigOption<Duration> REQUEST_DEADLINE =
            duration(
                    "scorer.request.deadline",
                    Duration.ofMillis(500),
                    "time from arrival within which a request is answered or shed with 503");

    /** What 503 answers tell clients to wait. */
    public static final ConfigOption<Duration> RETRY_AFTER =
            duration(
                    "scorer.request.retry-after",
                    Duration.ofSeconds(1),
                    "Retry-After of shed requests, rounded up to whole seconds");

    /** Kafka bootstrap servers; empty runs without the release and catalog topics. */
    public static final ConfigOption<String> KAFKA_BOOTSTRAP =
            text(
                    "scorer.kafka.bootstrap-servers",
                    "",
                    "Kafka for model-releases and catalog-items; empty serves the initial"
                            + " bundle with an empty catalog",
                    value -> true,
                    "host:port list, or empty");

    /** Schema registry base URL. */
    public static final ConfigOption<String> REGISTRY_URL =
            text(
                    "scorer.kafka.registry-url",
                    "",
                    "Confluent-compatible schema registry URL for the topics' Avro records",
                    value -> true,
                    "a URL, or empty");

    /** Every option, in the order of the documentation. */
    public static final List<ConfigOption<?>> ALL =
            List.of(
                    ONNX_PROVIDER,
                    ONNX_CUDA_FALLBACK_TO_CPU,
                    ONNX_CUDA_DEVICE,
                    ONNX_INTRA_OP_THREADS,
                    ONNX_INTER_OP_THREADS,
                    ONNX_OPTIMIZATION,
                    WARMUP_RUNS,
                    INITIAL_BUNDLE,
                    BASELINE_BUNDLE,
                    ARMS,
                    BASELINE_ARMS,
                    ARM_SALT,
                    TOP_K,
                    MAX_TOP_K,
                    CONSUMED_WINDOW,
                    CONSUMED_DOMAINS,
                    SENSITIVE_DOMAINS,
                    REASON_EVENTS,
                    CHANNELS_FILE,
                    HTTP_HOST,
                    HTTP_PORT,
                    HTTP_THREADS,
                    BATCH_MAX_SIZE,
                    BATCH_MAX_WAIT,
                    QUEUE_CAPACITY,
                    REQUEST_DEADLINE,
                    RETRY_AFTER,
                    KAFKA_BOOTSTRAP,
                    REGISTRY_URL);

    private ScorerOptions() {}

    private static ConfigOption<String> text(
            String key,
            String defaultValue,
            String description,
            Predicate<String> check,
            String expected) {
        return new ConfigOption<>(
                key, String.class, defaultValue, description, value -> value, check, expected);
    }

    private static ConfigOption<Boolean> bool(String key, boolean defaultValue, String doc) {
        Function<String, Boolean> parser =
                value -> {
                    String lower = value.toLowerCase(Locale.ROOT);
                    if (!lower.equals("true") && !lower.equals("false")) {
                        throw new IllegalArgumentException("not a boolean");
                    }
                    return Boolean.parseBoolean(lower);
                };
        return new ConfigOption<>(
                key, Boolean.class, defaultValue, doc, parser, value -> true, "true or false");
    }

    private static ConfigOption<Integer> integer(
            String key, int defaultValue, int min, int max, String description) {
        return new ConfigOption<>(
                key,
                Integer.class,
                defaultValue,
                description,
                Integer::valueOf,
                value -> value >= min && value <= max,
                "an integer in [" + min + ", " + max + "]");
    }

    private static ConfigOption<Duration> duration(
            String key, Duration defaultValue, String description) {
        return new ConfigOption<>(
                key,
                Duration.class,
                defaultValue,
                description,
                Duration::parse,
                value -> !value.isNegative(),
                "a non-negative ISO-8601 duration such as PT0.5S");
    }

    @SuppressWarnings("unchecked")
    private static ConfigOption<List<String>> list(
            String key, String defaultValue, String description) {
        Function<String, List<String>> parser = ScorerOptions::splitList;
        return new ConfigOption<>(
                key,
                (Class<List<String>>) (Class<?>) List.class,
                splitList(defaultValue),
                description,
                parser,
                value -> true,
                "a comma-separated list");
    }

    @SuppressWarnings("unchecked")
    private static ConfigOption<List<String>> domains(
            String key, String defaultValue, String description) {
        List<String> symbols = Arrays.stream(Domain.values()).map(Domain::name).toList();
        return new ConfigOption<>(
                key,
                (Class<List<String>>) (Class<?>) List.class,
                splitList(defaultValue),
                description,
                ScorerOptions::splitList,
                value -> symbols.containsAll(value),
                "a comma-separated list of Domain symbols " + symbols);
    }

    private static List<String> splitList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean validArms(String text) {
        ArmAssigner.parseShares(text);
        return true;
    }
}
