package io.nextlog.scorer;

import io.nextlog.scorer.batch.RequestCoalescer;
import io.nextlog.scorer.catalog.ChannelCatalog;
import io.nextlog.scorer.config.ScorerConfig;
import io.nextlog.scorer.config.ScorerOptions;
import io.nextlog.scorer.http.ScorerHttpServer;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.BundleRefusedException;
import io.nextlog.scorer.model.ModelSlots;
import io.nextlog.scorer.release.ReleaseApplier;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The online scorer as a process: an {@link EmbeddedScorer} (bundles, releases, catalog) behind an
 * HTTP server that coalesces concurrent requests into batches.
 *
 * <pre>
 * java -cp ... io.nextlog.scorer.ScorerService scorer.properties
 * </pre>
 *
 * <p>Threads: the HTTP handler pool, the one batching thread, and one follower thread per topic
 * (releases are applied on theirs, so a slow bundle load delays later releases, never scoring).
 */
public final class ScorerService implements AutoCloseable {

    private final EmbeddedScorer embedded;
    private final RequestCoalescer coalescer;
    private final ScorerHttpServer http;

    /**
     * Starts the service.
     *
     * @throws BundleRefusedException if the initial or baseline bundle fails a check
     * @throws IOException if the HTTP port cannot be bound
     * @throws IllegalArgumentException if the configuration lacks the initial bundle
     */
    public ScorerService(ScorerConfig config) throws BundleRefusedException, IOException {
        this.embedded = EmbeddedScorer.start(config);
        this.coalescer =
                new RequestCoalescer(
                        embedded.scorer(),
                        embedded.metrics(),
                        config.get(ScorerOptions.BATCH_MAX_SIZE),
                        config.get(ScorerOptions.BATCH_MAX_WAIT),
                        config.get(ScorerOptions.QUEUE_CAPACITY));
        this.http =
                new ScorerHttpServer(
                        new ScorerHttpServer.Settings(
                                config.get(ScorerOptions.HTTP_HOST),
                                config.get(ScorerOptions.HTTP_PORT),
                                config.get(ScorerOptions.HTTP_THREADS),
                                config.get(ScorerOptions.REQUEST_DEADLINE),
                                config.get(ScorerOptions.RETRY_AFTER)),
                        embedded.scorer(),
                        coalescer,
                        embedded.slots(),
                        embedded.metrics(),
                        embedded::isReady,
                        embedded.releases()::lastSequence);
    }

    /** Runs the service until the process is stopped. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException(
                    "expected 1 argument (the .properties file), found " + args.length);
        }
        ScorerService service = new ScorerService(ScorerConfig.load(Path.of(args[0])));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "scorer-shutdown"));
        System.out.println("ready http://127.0.0.1:" + service.port());
        Thread.currentThread().join();
    }

    /** Whether a model is live and, with Kafka, both topics' backlogs have been read. */
    public boolean isReady() {
        return embedded.isReady();
    }

    /** Returns the HTTP port. */
    public int port() {
        return http.port();
    }

    /** Returns the batch scorer, for callers in the same process. */
    public Scorer scorer() {
        return embedded.scorer();
    }

    /** Returns the release applier; releases may also be applied through it directly. */
    public ReleaseApplier releases() {
        return embedded.releases();
    }

    /** Returns the channel catalog; items may also be applied through it directly. */
    public ChannelCatalog catalog() {
        return embedded.catalog();
    }

    /** Returns the metrics. */
    public ScorerMetrics metrics() {
        return embedded.metrics();
    }

    /** Returns the model slots. */
    public ModelSlots slots() {
        return embedded.slots();
    }

    @Override
    public void close() {
        http.close();
        try {
            coalescer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        embedded.close();
    }
}
