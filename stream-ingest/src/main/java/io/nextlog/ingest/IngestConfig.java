package io.nextlog.ingest;

import java.io.Serializable;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Every option of the ingest job, with its key, default and check; a bad value fails at start-up
 * naming the key. Read from a properties map ({@code key=value} arguments or a file).
 *
 * @param bootstrapServers {@code bootstrap.servers}, required
 * @param registryUrl {@code schema.registry.url}, required
 * @param scorerOptions every {@code scorer.*} key, handed to the online scorer each scoring subtask
 *     runs (its bundle, arms, ranking, reasons, release topic); the arms the journey operator
 *     assigns come from the same keys, so both agree
 * @param scoringEnabled {@code scoring.enabled}, default true; false keeps journeys only (ingest
 *     benchmarks)
 * @param journeyLength {@code journey.length}, events kept per user, default 256
 * @param journeyTtl {@code journey.ttl}, how long a journey lives after its last write, default
 *     P30D
 * @param debounce {@code debounce}, least time between two scorings of one user, default PT1S; 0
 *     scores on every event
 * @param outOfOrderness {@code watermark.out-of-orderness}, default PT5S
 * @param idleness {@code watermark.idleness}, default PT30S
 * @param exactlyOnce {@code delivery}: {@code exactly-once} (default) or {@code at-least-once};
 *     at-least-once also flushes Flink's network buffers after 5 ms instead of 100 ms, for latency
 *     ({@code flink.execution.buffer-timeout.interval} overrides it)
 * @param transactionTimeout {@code transaction.timeout}, below the broker's maximum, default PT10M
 * @param checkpointInterval {@code checkpoint.interval}, default PT10S
 * @param scoringBatchSize {@code scoring.batch.size}, most journeys per forward pass, default 64
 * @param scoringMaxWait {@code scoring.batch.max-wait}, default PT0.005S
 * @param scoringTimeout {@code scoring.timeout}, default PT10S
 * @param scoringCapacity {@code scoring.capacity}, journeys in flight per subtask, default 256
 * @param orderedScoring {@code scoring.ordered}, default false
 * @param policy the contact policy options ({@link ContactPolicy})
 * @param groupId {@code group.id}, default {@code nextlog-stream-ingest}; also the prefix of the
 *     sink's transactional ids
 * @param bounded {@code source.bounded}, default false; true stops the job at the end offsets the
 *     sources see at start (benchmarks, backfills)
 * @param autoRegisterSchemas {@code auto.register.schemas}, default false (production registers
 *     schemas ahead of deploys)
 */
public record IngestConfig(
        String bootstrapServers,
        String registryUrl,
        Map<String, String> scorerOptions,
        boolean scoringEnabled,
        int journeyLength,
        Duration journeyTtl,
        Duration debounce,
        Duration outOfOrderness,
        Duration idleness,
        boolean exactlyOnce,
        Duration transactionTimeout,
        Duration checkpointInterval,
        int scoringBatchSize,
        Duration scoringMaxWait,
        Duration scoringTimeout,
        int scoringCapacity,
        boolean orderedScoring,
        ContactPolicy policy,
        String groupId,
        boolean bounded,
        boolean autoRegisterSchemas)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Every key with its default, for {@code --help}. */
    public static final Map<String, String> DEFAULTS = defaults();

    public IngestConfig {
        scorerOptions = Map.copyOf(scorerOptions);
        if (journeyLength < 1) {
            throw new IllegalArgumentException(
                    "journey.length: expected at least 1, found " + journeyLength);
        }
        if (scoringBatchSize < 1 || scoringCapacity < scoringBatchSize) {
            throw new IllegalArgumentException(
                    "scoring.batch.size / scoring.capacity: expected 1 <= batch size <= capacity,"
                            + " found "
                            + scoringBatchSize
                            + " / "
                            + scoringCapacity);
        }
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce: expected 0 or more, found " + debounce);
        }
    }

    private static Map<String, String> defaults() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("bootstrap.servers", "(required)");
        map.put("schema.registry.url", "(required)");
        map.put("scoring.enabled", "true");
        map.put("journey.length", "256");
        map.put("journey.ttl", "P30D");
        map.put("debounce", "PT1S");
        map.put("watermark.out-of-orderness", "PT5S");
        map.put("watermark.idleness", "PT30S");
        map.put("delivery", "exactly-once");
        map.put("transaction.timeout", "PT10M");
        map.put("checkpoint.interval", "PT10S");
        map.put("scoring.batch.size", "64");
        map.put("scoring.batch.max-wait", "PT0.005S");
        map.put("scoring.timeout", "PT10S");
        map.put("scoring.capacity", "256");
        map.put("scoring.ordered", "false");
        map.put("policy.daily-cap.per-channel", "3");
        map.put("policy.daily-cap.total", "6");
        map.put("policy.cooldown", "PT72H");
        map.put("policy.dismiss-suppression", "P7D");
        map.put("policy.quiet-hours", "21:00-08:00");
        map.put("policy.zone", "Asia/Seoul");
        map.put("policy.ttl", "P30D");
        map.put("group.id", "nextlog-stream-ingest");
        map.put("source.bounded", "false");
        map.put("auto.register.schemas", "false");
        return Map.copyOf(map);
    }

    /** Reads the options, applying defaults for missing keys. */
    public static IngestConfig from(Properties props) {
        String[] quiet = get(props, "policy.quiet-hours", Function.identity()).split("-");
        if (quiet.length != 2) {
            throw new IllegalArgumentException(
                    "policy.quiet-hours: expected HH:MM-HH:MM, found "
                            + props.getProperty("policy.quiet-hours"));
        }
        ContactPolicy policy =
                new ContactPolicy(
                        get(props, "policy.daily-cap.per-channel", Integer::parseInt),
                        get(props, "policy.daily-cap.total", Integer::parseInt),
                        get(props, "policy.cooldown", Duration::parse),
                        get(props, "policy.dismiss-suppression", Duration::parse),
                        parse("policy.quiet-hours", quiet[0], LocalTime::parse),
                        parse("policy.quiet-hours", quiet[1], LocalTime::parse),
                        get(props, "policy.zone", ZoneId::of),
                        get(props, "policy.ttl", Duration::parse));
        String delivery = get(props, "delivery", Function.identity());
        if (!delivery.equals("exactly-once") && !delivery.equals("at-least-once")) {
            throw new IllegalArgumentException(
                    "delivery: expected exactly-once or at-least-once, found " + delivery);
        }
        Map<String, String> scorer = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith("scorer.")) {
                scorer.put(key, props.getProperty(key));
            }
        }
        return new IngestConfig(
                required(props, "bootstrap.servers"),
                required(props, "schema.registry.url"),
                Map.copyOf(scorer),
                get(props, "scoring.enabled", Boolean::parseBoolean),
                get(props, "journey.length", Integer::parseInt),
                get(props, "journey.ttl", Duration::parse),
                get(props, "debounce", Duration::parse),
                get(props, "watermark.out-of-orderness", Duration::parse),
                get(props, "watermark.idleness", Duration::parse),
                delivery.equals("exactly-once"),
                get(props, "transaction.timeout", Duration::parse),
                get(props, "checkpoint.interval", Duration::parse),
                get(props, "scoring.batch.size", Integer::parseInt),
                get(props, "scoring.batch.max-wait", Duration::parse),
                get(props, "scoring.timeout", Duration::parse),
                get(props, "scoring.capacity", Integer::parseInt),
                get(props, "scoring.ordered", Boolean::parseBoolean),
                policy,
                get(props, "group.id", Function.identity()),
                get(props, "source.bounded", Boolean::parseBoolean),
                get(props, "auto.register.schemas", Boolean::parseBoolean));
    }

    private static String required(Properties props, String key) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": expected a value, found none");
        }
        return value;
    }

    private static <T> T get(Properties props, String key, Function<String, T> parse) {
        return parse(key, props.getProperty(key, DEFAULTS.get(key)), parse);
    }

    private static <T> T parse(String key, String value, Function<String, T> parse) {
        try {
            return parse.apply(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    key + ": could not read '" + value + "' (" + e.getMessage() + ")", e);
        }
    }
}
