package io.nextlog.scorer.metrics;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The scorer's metrics, written as Prometheus text by {@link #toPrometheusText()}. Counters are
 * {@link LongAdder}s; safe to update from any thread.
 */
public final class ScorerMetrics {

    /** End-to-end HTTP latency of answered recommendation requests, in seconds. */
    public final Histogram requestLatency =
            new Histogram(
                    "nextlog_scorer_request_latency_seconds",
                    "Time from arrival to answer of recommendation requests.",
                    0.001,
                    0.002,
                    0.005,
                    0.01,
                    0.02,
                    0.05,
                    0.1,
                    0.2,
                    0.5,
                    1,
                    2,
                    5);

    /** Journeys per forward pass. */
    public final Histogram batchSize =
            new Histogram(
                    "nextlog_scorer_batch_size",
                    "Journeys scored in one forward pass.",
                    1,
                    2,
                    4,
                    8,
                    16,
                    32,
                    64,
                    128,
                    256,
                    512,
                    1024);

    /** Forward pass time, in seconds. */
    public final Histogram forwardLatency =
            new Histogram(
                    "nextlog_scorer_forward_seconds",
                    "Time of one ONNX Runtime forward pass.",
                    0.0005,
                    0.001,
                    0.002,
                    0.005,
                    0.01,
                    0.02,
                    0.05,
                    0.1,
                    0.2,
                    0.5,
                    1);

    /** Journeys scored. */
    public final LongAdder journeysScored = new LongAdder();

    /** Models that became live. */
    public final LongAdder swaps = new LongAdder();

    /** Bundles refused by a check. */
    public final LongAdder refusedBundles = new LongAdder();

    /** Releases ignored because their sequence was not newer than the last applied one. */
    public final LongAdder staleReleases = new LongAdder();

    /** Sessions created on CPU although CUDA was configured. */
    public final LongAdder providerFallbacks = new LongAdder();

    /** Requests answered 503 because the queue was full or their deadline passed. */
    public final LongAdder shedRequests = new LongAdder();

    /** Requests answered 400. */
    public final LongAdder badRequests = new LongAdder();

    /** Records of model-releases or catalog-items that could not be used. */
    public final LongAdder badRecords = new LongAdder();

    private volatile Supplier<String> liveVersion = () -> "";

    /** Sets where the live model version is read from at scrape time. */
    public void liveVersionFrom(Supplier<String> source) {
        this.liveVersion = source;
    }

    /** Returns every metric in the Prometheus text format 0.0.4. */
    public String toPrometheusText() {
        StringBuilder out = new StringBuilder(4096);
        requestLatency.writeTo(out);
        batchSize.writeTo(out);
        forwardLatency.writeTo(out);
        counter(out, "nextlog_scorer_journeys_scored_total", "Journeys scored.", journeysScored);
        counter(out, "nextlog_scorer_model_swaps_total", "Models that became live.", swaps);
        counter(
                out,
                "nextlog_scorer_refused_bundles_total",
                "Bundles refused by a load check.",
                refusedBundles);
        counter(
                out,
                "nextlog_scorer_stale_releases_total",
                "Releases ignored as not newer than the last applied.",
                staleReleases);
        counter(
                out,
                "nextlog_scorer_provider_fallbacks_total",
                "Sessions on CPU although CUDA was configured.",
                providerFallbacks);
        counter(
                out,
                "nextlog_scorer_shed_requests_total",
                "Requests answered 503 (queue full or deadline passed).",
                shedRequests);
        counter(out, "nextlog_scorer_bad_requests_total", "Requests answered 400.", badRequests);
        counter(
                out,
                "nextlog_scorer_bad_records_total",
                "Topic records that could not be used.",
                badRecords);
        out.append("# HELP nextlog_scorer_live_model The live model version (value 1).\n");
        out.append("# TYPE nextlog_scorer_live_model gauge\n");
        out.append("nextlog_scorer_live_model{version=\"")
                .append(escape(liveVersion.get()))
                .append("\"} 1\n");
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, LongAdder value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value.sum()).append('\n');
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
