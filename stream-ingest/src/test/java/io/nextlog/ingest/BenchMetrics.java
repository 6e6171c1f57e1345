package io.nextlog.ingest;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for benchmarks on a MiniCluster in this JVM: keeps the journey operators'
 * {@code journeyEvents} and {@code duplicateEvents} counters where the bench can sum them, so a run
 * is timed from its first processed event to its last instead of including start-up, and a restore
 * is seen to be done when a replayed event meets the journey it is already in.
 */
public final class BenchMetrics implements MetricReporter, MetricReporterFactory {

    private static final List<Counter> JOURNEY_EVENTS = new CopyOnWriteArrayList<>();
    private static final List<Counter> DUPLICATE_EVENTS = new CopyOnWriteArrayList<>();

    /** The Flink settings that install this reporter. */
    static void install(Properties props) {
        props.setProperty(
                "flink.metrics.reporter.bench.factory.class", BenchMetrics.class.getName());
    }

    /** Forgets the counters of earlier runs. */
    static void reset() {
        JOURNEY_EVENTS.clear();
        DUPLICATE_EVENTS.clear();
    }

    /** Returns the events the journey operators have processed in this run. */
    static long journeyEvents() {
        return sum(JOURNEY_EVENTS);
    }

    /** Returns the events the journey operators found in a journey already, in this run. */
    static long duplicateEvents() {
        return sum(DUPLICATE_EVENTS);
    }

    private static long sum(List<Counter> counters) {
        long sum = 0;
        for (Counter counter : counters) {
            sum += counter.getCount();
        }
        return sum;
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return this;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (!(metric instanceof Counter counter)) {
            return;
        }
        if (metricName.equals("journeyEvents")) {
            JOURNEY_EVENTS.add(counter);
        } else if (metricName.equals("duplicateEvents")) {
            DUPLICATE_EVENTS.add(counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}
}
