package io.nextlog.scorer.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram with fixed upper bounds. Lock-free; safe to observe from any thread. A
 * scrape may see a count and a sum from slightly different instants, as Prometheus allows.
 */
public final class Histogram {

    private final String name;
    private final String help;
    private final double[] upperBounds;
    private final AtomicLongArray counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    /**
     * @param name the metric name, with its unit as suffix
     * @param help the HELP text
     * @param upperBounds increasing bucket bounds; {@code +Inf} is added
     */
    public Histogram(String name, String help, double... upperBounds) {
        this.name = name;
        this.help = help;
        this.upperBounds = upperBounds.clone();
        this.counts = new AtomicLongArray(upperBounds.length);
    }

    /** Records one observation. */
    public void observe(double value) {
        for (int i = 0; i < upperBounds.length; i++) {
            if (value <= upperBounds[i]) {
                counts.incrementAndGet(i);
                break;
            }
        }
        count.increment();
        sum.add(value);
    }

    /** Returns the number of observations. */
    public long count() {
        return count.sum();
    }

    void writeTo(StringBuilder out) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            cumulative += counts.get(i);
            out.append(name).append("_bucket{le=\"").append(upperBounds[i]).append("\"} ");
            out.append(cumulative).append('\n');
        }
        long total = count.sum();
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(total).append('\n');
        out.append(name).append("_sum ").append(sum.sum()).append('\n');
        out.append(name).append("_count ").append(total).append('\n');
    }
}
