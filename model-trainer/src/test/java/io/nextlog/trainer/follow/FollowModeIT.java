package io.nextlog.trainer.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.DataSpan;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.event.ReleaseKind;
import io.nextlog.schemas.event.TrainingExample;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.GptTrainer;
import io.nextlog.trainer.eval.OnnxBundleScorer;
import io.nextlog.trainer.release.DirectoryModelStore;
import io.nextlog.trainer.release.HaltingModelStore;
import io.nextlog.trainer.release.HoldoutGuard;
import io.nextlog.trainer.release.HoldoutJudge;
import io.nextlog.trainer.release.ReleaseHttpServer;
import io.nextlog.trainer.release.ReleaseManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follow mode against a real broker and the real registry, with real DJL fine-tuning and real ONNX
 * Runtime validation. The tests run in order and share one release log: start and first child,
 * crashes, the holdout guard's rollback, and fencing of a second release manager.
 */
@ExtendWith(LocalInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FollowModeIT {

    private static final String NEW_ITEM = "offer-new";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir static Path temp;

    private LocalInfra infra;
    private SchemaRegistryClient registry;
    private DirectoryModelStore store;
    private ModelBundle base;
    private final ChainWorld world = new ChainWorld(11);
    private final List<String> producedIds = new ArrayList<>();
    private KafkaProducer<String, byte[]> producer;
    private final List<Process> followerProcesses = new ArrayList<>();
    private final Map<Process, Path> logs = new java.util.HashMap<>();

    @BeforeAll
    void startUp(LocalInfra infra) throws IOException {
        this.infra = infra;
        this.registry = new SchemaRegistryClient(infra.registryUrl());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            new TopicCreator(admin).ensure(TopicCatalog.local().all(), (short) 1);
        }
        this.store = new DirectoryModelStore(temp.resolve("store"));
        this.base = ChainWorld.pretrain(temp.resolve("base"), "base-1");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        this.producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    void shutDown() throws InterruptedException {
        producer.close();
        for (Process child : followerProcesses) {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    @Order(1)
    void releasesTheStartBundleThenAChildThatLearnedANewItem() throws Exception {
        produceCatalogItem(NEW_ITEM);
        List<TrainingExample> examples = new ArrayList<>(world.ringPositives(120));
        for (int i = 0; i < 80; i++) {
            // A group of customers whose journeys end at c3 take the new offer...
            examples.add(world.positive(3, NEW_ITEM));
        }
        for (int i = 0; i < 20; i++) {
            // ...and customers at c9 dismiss c0.
            examples.add(world.negative(9, ChainWorld.item(0)));
        }
        java.util.Collections.shuffle(examples, new java.util.Random(5));
        produceExamples(examples);
        producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.TRAINING_EXAMPLES, "u-bad", "not avro".getBytes()))
                .get();

        try (ReleaseManager manager = manager()) {
            // A step size that wrecks the weights: every candidate ranks worse than the live
            // model on the held-out answers, so none is released and the offsets stay put.
            FollowTrainer wrecking =
                    FollowTrainer.start(settings(1, 50f), store, manager, registry);
            runUntil(wrecking, () -> wrecking.metrics().refused.get() >= 1);
            wrecking.close();
            assertEquals(1, manager.history().size(), "only the start bundle is released");
            assertEquals(Map.of(), committedOffsets());
            try (Stream<Path> stored = Files.list(store.root())) {
                assertEquals(1, stored.count(), "a refused candidate never enters the store");
            }

            FollowTrainer follower = FollowTrainer.start(settings(1), store, manager, registry);
            runUntil(follower, () -> allConsumedAndReleased(follower, manager));

            List<ModelRelease> history = manager.history();
            assertEquals(1, history.get(0).getSequence());
            assertEquals("base-1", history.get(0).getVersion());
            ModelRelease child = history.get(history.size() - 1);
            assertEquals(ReleaseKind.PUBLISH, child.getKind());
            assertTrue(child.getVersion().startsWith("ft-"), child.getVersion());
            for (int i = 1; i < history.size(); i++) {
                assertEquals(history.get(i - 1).getSequence() + 1, history.get(i).getSequence());
            }
            assertEquals(1, follower.metrics().badRecords.get());
            DeadLetter letter = deadLetterOf(TopicCatalog.TRAINING_EXAMPLES);
            assertEquals("malformed-bytes", letter.getErrorType());
            assertEquals("trainer-follow", letter.getStage());
            assertEquals("not avro", StandardCharsets.UTF_8.decode(letter.getPayload()).toString());

            ModelBundle released = BundleReader.read(Path.of(URI.create(child.getBundleUri())));
            assertEquals(child.getSha256(), released.manifestSha256());
            assertNotEquals(
                    Vocabulary.OOV_ID, released.vocabulary().idOf(NEW_ITEM), "new item has an id");
            // The group now gets the new offer among its top 10; the ring is not forgotten.
            try (OnnxBundleScorer scorer = new OnnxBundleScorer(released)) {
                assertTrue(rankOf(scorer, released, 3, NEW_ITEM) < 10);
                assertTrue(rankOf(scorer, released, 5, ChainWorld.item(6)) < 3);
            }
            // The offsets moved with the release: the group has consumed everything.
            assertEquals(endOffsets(), committedOffsets());
            follower.close();
        }
    }

    @Test
    @Order(2)
    void neitherSkipsNorRepeatsExamplesWhenKilledMidFineTuneOrMidPublish() throws Exception {
        produceExamples(world.ringPositives(60));
        int releasesBefore;

        // Killed mid fine-tune: a follower in its own JVM trains, then gets SIGKILL before it
        // ever publishes.
        try (ReleaseManager manager = manager()) {
            releasesBefore = manager.history().size();
        }
        Map<TopicPartition, Long> offsetsBefore = committedOffsets();
        Process training = startFollowerProcess(3_600, false, "killed");
        int port = awaitReady(training);
        waitFor(() -> metric(port, "nextlog_trainer_examples_trained_total") >= 32);
        training.destroyForcibly().waitFor();
        try (ReleaseManager manager = manager()) {
            assertEquals(releasesBefore, manager.history().size());
        }
        assertEquals(offsetsBefore, committedOffsets(), "no offsets moved");

        // Halted mid publish: its JVM stops dead after storing a candidate, before the release
        // and the offsets are committed.
        Process publishing = startFollowerProcess(1, true, "halted");
        assertTrue(publishing.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "halted in time");
        assertEquals(HaltingModelStore.HALT_STATUS, publishing.exitValue(), "halted after storing");
        AtomicReference<String> orphan = new AtomicReference<>();
        try (ReleaseManager manager = manager();
                Stream<Path> stored = Files.list(store.root())) {
            assertEquals(releasesBefore, manager.history().size());
            Set<String> released = new java.util.HashSet<>();
            manager.history().forEach(r -> released.add(r.getVersion()));
            orphan.set(
                    stored.map(p -> p.getFileName().toString())
                            .filter(name -> !name.startsWith(".") && !released.contains(name))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no orphan bundle stored")));
        }
        assertTrue(store.locate(orphan.get()).isPresent(), "the orphan bundle was stored");
        // A hidden half-copy, as a crash during the copy leaves it.
        Files.createDirectories(store.root().resolve(".ft-x.copy-123/checkpoint"));

        produceExamples(world.ringPositives(40));
        try (ReleaseManager manager = manager()) {
            FollowTrainer follower = FollowTrainer.start(settings(1), store, manager, registry);
            runUntil(follower, () -> allConsumedAndReleased(follower, manager));
            follower.close();

            ModelRelease live = manager.live().orElseThrow();
            for (ModelRelease release : manager.history()) {
                assertNotEquals(orphan.get(), release.getVersion(), "the orphan is never live");
            }
            FollowState state =
                    FollowState.read(
                            BundleReader.read(Path.of(URI.create(live.getBundleUri())))
                                    .checkpointDirectory());
            long digest = 0;
            for (String id : producedIds) {
                digest += FollowState.digestOf(id);
            }
            assertEquals(producedIds.size(), state.consumed(), "every example read once");
            assertEquals(digest, state.consumedDigest(), "no example skipped, none repeated");
            try (Stream<Path> children = Files.list(store.root())) {
                assertFalse(
                        children.anyMatch(p -> p.getFileName().toString().startsWith(".")),
                        "no hidden copies left");
            }
        }
    }

    @Test
    @Order(3)
    void holdoutGuardRollsBackAJunkFirstReleaseOnceBothArmsHaveEnoughImpressions()
            throws Exception {
        try (ReleaseManager manager = manager()) {
            ModelRelease good = manager.live().orElseThrow();
            ModelBundle goodBundle = BundleReader.read(Path.of(URI.create(good.getBundleUri())));
            ModelBundle junk = junkFirst(goodBundle, "offer-junk");
            try (OnnxBundleScorer scorer = new OnnxBundleScorer(junk)) {
                assertEquals(0, rankOf(scorer, junk, 5, "offer-junk"), "junk ranks first");
            }
            URI uri = store.put(junk);
            ModelRelease junkRelease =
                    manager.publish(
                            junk.modelVersion(),
                            good.getVersion(),
                            uri.toString(),
                            junk.manifestSha256(),
                            Map.of(),
                            Map.of(),
                            null);

            HoldoutJudge judge = new HoldoutJudge(Set.of("holdout"), 200, 0.3);
            try (HoldoutGuard guard =
                            new HoldoutGuard(
                                    infra.bootstrapServers(),
                                    registry,
                                    manager,
                                    judge,
                                    Duration.ofHours(1));
                    ReleaseHttpServer http =
                            new ReleaseHttpServer(
                                    "127.0.0.1", 0, manager, guard::lastVerdict, Map::of)) {
                // Customers click the item that really comes next; junk is never taken. The
                // windows lie after the release and have ended, so the judge counts them.
                Instant window = junkRelease.getPublishedAt();
                Thread.sleep(2_200);
                serveWindow(window, junk, base, 150);
                Thread.sleep(3_000);
                assertEquals(junk.modelVersion(), manager.live().orElseThrow().getVersion());
                assertTrue(guard.lastVerdict().startsWith("wait"), guard.lastVerdict());

                serveWindow(window.plusSeconds(1), junk, base, 150);
                waitFor(() -> manager.live().orElseThrow().getKind() == ReleaseKind.ROLLBACK);
                ModelRelease rollback = manager.live().orElseThrow();
                assertEquals(good.getVersion(), rollback.getVersion());
                assertEquals(junk.modelVersion(), rollback.getParentVersion());
                assertTrue(rollback.getReason().contains("CTR"), rollback.getReason());
                assertEquals(1, guard.rollbacks());
                assertTrue(manager.isWorse(junk.modelVersion()));

                String body = get(http.port(), "/v1/releases");
                assertTrue(body.contains("\"kind\":\"ROLLBACK\""), body);
            }
        }
    }

    @Test
    @Order(4)
    void aSecondManagerFencesTheFirstAndSequencesStayMonotonic() throws Exception {
        try (ReleaseManager first = manager()) {
            long last = first.live().orElseThrow().getSequence();
            try (ReleaseManager second = manager()) {
                String previous = first.lastGoodBeforeLive().orElseThrow();
                assertThrows(KafkaException.class, () -> first.rollback(previous, "fenced?"));
                ModelRelease release = second.rollback(previous, "by hand");
                assertEquals(last + 1, release.getSequence());
            }
        }
        try (ReleaseManager restarted = manager()) {
            assertEquals(
                    restarted.history().size(),
                    restarted.live().orElseThrow().getSequence(),
                    "one release per sequence, none lost");
        }
    }

    // ---------------------------------------------------------------------------------------

    private ReleaseManager manager() {
        return ReleaseManager.start(
                infra.bootstrapServers(),
                registry,
                ReleaseManager.DEFAULT_TRANSACTIONAL_ID,
                Duration.ofSeconds(30));
    }

    private FollowSettings settings(long publishSeconds) {
        return settings(publishSeconds, 0.01f);
    }

    private FollowSettings settings(long publishSeconds, float learningRate) {
        FollowSettings d =
                FollowSettings.defaults(
                        infra.bootstrapServers(),
                        infra.registryUrl(),
                        base.directory(),
                        temp.resolve("work"));
        return new FollowSettings(
                d.bootstrapServers(),
                d.registryUrl(),
                d.initialBundle(),
                d.workDirectory(),
                d.groupId(),
                Duration.ofSeconds(publishSeconds),
                learningRate,
                32,
                3,
                8,
                1_000,
                10,
                200,
                5,
                0.15,
                Set.of("holdout"),
                200,
                0.3,
                Duration.ZERO,
                Duration.ofHours(1),
                1);
    }

    private boolean allConsumedAndReleased(FollowTrainer follower, ReleaseManager manager) {
        ModelRelease live = manager.live().orElse(null);
        if (live == null || !live.getVersion().startsWith("ft-")) {
            return false;
        }
        try {
            FollowState state =
                    FollowState.read(
                            BundleReader.read(Path.of(URI.create(live.getBundleUri())))
                                    .checkpointDirectory());
            return state.consumed() == producedIds.size();
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a follower on its own thread until the condition holds, then stops it. */
    private static void runUntil(FollowTrainer follower, BooleanSupplier done) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                follower.run();
                            } catch (Throwable e) {
                                failure.set(e);
                            }
                        },
                        "follower");
        thread.start();
        try {
            waitFor(() -> done.getAsBoolean() || failure.get() != null);
        } finally {
            follower.stop();
            thread.join(30_000);
        }
        if (failure.get() != null) {
            throw new AssertionError("follower failed", failure.get());
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(200);
        }
    }

    private void produceExamples(List<TrainingExample> examples) throws Exception {
        RegistryAvroSerializer<TrainingExample> values =
                new RegistryAvroSerializer<>(registry, true);
        for (TrainingExample example : examples) {
            producer.send(
                    new ProducerRecord<>(
                            TopicCatalog.TRAINING_EXAMPLES,
                            example.getUserId().toString(),
                            values.serialize(TopicCatalog.TRAINING_EXAMPLES, example)));
            producedIds.add(example.getExampleId().toString());
        }
        producer.flush();
    }

    private void produceCatalogItem(String itemId) throws Exception {
        CatalogItem item =
                CatalogItem.newBuilder()
                        .setItemId(itemId)
                        .setTitle("New offer")
                        .setCategory("video-ott")
                        .setChannels(List.of("t-deal"))
                        .setValidFrom(Instant.now())
                        .build();
        RegistryAvroSerializer<CatalogItem> values = new RegistryAvroSerializer<>(registry, true);
        producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.CATALOG_ITEMS,
                                itemId,
                                values.serialize(TopicCatalog.CATALOG_ITEMS, item)))
                .get();
    }

    /**
     * One metrics window of each arm, as the feedback updater would write it: {@code customers}
     * customers per arm, each shown the top item of the arm's model, who click it when it is the
     * ring's next item.
     */
    private void serveWindow(Instant start, ModelBundle live, ModelBundle baseline, int customers)
            throws Exception {
        RegistryAvroSerializer<RecoMetrics> values = new RegistryAvroSerializer<>(registry, true);
        for (ModelBundle bundle : List.of(live, baseline)) {
            String arm = bundle == live ? "live" : "holdout";
            long clicks = 0;
            try (OnnxBundleScorer scorer = new OnnxBundleScorer(bundle)) {
                for (int c = 0; c < customers; c++) {
                    int last = c % ChainWorld.ITEMS;
                    if (rankOf(scorer, bundle, last, ChainWorld.item(last + 1)) == 0) {
                        clicks++;
                    }
                }
            }
            RecoMetrics window =
                    RecoMetrics.newBuilder()
                            .setChannel("t-deal")
                            .setModelVersion(bundle.modelVersion())
                            .setExperimentArm(arm)
                            .setWindowStart(start)
                            .setWindowEnd(start.plusSeconds(1))
                            .setImpressions(customers)
                            .setClicks(clicks)
                            .setConverts(0)
                            .setDismissals(0)
                            .setCtr((double) clicks / customers)
                            .setConversionRate(0)
                            .build();
            String key = "t-deal|" + bundle.modelVersion() + "|" + arm;
            producer.send(
                            new ProducerRecord<>(
                                    TopicCatalog.RECO_METRICS,
                                    key,
                                    values.serialize(TopicCatalog.RECO_METRICS, window)))
                    .get();
        }
    }

    /** The 0-based rank of an item among the assigned items after a journey ending at c<last>. */
    private int rankOf(OnnxBundleScorer scorer, ModelBundle bundle, int last, String item) {
        float[] scores = scorer.score(List.of(world.journeyEndingAt(last, 6)))[0];
        int id = bundle.vocabulary().idOf(item);
        int rank = 0;
        int end = Vocabulary.FIRST_ITEM_ID + bundle.vocabulary().items().size();
        for (int other = Vocabulary.FIRST_ITEM_ID; other < end; other++) {
            if (other != id && scores[other] > scores[id]) {
                rank++;
            }
        }
        return rank;
    }

    /** A copy of a bundle with one new junk item whose output bias puts it first everywhere. */
    private ModelBundle junkFirst(ModelBundle good, String junkItem) throws IOException {
        Vocabulary vocabulary = good.vocabulary().withAssigned(List.of(junkItem));
        int junkId = vocabulary.idOf(junkItem);
        try (GptTrainer trainer = GptTrainer.restore(good.config(), good.checkpointDirectory())) {
            Map<String, NDArray> weights = trainer.copyWeights();
            for (Map.Entry<String, NDArray> weight : weights.entrySet()) {
                if (weight.getKey().endsWith("output_bias")) {
                    weight.getValue().set(new ai.djl.ndarray.index.NDIndex(junkId), 50f);
                }
            }
            trainer.restoreWeights(weights);
            ModelProvenance provenance =
                    new ModelProvenance(
                            "junk-1",
                            good.modelVersion(),
                            Instant.now(),
                            new DataSpan(ChainWorld.START, ChainWorld.START.plusSeconds(1)),
                            good.config(),
                            0,
                            Map.of());
            return trainer.writeBundle(temp.resolve("junk-1"), provenance, vocabulary);
        }
    }

    /**
     * Starts {@code follow} in a child JVM with the settings of {@link #settings(long)}; its output
     * goes to a file named after {@code name}.
     */
    private Process startFollowerProcess(long publishSeconds, boolean haltAfterStore, String name)
            throws IOException {
        Path log = temp.resolve(name + ".log");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-D" + HaltingModelStore.PROPERTY + "=" + haltAfterStore,
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.nextlog.trainer.cli.TrainerCommand",
                                "follow",
                                "--bootstrap-servers",
                                infra.bootstrapServers(),
                                "--registry-url",
                                infra.registryUrl(),
                                "--live-bundle",
                                base.directory().toString(),
                                "--store",
                                store.root().toString(),
                                "--work-dir",
                                temp.resolve("work").toString(),
                                "--publish-interval-s",
                                String.valueOf(publishSeconds),
                                "--lr",
                                "0.01",
                                "--batch-size",
                                "32",
                                "--steps-per-batch",
                                "3",
                                "--replay-per-batch",
                                "8",
                                "--holdout-percent",
                                "10",
                                "--min-holdout",
                                "5",
                                "--tolerance",
                                "0.15",
                                "--guard-min-impressions",
                                "200",
                                "--guard-maturity-s",
                                "0",
                                "--http-port",
                                "0"));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        followerProcesses.add(process);
        logs.put(process, log);
        return process;
    }

    /** Waits for a child's "ready" line; returns its HTTP port. */
    private int awaitReady(Process process) throws Exception {
        Path log = logs.get(process);
        AtomicReference<Integer> port = new AtomicReference<>();
        waitFor(
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("follower exited early: " + tail(log));
                    }
                    for (String line : lines(log)) {
                        if (line.startsWith("ready http://")) {
                            port.set(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1)));
                            return true;
                        }
                    }
                    return false;
                });
        return port.get();
    }

    /** One sample of a child's {@code /metrics}, or -1 when it cannot be read. */
    private static double metric(int port, String name) {
        try {
            for (String line : get(port, "/metrics").split("\\n")) {
                if (line.startsWith(name + " ")) {
                    return Double.parseDouble(line.substring(name.length() + 1).trim());
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a GET on a loopback port. */
    private static String get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String tail(Path log) {
        List<String> all = lines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
    }

    /** The first dead letter of a record from {@code sourceTopic}. */
    private DeadLetter deadLetterOf(String sourceTopic) throws InterruptedException {
        RegistryAvroDeserializer<DeadLetter> letters =
                new RegistryAvroDeserializer<>(registry, DeadLetter.class);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(TopicCatalog.DEAD_LETTERS).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            AtomicReference<DeadLetter> found = new AtomicReference<>();
            waitFor(
                    () -> {
                        for (ConsumerRecord<String, byte[]> record :
                                consumer.poll(Duration.ofMillis(200))) {
                            DeadLetter letter =
                                    letters.decode(
                                            record.topic(),
                                            record.partition(),
                                            record.offset(),
                                            record.value());
                            if (letter.getSourceTopic().equals(sourceTopic)) {
                                found.set(letter);
                            }
                        }
                        return found.get() != null;
                    });
            return found.get();
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            TopicPartition partition = new TopicPartition(TopicCatalog.TRAINING_EXAMPLES, 0);
            int partitions =
                    admin.describeTopics(List.of(TopicCatalog.TRAINING_EXAMPLES))
                            .allTopicNames()
                            .get()
                            .get(TopicCatalog.TRAINING_EXAMPLES)
                            .partitions()
                            .size();
            Map<TopicPartition, OffsetSpec> query = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                query.put(new TopicPartition(partition.topic(), p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new java.util.HashMap<>();
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                    admin.listOffsets(query).all().get().entrySet()) {
                ends.put(e.getKey(), e.getValue().offset());
            }
            return ends;
        }
    }

    private Map<TopicPartition, Long> committedOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(FollowSettings.DEFAULT_GROUP)
                            .partitionsToOffsetAndMetadata()
                            .get();
            Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
            committed.forEach((tp, o) -> offsets.put(tp, o.offset()));
            return offsets;
        }
    }

    /** Stands for the process dying: nothing after it runs. */
}
