package io.nextlog.trainer.follow;

import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.DataSpan;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.ExampleLabel;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.TrainingExample;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.GptTrainer;
import io.nextlog.trainer.TrainingBatch;
import io.nextlog.trainer.release.DeadLetterPublisher;
import io.nextlog.trainer.release.ModelStore;
import io.nextlog.trainer.release.ReleaseManager;
import io.nextlog.trainer.release.ReleaseValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follow mode: fine-tunes the live model continuously on {@code training-examples} and releases a
 * validated child every publish interval.
 *
 * <p>The loop, on one thread:
 *
 * <ol>
 *   <li>Reads examples. A share of the positives (by a hash of the example id, so a replay holds
 *       out the same ones) is kept for validation and never trained on. An answer to an item the
 *       vocabulary does not know takes the lowest free vocabulary slot, as does every new item of
 *       {@code catalog-items}; with no slot left the example is skipped and counted.
 *   <li>Steps on batches: positives pulled up, negatives pushed down ({@link
 *       GptTrainer#feedbackStep}), with earlier positives replayed from a reservoir.
 *   <li>Every publish interval, if it learned anything: writes a candidate bundle to its work
 *       folder, validates it ({@link ReleaseValidator}), copies it into the {@link ModelStore} and
 *       has the {@link ReleaseManager} publish it, committing the consumer offsets in the same
 *       transaction. A candidate that fails is deleted and never released; if its scores were not
 *       finite, the weights go back to the live model's.
 * </ol>
 *
 * <p><b>Crash safety.</b> A released bundle holds the weights, the optimizer, the replay buffer,
 * the held-out examples and the offsets ({@link FollowState}); its release commits the same offsets
 * to the group. A trainer that dies between releases restarts from the live bundle and the
 * committed offsets, so the examples since the last release are read again and enter the next
 * release once. A trainer that dies while publishing leaves either a hidden copy in the store
 * (deleted on start), or a stored bundle no release names (never live), or a committed release.
 *
 * <p><b>Rollbacks.</b> When the live release becomes one this trainer did not publish (a rollback
 * by the holdout guard or by hand), it reloads that bundle's weights and goes on from the current
 * offsets: the examples trained into the rolled-back release are not trained again.
 */
public final class FollowTrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FollowTrainer.class);

    /** How many of the latest replayed journeys place a new item's cold start. */
    private static final int COLD_START_JOURNEYS = 64;

    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    private final FollowSettings settings;
    private final ModelStore store;
    private final ReleaseManager manager;
    private final ReleaseValidator validator;
    private final KafkaConsumer<String, byte[]> examples;
    private final KafkaConsumer<String, byte[]> catalog;
    private final RegistryAvroDeserializer<TrainingExample> exampleValues;
    private final RegistryAvroDeserializer<CatalogItem> catalogValues;
    private final DeadLetterPublisher deadLetters;
    private final FollowMetrics metrics = new FollowMetrics();
    private final List<TrainingExample> pending = new ArrayList<>();
    private final Set<String> newItems = new LinkedHashSet<>();
    private final Set<String> catalogItems = new LinkedHashSet<>();

    private ModelBundle live;
    private ModelRelease liveRelease;
    private GptTrainer trainer;
    private Vocabulary vocabulary;
    private ReplayBuffer replay;
    private Deque<TrainingExample> holdout;
    private FollowState state;
    private long learnedSincePublish;
    private long minFeedbackTime = Long.MAX_VALUE;
    private long maxFeedbackTime = Long.MIN_VALUE;
    private volatile boolean running = true;

    private FollowTrainer(
            FollowSettings settings,
            ModelStore store,
            ReleaseManager manager,
            SchemaRegistryClient registry) {
        this.settings = settings;
        this.store = store;
        this.manager = manager;
        this.validator = new ReleaseValidator(settings.tolerance(), settings.minHoldout());
        this.exampleValues = new RegistryAvroDeserializer<>(registry, TrainingExample.class);
        this.catalogValues = new RegistryAvroDeserializer<>(registry, CatalogItem.class);
        this.examples = consumer(settings, settings.groupId(), "trainer-examples");
        this.catalog = consumer(settings, null, "trainer-catalog");
        this.deadLetters =
                new DeadLetterPublisher(settings.bootstrapServers(), registry, "trainer-follow");
    }

    /**
     * Prepares follow mode: cleans the store, releases the initial bundle if the log is empty,
     * loads the live bundle and positions the consumers. Call {@link #run} next.
     *
     * @throws IOException if a bundle cannot be read or stored
     */
    public static FollowTrainer start(
            FollowSettings settings,
            ModelStore store,
            ReleaseManager manager,
            SchemaRegistryClient registry)
            throws IOException {
        FollowTrainer follower = new FollowTrainer(settings, store, manager, registry);
        try {
            follower.open();
            return follower;
        } catch (IOException | RuntimeException e) {
            follower.close();
            throw e;
        }
    }

    private void open() throws IOException {
        int abandoned = store.removeAbandoned();
        if (abandoned > 0) {
            LOG.warn("Deleted {} interrupted copies from the model store", abandoned);
        }
        Files.createDirectories(settings.workDirectory());
        if (manager.live().isEmpty()) {
            releaseInitial();
        }
        loadLive(manager.live().orElseThrow());
        List<TopicPartition> partitions = partitionsOf(examples, TopicCatalog.TRAINING_EXAMPLES);
        examples.assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed =
                examples.committed(Set.copyOf(partitions));
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                examples.seekToBeginning(List.of(partition));
            } else {
                examples.seek(partition, offset.offset());
            }
        }
        List<TopicPartition> catalogPartitions = partitionsOf(catalog, TopicCatalog.CATALOG_ITEMS);
        catalog.assign(catalogPartitions);
        catalog.seekToBeginning(catalogPartitions);
        LOG.info(
                "Following {} from {} (committed {}), live model {}",
                TopicCatalog.TRAINING_EXAMPLES,
                partitions,
                committed,
                live.modelVersion());
    }

    private void releaseInitial() throws IOException {
        ModelBundle initial = BundleReader.read(settings.initialBundle());
        Optional<URI> stored = store.locate(initial.modelVersion());
        URI uri = stored.isPresent() ? stored.get() : store.put(initial);
        ModelBundle inStore = BundleReader.read(Path.of(uri));
        manager.publish(
                inStore.modelVersion(),
                inStore.manifest().provenance().parentVersion(),
                uri.toString(),
                inStore.manifestSha256(),
                inStore.manifest().provenance().validationMetrics(),
                Map.of(),
                null);
    }

    /** Loads a release's bundle as the model to fine-tune. */
    private void loadLive(ModelRelease release) throws IOException {
        ModelBundle bundle = BundleReader.read(bundlePath(release.getBundleUri()));
        GptTrainer restored =
                GptTrainer.restore(
                        bundle.config(), bundle.checkpointDirectory(), settings.learningRate());
        if (trainer != null) {
            trainer.close();
        }
        trainer = restored;
        live = bundle;
        liveRelease = release;
        vocabulary = bundle.vocabulary();
        Path checkpoint = bundle.checkpointDirectory();
        FollowState restoredState = FollowState.read(checkpoint);
        if (state == null) {
            state = restoredState;
        }
        replay =
                new ReplayBuffer(
                        settings.replayCapacity(),
                        settings.seed(),
                        ExampleFiles.read(checkpoint.resolve(FollowState.REPLAY_FILE)),
                        restoredState.replayOffered());
        holdout = new ArrayDeque<>(ExampleFiles.read(checkpoint.resolve(FollowState.HOLDOUT_FILE)));
        learnedSincePublish = 0;
        metrics.liveVersion = bundle.modelVersion();
        LOG.info(
                "Fine-tuning from model {} (release {}, {} free vocabulary slots)",
                bundle.modelVersion(),
                release.getSequence(),
                vocabulary.freeSlots());
        // A rollback can go back to a model older than some catalog items: they get slots again.
        List<String> missing =
                catalogItems.stream()
                        .filter(id -> vocabulary.idOf(id) == Vocabulary.OOV_ID)
                        .toList();
        if (!missing.isEmpty()) {
            assign(missing);
        }
    }

    /** Runs until {@link #stop}; returns when stopped or when another trainer fenced this one. */
    public void run() throws IOException {
        long nextPublish = System.nanoTime() + settings.publishInterval().toNanos();
        try {
            while (running) {
                followRollback();
                readCatalog();
                boolean idle = readExamples();
                if (pending.size() >= settings.batchSize() || (idle && !pending.isEmpty())) {
                    step();
                }
                if (System.nanoTime() >= nextPublish) {
                    publishCycle();
                    nextPublish = System.nanoTime() + settings.publishInterval().toNanos();
                }
            }
        } catch (WakeupException e) {
            // stopped
        } catch (ProducerFencedException e) {
            LOG.error("Another release manager took over the release log; this trainer stops", e);
        }
    }

    /** Asks the loop to stop after the current step; safe from any thread. */
    public void stop() {
        running = false;
        examples.wakeup();
    }

    /** Returns the counters of this follower. */
    public FollowMetrics metrics() {
        return metrics;
    }

    /** Returns the state of the last release, or of the live bundle at start. */
    public FollowState state() {
        return state;
    }

    private void followRollback() throws IOException {
        Optional<ModelRelease> latest = manager.live();
        if (latest.isPresent() && latest.get().getSequence() != liveRelease.getSequence()) {
            ModelRelease release = latest.get();
            LOG.warn(
                    "Release {} made model {} live ({}: {}); fine-tuning goes on from it",
                    release.getSequence(),
                    release.getVersion(),
                    release.getKind(),
                    release.getReason());
            pending.clear();
            loadLive(release);
        }
    }

    private void readCatalog() {
        for (ConsumerRecord<String, byte[]> record : catalog.poll(Duration.ZERO)) {
            if (record.value() == null) {
                continue;
            }
            try {
                CatalogItem item =
                        catalogValues.decode(
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                record.value());
                catalogItems.add(item.getItemId());
                if (vocabulary.idOf(item.getItemId()) == Vocabulary.OOV_ID) {
                    newItems.add(item.getItemId());
                }
            } catch (RuntimeException e) {
                badRecord(record, e);
            }
        }
        if (!newItems.isEmpty()) {
            assign(List.copyOf(newItems));
            newItems.clear();
        }
    }

    /**
     * Gives free vocabulary slots to new items, as many as there are, each with a cautious start
     * ({@link GptTrainer#coldStart}).
     */
    private void assign(List<String> items) {
        List<String> fitting = items.subList(0, Math.min(items.size(), vocabulary.freeSlots()));
        if (fitting.size() < items.size()) {
            metrics.noFreeSlot.addAndGet(items.size() - fitting.size());
            LOG.warn(
                    "Vocabulary of model {} is full: {} new items get no slot (first {})",
                    live.modelVersion(),
                    items.size() - fitting.size(),
                    items.get(fitting.size()));
        }
        if (!fitting.isEmpty()) {
            int known = vocabulary.items().size();
            // The new items start below the catalog items the model already knows, for the
            // journeys answered lately.
            Vocabulary before = vocabulary;
            int[] reference =
                    catalogItems.stream()
                            .mapToInt(before::idOf)
                            .filter(id -> id != Vocabulary.OOV_ID)
                            .toArray();
            List<TrainingExample> kept = replay.contents();
            List<List<JourneyStep>> recent = new ArrayList<>();
            for (TrainingExample example :
                    kept.subList(Math.max(0, kept.size() - COLD_START_JOURNEYS), kept.size())) {
                recent.add(example.getJourney());
            }
            vocabulary = vocabulary.withAssigned(fitting);
            int[] ids = fitting.stream().mapToInt(vocabulary::idOf).toArray();
            JourneyTokenizer tokenizer =
                    new JourneyTokenizer(vocabulary, live.config().tokenizer());
            trainer.coldStart(
                    ids, known, recent.isEmpty() ? null : tokenizer.tokenize(recent), reference);
            learnedSincePublish++;
            LOG.info("New items in the vocabulary: {}", fitting);
        }
    }

    /** Reads one poll of examples; returns true when there was nothing to read. */
    private boolean readExamples() {
        var records = examples.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, byte[]> record : records) {
            TrainingExample example;
            try {
                example =
                        exampleValues.decode(
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                record.value());
            } catch (RuntimeException e) {
                badRecord(record, e);
                continue;
            }
            take(example);
        }
        return records.isEmpty();
    }

    private void take(TrainingExample example) {
        state = consumed(state, example.getExampleId());
        metrics.consumed.incrementAndGet();
        minFeedbackTime = Math.min(minFeedbackTime, example.getFeedbackTime().toEpochMilli());
        maxFeedbackTime = Math.max(maxFeedbackTime, example.getFeedbackTime().toEpochMilli());
        ExampleLabel label = example.getLabel();
        if (label != ExampleLabel.POSITIVE && label != ExampleLabel.NEGATIVE) {
            skip("label " + label);
            return;
        }
        if (vocabulary.idOf(example.getTargetItem()) == Vocabulary.OOV_ID) {
            assign(List.of(example.getTargetItem()));
            if (vocabulary.idOf(example.getTargetItem()) == Vocabulary.OOV_ID) {
                skip("no free vocabulary slot");
                return;
            }
        }
        if (label == ExampleLabel.POSITIVE && heldOut(example.getExampleId())) {
            holdout.addLast(example);
            while (holdout.size() > settings.holdoutCapacity()) {
                holdout.removeFirst();
            }
            state = withCounts(state, 0, 0, 1, 0);
            return;
        }
        pending.add(example);
    }

    private void skip(String why) {
        state = withCounts(state, 0, 0, 0, 1);
        metrics.skipped.incrementAndGet();
        LOG.debug("Skipped an example: {}", why);
    }

    private boolean heldOut(String exampleId) {
        return Long.remainderUnsigned(FollowState.digestOf(exampleId), 100)
                < settings.holdoutPercent();
    }

    /** Steps on the pending examples, then empties them. */
    private void step() {
        JourneyTokenizer tokenizer = new JourneyTokenizer(vocabulary, live.config().tokenizer());
        List<List<JourneyStep>> journeys = new ArrayList<>(pending.size());
        long[] targets = new long[pending.size()];
        boolean[] positive = new boolean[pending.size()];
        long positives = 0;
        for (int i = 0; i < pending.size(); i++) {
            TrainingExample example = pending.get(i);
            journeys.add(example.getJourney());
            targets[i] = vocabulary.idOf(example.getTargetItem());
            positive[i] = example.getLabel() == ExampleLabel.POSITIVE;
            positives += positive[i] ? 1 : 0;
        }
        int maxLength = live.config().tokenizer().maxLength();
        for (int k = 0; k < settings.stepsPerBatch(); k++) {
            TrainingBatch replayed = null;
            List<TrainingExample> drawn = replay.sample(settings.replayPerBatch());
            if (!drawn.isEmpty()) {
                List<List<JourneyStep>> sequences = new ArrayList<>(drawn.size());
                for (TrainingExample example : drawn) {
                    sequences.add(withTarget(example));
                }
                replayed = TrainingBatch.of(tokenizer, sequences, maxLength);
            }
            float loss =
                    trainer.feedbackStep(
                            tokenizer.tokenize(journeys, maxLength), targets, positive, replayed);
            metrics.lastLoss = loss;
            metrics.steps.incrementAndGet();
        }
        for (TrainingExample example : pending) {
            if (example.getLabel() == ExampleLabel.POSITIVE) {
                replay.offer(example);
            }
        }
        state = withCounts(state, positives, pending.size() - positives, 0, 0);
        metrics.trained.addAndGet(pending.size());
        learnedSincePublish += pending.size();
        pending.clear();
    }

    private static List<JourneyStep> withTarget(TrainingExample example) {
        List<JourneyStep> steps = new ArrayList<>(example.getJourney().size() + 1);
        steps.addAll(example.getJourney());
        steps.add(ReleaseValidator.targetStep(example));
        return steps;
    }

    /** Exports, validates, stores and releases a candidate, if anything was learned. */
    void publishCycle() throws IOException {
        if (!pending.isEmpty()) {
            step();
        }
        if (learnedSincePublish == 0) {
            return;
        }
        long started = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<Integer, Long> byPartition = new HashMap<>();
        for (TopicPartition partition : examples.assignment()) {
            long position = examples.position(partition);
            offsets.put(partition, new OffsetAndMetadata(position));
            byPartition.put(partition.partition(), position);
        }
        FollowState released =
                new FollowState(
                        FollowState.CURRENT_FORMAT,
                        state.consumed(),
                        state.consumedDigest(),
                        state.trainedPositives(),
                        state.trainedNegatives(),
                        state.heldOut(),
                        state.skipped(),
                        replay.offered(),
                        byPartition);
        String version = "ft-" + VERSION_TIME.format(Instant.now());
        Path candidateDir = settings.workDirectory().resolve(version);
        ModelBundle candidate = writeCandidate(candidateDir, version, released);
        try {
            ReleaseValidator.Verdict verdict =
                    validator.validate(candidate, live, List.copyOf(holdout));
            if (!verdict.passed()) {
                // The next candidate waits for something new to learn; the offsets stay put.
                learnedSincePublish = 0;
                metrics.refused.incrementAndGet();
                LOG.warn(
                        "Candidate {} failed validation and is not released: {}",
                        version,
                        verdict.reason());
                if (verdict.brokenScores()) {
                    LOG.warn("Weights go back to the live model {}", live.modelVersion());
                    ModelRelease current = liveRelease;
                    FollowState kept = state;
                    loadLive(current);
                    state = kept;
                }
                return;
            }
            URI uri = store.put(candidate);
            ModelBundle stored = BundleReader.read(Path.of(uri));
            ConsumerGroupMetadata group = examples.groupMetadata();
            Map<String, Double> releaseMetrics = new HashMap<>(verdict.metrics());
            releaseMetrics.put("examples.trained", (double) learnedSincePublish);
            ModelRelease release =
                    manager.publish(
                            version,
                            live.modelVersion(),
                            uri.toString(),
                            stored.manifestSha256(),
                            releaseMetrics,
                            offsets,
                            group);
            live = stored;
            liveRelease = release;
            state = released;
            learnedSincePublish = 0;
            metrics.published.incrementAndGet();
            metrics.liveVersion = version;
            metrics.lastPublishMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            LOG.info(
                    "Released model {} (release {}) in {} ms: {}",
                    version,
                    release.getSequence(),
                    metrics.lastPublishMillis,
                    verdict.reason());
        } finally {
            deleteTree(candidateDir);
        }
    }

    private ModelBundle writeCandidate(Path dir, String version, FollowState released)
            throws IOException {
        Instant now = Instant.now();
        DataSpan parentSpan = live.manifest().provenance().dataSpan();
        Instant from = parentSpan.from();
        Instant to = parentSpan.to();
        if (maxFeedbackTime != Long.MIN_VALUE) {
            from = min(from, Instant.ofEpochMilli(minFeedbackTime));
            to = max(to, Instant.ofEpochMilli(maxFeedbackTime));
        }
        ModelProvenance provenance =
                new ModelProvenance(
                        version,
                        live.modelVersion(),
                        now,
                        new DataSpan(from, to),
                        live.config(),
                        live.manifest().provenance().seed(),
                        Map.of());
        List<TrainingExample> replayed = replay.contents();
        List<TrainingExample> heldOut = List.copyOf(holdout);
        return io.nextlog.bundle.BundleWriter.write(
                dir,
                provenance,
                io.nextlog.bundle.GraphSignature.NEXT_LOG_V1,
                trainer.exportOnnx(),
                vocabulary,
                checkpointDir -> {
                    trainer.writeCheckpoint(checkpointDir);
                    released.writeTo(checkpointDir);
                    ExampleFiles.write(checkpointDir.resolve(FollowState.REPLAY_FILE), replayed);
                    ExampleFiles.write(checkpointDir.resolve(FollowState.HOLDOUT_FILE), heldOut);
                });
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static FollowState consumed(FollowState s, String exampleId) {
        return new FollowState(
                s.format(),
                s.consumed() + 1,
                s.consumedDigest() + FollowState.digestOf(exampleId),
                s.trainedPositives(),
                s.trainedNegatives(),
                s.heldOut(),
                s.skipped(),
                s.replayOffered(),
                s.offsets());
    }

    private static FollowState withCounts(
            FollowState s, long positives, long negatives, long heldOut, long skipped) {
        return new FollowState(
                s.format(),
                s.consumed(),
                s.consumedDigest(),
                s.trainedPositives() + positives,
                s.trainedNegatives() + negatives,
                s.heldOut() + heldOut,
                s.skipped() + skipped,
                s.replayOffered(),
                s.offsets());
    }

    private static KafkaConsumer<String, byte[]> consumer(
            FollowSettings settings, String groupId, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitionsOf(
            KafkaConsumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException(
                    "topic " + topic + ": expected it to exist, found no partitions");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** A {@code file:} URI or a plain path, as releases name bundles. */
    static Path bundlePath(String bundleUri) {
        return bundleUri.startsWith("file:") ? Path.of(URI.create(bundleUri)) : Path.of(bundleUri);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete candidate " + root, e);
        }
    }

    private void badRecord(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        metrics.badRecord(record.topic(), record.partition(), record.offset(), e);
        deadLetters.publish(record, e);
    }

    @Override
    public void close() {
        running = false;
        examples.close(Duration.ofSeconds(2));
        catalog.close(Duration.ofSeconds(2));
        deadLetters.close();
        if (trainer != null) {
            trainer.close();
        }
    }

    /** Counters of one follower, read by the metrics endpoint. */
    public static final class FollowMetrics {
        /** Examples read. */
        public final AtomicLong consumed = new AtomicLong();

        /** Examples trained on. */
        public final AtomicLong trained = new AtomicLong();

        /** Examples skipped. */
        public final AtomicLong skipped = new AtomicLong();

        /** Items that found no free vocabulary slot. */
        public final AtomicLong noFreeSlot = new AtomicLong();

        /** Optimizer steps. */
        public final AtomicLong steps = new AtomicLong();

        /** Candidates released. */
        public final AtomicLong published = new AtomicLong();

        /** Candidates that failed validation. */
        public final AtomicLong refused = new AtomicLong();

        /** Records that could not be read. */
        public final AtomicLong badRecords = new AtomicLong();

        /** The model this follower fine-tunes from. */
        public volatile String liveVersion = "";

        /** The last step's loss. */
        public volatile float lastLoss = Float.NaN;

        /** How long the last release took, from export to commit. */
        public volatile long lastPublishMillis;

        void badRecord(String topic, int partition, long offset, RuntimeException e) {
            if (badRecords.incrementAndGet() == 1) {
                LOG.warn(
                        "Dead-lettering unreadable record {}-{}@{} (further ones are counted only):"
                                + " {}",
                        topic,
                        partition,
                        offset,
                        e.getMessage());
            }
        }
    }
}
