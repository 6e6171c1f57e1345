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
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.BundleRefusedException;
import io.nextlog.scorer.model.LoadedModel;
import io.nextlog.scorer.model.ModelLease;
import io.nextlog.scorer.model.ModelLoader;
import io.nextlog.scorer.model.ModelSlot;
import io.nextlog.scorer.model.ModelSlots;
import io.nextlog.scorer.onnx.SessionFactory;
import io.nextlog.scorer.onnx.SessionSettings;
import io.nextlog.scorer.reason.ReasonBuilder;
import io.nextlog.scorer.reason.ReasonTemplates;
import io.nextlog.scorer.release.ReleaseApplier;
import io.nextlog.scorer.topic.TopicFollower;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online scorer as a library inside another process (the Flink job's scoring subtasks, the HTTP
 * service): loads the initial and baseline bundles and, when Kafka is configured, follows {@code
 * model-releases} and {@code catalog-items} on one thread per topic, so every embedding moves to a
 * release the same way. Scoring itself is {@link Scorer#score}, on the caller's thread.
 *
 * <p>Thread-safe: {@link #score} may be called from any number of threads while releases apply.
 */
public final class EmbeddedScorer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedScorer.class);

    private final ScorerMetrics metrics = new ScorerMetrics();
    private final ModelSlots slots;
    private final ChannelCatalog catalog;
    private final Scorer scorer;
    private final ReleaseApplier releases;
    private final @Nullable TopicFollower<ModelRelease> releaseFollower;
    private final @Nullable TopicFollower<CatalogItem> catalogFollower;

    /**
     * Loads the bundles and starts following the topics.
     *
     * @throws BundleRefusedException if the initial or baseline bundle fails a check
     * @throws IllegalArgumentException if the configuration lacks the initial bundle
     */
    public static EmbeddedScorer start(ScorerConfig config) throws BundleRefusedException {
        return new EmbeddedScorer(config);
    }

    private EmbeddedScorer(ScorerConfig config) throws BundleRefusedException {
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
    }

    /** Scores a batch; see {@link Scorer#score}. */
    public List<ScoringResult> score(List<ScoringRequest> requests) {
        return scorer.score(requests);
    }

    /** Returns the version the live slot holds now. */
    public String liveVersion() {
        return slots.version(ModelSlot.LIVE);
    }

    /** Returns the most events the model of {@code slot} reads: its tokenizer's max length. */
    public int maxJourneyLength(ModelSlot slot) {
        try (ModelLease lease = slots.acquire(slot)) {
            return lease.model().tokenizer().spec().maxLength();
        }
    }

    /** Whether, with Kafka, both topics' backlogs have been read (always true without). */
    public boolean isReady() {
        return (releaseFollower == null || releaseFollower.isCaughtUp())
                && (catalogFollower == null || catalogFollower.isCaughtUp());
    }

    /** Returns the batch scorer. */
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
        try {
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
