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
 * {@code journeyEvents} counters where the bench can sum them, so a run is timed from its first
 * processed event to its last instead of including start-up.
 */
public final class BenchMetrics implements MetricReporter, MetricReporterFactory {

    private static final List<Counter> JOURNEY_EVENTS = new CopyOnWriteArrayList<>();

    /** The Flink settings that install this reporter. */
    static void install(Properties props) {
        props.setProperty(
                "flink.metrics.reporter.bench.factory.class", BenchMetrics.class.getName());
    }

    /** Forgets the counters of earlier runs. */
    static void reset() {
        JOURNEY_EVENTS.clear();
    }

    /** Returns the events the journey operators have processed in this run. */
    static long journeyEvents() {
        long sum = 0;
        for (Counter counter : JOURNEY_EVENTS) {
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
        if (metricName.equals("journeyEvents") && metric instanceof Counter counter) {
            JOURNEY_EVENTS.add(counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}
}
