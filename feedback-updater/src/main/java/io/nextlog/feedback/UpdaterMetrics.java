package io.nextlog.feedback;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and gauges of the feedback updater in the Prometheus text format. One instance per
 * application; processors and the deserialization handler increment it from stream threads. Series
 * are identified by name and a label string such as {@code action="click"}. Thread-safe.
 */
public final class UpdaterMetrics {

    private static final UpdaterMetrics SHARED = new UpdaterMetrics();

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, Double> gauges = new ConcurrentHashMap<>();

    /**
     * The JVM's registry. Kafka Streams creates handlers by class name, so they reach metrics
     * through this rather than through a constructor.
     */
    public static UpdaterMetrics shared() {
        return SHARED;
    }

    /** Adds one to counter {@code name} with {@code labels} (e.g. {@code action="click"}). */
    public void increment(String name, String labels) {
        counters.computeIfAbsent(series(name, labels), k -> new LongAdder()).increment();
    }

    /** Sets gauge {@code name}. */
    public void set(String name, String labels, double value) {
        gauges.put(series(name, labels), value);
    }

    /** Current value of a counter, 0 when it was never incremented. */
    public long count(String name, String labels) {
        LongAdder adder = counters.get(series(name, labels));
        return adder == null ? 0 : adder.sum();
    }

    /** All series in the Prometheus text exposition format, sorted. */
    public String render() {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(counters)
                .forEach((k, v) -> out.append(k).append(' ').append(v.sum()).append('\n'));
        new TreeMap<>(gauges).forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
        return out.toString();
    }

    private static String series(String name, String labels) {
        return labels.isEmpty() ? name : name + "{" + labels + "}";
    }

    /** Escapes a label value for the text format. */
    public static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
