package io.nextlog.feedback;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Every option of the feedback updater: key, type, default, validation. Read from a properties map
 * (a file or {@code -Dkey=value}); a bad value fails at start-up naming the key.
 *
 * @param bootstrapServers {@code bootstrap.servers}, required
 * @param registryUrl {@code schema.registry.url}, required
 * @param applicationId {@code application.id}, default {@code nextlog-feedback-updater}
 * @param stateDir {@code state.dir}, where RocksDB stores live, default {@code
 *     .nextlog/data/feedback-updater}
 * @param attributionWindow {@code attribution.window}, how long after a recommendation its feedback
 *     still counts, ISO-8601 duration, default {@code PT30M}
 * @param metricsWindow {@code metrics.window}, tumbling window of online metrics, default {@code
 *     PT1M}
 * @param metricsGrace {@code metrics.grace}, how late feedback may update a closed metrics window,
 *     default {@code PT30M}. Windows hold recommendations by the time they were made, and their
 *     responses come later: a grace shorter than the attribution window drops the late ones from
 *     the metrics (Kafka Streams counts them as dropped records)
 * @param standbyReplicas {@code num.standby.replicas}, default 0
 * @param httpHost {@code http.host}, default {@code 127.0.0.1} (loopback)
 * @param httpPort {@code http.port}, default 8090
 * @param autoRegisterSchemas {@code auto.register.schemas}, default false
 * @param commitInterval {@code commit.interval}, how often results become visible to read-committed
 *     readers, default {@code PT0.2S}
 */
public record FeedbackUpdaterConfig(
        String bootstrapServers,
        String registryUrl,
        String applicationId,
        Path stateDir,
        Duration attributionWindow,
        Duration metricsWindow,
        Duration metricsGrace,
        int standbyReplicas,
        String httpHost,
        int httpPort,
        boolean autoRegisterSchemas,
        Duration commitInterval,
        Map<String, String> streamsOverrides) {

    /** Keys and their defaults, for {@code --help}. */
    public static final Map<String, String> DEFAULTS = defaults();

    public FeedbackUpdaterConfig {
        requirePositive("attribution.window", attributionWindow);
        requirePositive("metrics.window", metricsWindow);
        requirePositive("commit.interval", commitInterval);
        if (metricsGrace.isNegative()) {
            throw new IllegalArgumentException(
                    "metrics.grace: expected zero or more, found " + metricsGrace);
        }
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException(
                    "num.standby.replicas: expected 0 or more, found " + standbyReplicas);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("http.port: expected 0-65535, found " + httpPort);
        }
    }

    private static Map<String, String> defaults() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("bootstrap.servers", "(required)");
        map.put("schema.registry.url", "(required)");
        map.put("application.id", "nextlog-feedback-updater");
        map.put("state.dir", ".nextlog/data/feedback-updater");
        map.put("attribution.window", "PT30M");
        map.put("metrics.window", "PT1M");
        map.put("metrics.grace", "PT30M");
        map.put("num.standby.replicas", "0");
        map.put("http.host", "127.0.0.1");
        map.put("http.port", "8090");
        map.put("auto.register.schemas", "false");
        map.put("commit.interval", "PT0.2S");
        return Map.copyOf(map);
    }

    /** Reads the options from {@code props}, applying defaults. */
    public static FeedbackUpdaterConfig from(Properties props) {
        return new FeedbackUpdaterConfig(
                required(props, "bootstrap.servers"),
                required(props, "schema.registry.url"),
                get(props, "application.id", Function.identity()),
                get(props, "state.dir", Path::of),
                get(props, "attribution.window", Duration::parse),
                get(props, "metrics.window", Duration::parse),
                get(props, "metrics.grace", Duration::parse),
                get(props, "num.standby.replicas", Integer::parseInt),
                get(props, "http.host", Function.identity()),
                get(props, "http.port", Integer::parseInt),
                get(props, "auto.register.schemas", Boolean::parseBoolean),
                get(props, "commit.interval", Duration::parse),
                overrides(props));
    }

    private static Map<String, String> overrides(Properties props) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("streams.")) {
                overrides.put(key.substring("streams.".length()), props.getProperty(key));
            }
        }
        return Map.copyOf(overrides);
    }

    private static String required(Properties props, String key) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": expected a value, found none");
        }
        return value;
    }

    private static <T> T get(Properties props, String key, Function<String, T> parse) {
        String value = props.getProperty(key, DEFAULTS.get(key));
        try {
            return parse.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    key + ": could not read '" + value + "' (" + e.getMessage() + ")", e);
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                    key + ": expected a positive duration, found " + value);
        }
    }
}
