package io.nextlog.scorer;

import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.scorer.arm.ArmAssigner;
import io.nextlog.scorer.catalog.ChannelCatalog;
import io.nextlog.scorer.config.ScorerConfig;
import io.nextlog.scorer.config.ScorerOptions;
import io.nextlog.scorer.http.RequestCoalescer;
import io.nextlog.scorer.http.ScorerHttpServer;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.BundleRefusedException;
import io.nextlog.scorer.model.LoadedModel;
import io.nextlog.scorer.model.ModelLoader;
import io.nextlog.scorer.model.ModelSlot;
import io.nextlog.scorer.model.ModelSlots;
import io.nextlog.scorer.onnx.SessionFactory;
import io.nextlog.scorer.onnx.SessionSettings;
import io.nextlog.scorer.reason.ReasonBuilder;
import io.nextlog.scorer.reason.ReasonTemplates;
import io.nextlog.scorer.release.ReleaseApplier;
import io.nextlog.scorer.topic.TopicFollower;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online scorer as a process: loads the initial and baseline bundles, follows {@code
 * model-releases} and {@code catalog-items} when Kafka is configured, and serves HTTP.
 *
 * <pre>
 * java -cp ... io.nextlog.scorer.ScorerService scorer.properties
 * </pre>
 *
 * <p>Threads: the HTTP handler pool, the one batching thread, and one follower thread per topic
 * (releases are applied on theirs, so a slow bundle load delays later releases, never scoring).
 */
public final class ScorerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerService.class);

    private final ScorerMetrics metrics = new ScorerMetrics();
    private final ModelSlots slots;
    private final ChannelCatalog catalog;
    private final Scorer scorer;
    private final ReleaseApplier releases;
    private final RequestCoalescer coalescer;
    private final ScorerHttpServer http;
    private final @Nullable TopicFollower<ModelRelease> releaseFollower;
    private final @Nullable TopicFollower<CatalogItem> catalogFollower;

    /**
     * Starts the service.
     *
     * @throws BundleRefusedException if the initial or baseline bundle fails a check
     * @throws IOException if the HTTP port cannot be bound
     * @throws IllegalArgumentException if the configuration lacks the initial bundle
     */
    public ScorerService(ScorerConfig config) throws BundleRefusedException, IOException {
        LOG.info("Starting online scorer with {}", config.describe());
        String initialBundle = config.get(ScorerOptions.INITIAL_BUNDLE);
        if (initialBundle.isEmpty()) {
            throw new IllegalArgumentException(
                    "config "
                            + ScorerOptions.INITIAL_BUNDLE.key()
                            + ": expected a bundle, found none");
        }
        ModelLoader loader =
                new ModelLoader(
                        new SessionFactory(SessionSettings.from(config), metrics),
                        metrics,
                        config.get(ScorerOptions.WARMUP_RUNS),
                        Clock.systemUTC());
        LoadedModel initial = loader.load(Path.of(initialBundle));
        String baselineBundle = config.get(ScorerOptions.BASELINE_BUNDLE);
        LoadedModel baseline =
                baselineBundle.isEmpty() ? initial : loader.load(Path.of(baselineBundle));
        this.slots = new ModelSlots(initial, baseline);
        metrics.liveVersionFrom(() -> slots.version(ModelSlot.LIVE));

        String channelsFile = config.get(ScorerOptions.CHANNELS_FILE);
        Channels channels =
                channelsFile.isEmpty() ? Channels.defaults() : Channels.load(Path.of(channelsFile));
        this.catalog = new ChannelCatalog(channels, metrics);
        this.scorer =
                new Scorer(
                        slots,
                        catalog,
                        channels,
                        arms(config),
                        baselineArms(config),
                        reasons(config),
                        RankingSettings.from(config),
                        metrics,
                        Clock.systemUTC());
        this.releases = new ReleaseApplier(slots, loader, metrics);
        this.coalescer =
                new RequestCoalescer(
                        scorer,
                        metrics,
                        config.get(ScorerOptions.BATCH_MAX_SIZE),
                        config.get(ScorerOptions.BATCH_MAX_WAIT),
                        config.get(ScorerOptions.QUEUE_CAPACITY));

        String bootstrap = config.get(ScorerOptions.KAFKA_BOOTSTRAP);
        if (bootstrap.isEmpty()) {
            this.releaseFollower = null;
            this.catalogFollower = null;
        } else {
            SchemaRegistryClient registry =
                    new SchemaRegistryClient(config.get(ScorerOptions.REGISTRY_URL));
            this.catalogFollower =
                    new TopicFollower<>(
                            bootstrap,
                            TopicCatalog.CATALOG_ITEMS,
                            new RegistryAvroDeserializer<>(registry, CatalogItem.class),
                            (key, item, backlog) -> catalog.apply(key, item),
                            metrics);
            this.releaseFollower =
                    new TopicFollower<>(
                            bootstrap,
                            TopicCatalog.MODEL_RELEASES,
                            new RegistryAvroDeserializer<>(registry, ModelRelease.class),
                            new LatestFirst(releases),
                            metrics);
        }
        this.http =
                new ScorerHttpServer(
                        new ScorerHttpServer.Settings(
                                config.get(ScorerOptions.HTTP_HOST),
                                config.get(ScorerOptions.HTTP_PORT),
                                config.get(ScorerOptions.HTTP_THREADS),
                                config.get(ScorerOptions.REQUEST_DEADLINE),
                                config.get(ScorerOptions.RETRY_AFTER)),
                        scorer,
                        coalescer,
                        slots,
                        metrics,
                        this::isReady,
                        releases::lastSequence);
    }

    /** Runs the service until the process is stopped. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException(
                    "expected 1 argument (the .properties file), found " + args.length);
        }
        ScorerService service = new ScorerService(ScorerConfig.load(Path.of(args[0])));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "scorer-shutdown"));
        Thread.currentThread().join();
    }

    /** Whether a model is live and, with Kafka, both topics' backlogs have been read. */
    public boolean isReady() {
        return (releaseFollower == null || releaseFollower.isCaughtUp())
                && (catalogFollower == null || catalogFollower.isCaughtUp());
    }

    /** Returns the HTTP port. */
    public int port() {
        return http.port();
    }

    /** Returns the batch scorer, for callers in the same process. */
    public Scorer scorer() {
        return scorer;
    }

    /** Returns the release applier; releases may also be applied through it directly. */
    public ReleaseApplier releases() {
        return releases;
    }

    /** Returns the channel catalog; items may also be applied through it directly. */
    public ChannelCatalog catalog() {
        return catalog;
    }

    /** Returns the metrics. */
    public ScorerMetrics metrics() {
        return metrics;
    }

    /** Returns the model slots. */
    public ModelSlots slots() {
        return slots;
    }

    private static ArmAssigner arms(ScorerConfig config) {
        return ArmAssigner.of(config.get(ScorerOptions.ARM_SALT), config.get(ScorerOptions.ARMS));
    }

    private static Set<String> baselineArms(ScorerConfig config) {
        return Set.copyOf(config.get(ScorerOptions.BASELINE_ARMS));
    }

    private static ReasonBuilder reasons(ScorerConfig config) {
        Set<Domain> sensitive = EnumSet.noneOf(Domain.class);
        config.get(ScorerOptions.SENSITIVE_DOMAINS).forEach(d -> sensitive.add(Domain.valueOf(d)));
        return new ReasonBuilder(
                sensitive, config.get(ScorerOptions.REASON_EVENTS), ReasonTemplates.defaults());
    }

    @Override
    public void close() {
        http.close();
        try {
            coalescer.close();
            if (releaseFollower != null) {
                releaseFollower.close();
            }
            if (catalogFollower != null) {
                catalogFollower.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        slots.close();
    }

    /**
     * While catching up, keeps only the release with the highest sequence and applies it once the
     * backlog is read, so a restart loads one bundle, not every bundle ever released; afterwards
     * applies each release as it comes.
     */
    private static final class LatestFirst implements TopicFollower.Handler<ModelRelease> {

        private final ReleaseApplier releases;
        private final AtomicReference<ModelRelease> latest = new AtomicReference<>();

        LatestFirst(ReleaseApplier releases) {
            this.releases = releases;
        }

        @Override
        public void onRecord(String key, @Nullable ModelRelease release, boolean catchingUp) {
            if (release == null) {
                return;
            }
            if (!catchingUp) {
                releases.apply(release);
                return;
            }
            ModelRelease seen = latest.get();
            if (seen == null || release.getSequence() > seen.getSequence()) {
                latest.set(release);
            }
        }

        @Override
        public void onCaughtUp() {
            ModelRelease release = latest.getAndSet(null);
            if (release != null) {
                releases.apply(release);
            }
        }
    }
}
