package io.nextlog.ingest;

import io.nextlog.infra.Directories;
import io.nextlog.infra.LocalKafka;
import io.nextlog.infra.LocalRegistry;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.identity.Pseudonymizer;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Bench command, not a test: checkpoint and restore figures of the journey state at a given number
 * of users, extrapolated to 16 million.
 *
 * <pre>
 * java -cp ... io.nextlog.ingest.CheckpointBench [USERS [EVENTS_PER_USER [NEW_EVENTS]]]
 * </pre>
 *
 * (defaults 2,000 users, 256 events each, 10,000 new events; the classpath as for {@link
 * IngestBench}, see the README). Everything it writes lies in one {@code /tmp/nextlog-checkpoint-
 * bench*} folder, deleted at the end; it needs about 4 times the savepoint's size free.
 *
 * <ol>
 *   <li>Baseline: the job with empty state (after one warm-up run of it), its start-up time and one
 *       checkpoint, the parts of the later figures that do not grow with the state.
 *   <li>Bootstrap: the State Processor API writes a savepoint holding USERS journeys of
 *       EVENTS_PER_USER events each under the journey operator's uid, through {@link
 *       JourneyFunction.States}, the descriptors the job itself uses. Each user also has the {@code
 *       last-scored-ms} that a scoring job leaves.
 *   <li>Restore from the savepoint: the ingest job (scoring off, RocksDB, incremental checkpoints,
 *       parallelism 2) is submitted to a MiniCluster with the savepoint. Timed from submit to every
 *       task RUNNING (a task is RUNNING only once its state is restored and its operators are open)
 *       and to the journey operator counting, as a duplicate, a replay of a bootstrapped event that
 *       was in the topic before submit: that lookup succeeds only on the restored journey.
 *   <li>Full checkpoint: the first checkpoint after that restore, which uploads every RocksDB file.
 *   <li>Incremental checkpoint: after NEW_EVENTS new events for random users are processed.
 *   <li>Restore from that incremental checkpoint (retained on cancel), timed as in 3.
 * </ol>
 *
 * Sizes and durations are Flink's own checkpoint statistics (state size, checkpointed size, end to
 * end duration). The broker and registry run in this JVM and share its CPU. Java 17 needs {@code
 * --add-opens java.base/java.lang=ALL-UNNAMED}, as Flink's own scripts pass it: without it Kryo
 * cannot build the accessors the savepoint writer's metadata step needs.
 */
public final class CheckpointBench {

    private static final int PARALLELISM = 2;
    private static final long PRODUCTION_USERS = 16_000_000L;
    private static final long EVENT_SPACING_MS = 60_000;
    private static final Domain[] DOMAINS = {
        Domain.APP_USE, Domain.CALL, Domain.TV_VIEWING, Domain.LOCATION_VISIT
    };
    private static final Pseudonymizer IDS =
            new Pseudonymizer(
                    "checkpoint bench key, not a secret, 32 bytes"
                            .getBytes(StandardCharsets.UTF_8));

    private CheckpointBench() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int perUser = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int newEvents = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Path work = Files.createTempDirectory(Path.of("/tmp"), "nextlog-checkpoint-bench");
        try {
            run(work, users, perUser, newEvents);
        } finally {
            Directories.deleteRecursively(work);
        }
        System.exit(0);
    }

    private static void run(Path work, int users, int perUser, int newEvents) throws Exception {
        long startMs = Instant.now().minus(Duration.ofDays(7)).toEpochMilli();
        Journeys journeys = new Journeys(users, perUser, startMs);
        try (LocalKafka kafka = LocalKafka.start();
                LocalRegistry registry = LocalRegistry.start()) {
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                new TopicCreator(admin).ensure(TopicCatalog.local().all(), (short) 1);
            }
            Properties props = jobProperties(kafka, registry, work);
            IngestConfig config = IngestConfig.from(props);
            if (perUser > config.journeyLength()) {
                throw new IllegalArgumentException(
                        "EVENTS_PER_USER: expected at most journey.length "
                                + config.journeyLength()
                                + ", found "
                                + perUser);
            }

            long bootstrapStart = System.nanoTime();
            Path savepoint = bootstrap(work, config, journeys);
            System.out.printf(
                    "bootstrap: %,d users x %d events written to a savepoint in %.1f s, %s on"
                            + " disk (%,.0f bytes per user)%n",
                    users,
                    perUser,
                    seconds(System.nanoTime() - bootstrapStart),
                    bytes(size(savepoint)),
                    size(savepoint) / (double) users);

            SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentUrl());
            Configuration flink = IngestJob.flinkConfiguration(props, config);
            MiniClusterConfiguration cluster =
                    new MiniClusterConfiguration.Builder()
                            .setConfiguration(flink)
                            .setNumTaskManagers(1)
                            .setNumSlotsPerTaskManager(PARALLELISM)
                            .build();
            try (MiniCluster miniCluster = new MiniCluster(cluster);
                    KafkaProducer<String, SpecificRecord> producer =
                            IngestFixtures.producer(kafka.bootstrapServers(), client)) {
                miniCluster.start();
                measure(miniCluster, producer, flink, config, journeys, savepoint, newEvents);
            }
        }
    }

    private static void measure(
            MiniCluster miniCluster,
            KafkaProducer<String, SpecificRecord> producer,
            Configuration flink,
            IngestConfig config,
            Journeys journeys,
            Path savepoint,
            int newEvents)
            throws Exception {
        // Start-up and checkpoint costs that do not depend on the state, for the extrapolation,
        // taken in a warm JVM as the later runs are. Its checkpoint commits the sources' offsets,
        // so each later run gets a replay of its own.
        sendReplay(producer, journeys, 0);
        JobGraph warmUp = jobGraph(flink, config, null);
        restore(miniCluster, warmUp, BenchMetrics::journeyEvents);
        cancel(miniCluster, warmUp.getJobID());
        JobGraph empty = jobGraph(flink, config, null);
        Restore baseline = restore(miniCluster, empty, BenchMetrics::journeyEvents);
        System.out.println(baseline.line("nothing (empty state, start-up only)"));
        CompletedCheckpointStats emptyCheckpoint = checkpoint(miniCluster, empty.getJobID());
        System.out.println(line("empty checkpoint      ", emptyCheckpoint));
        cancel(miniCluster, empty.getJobID());

        sendReplay(producer, journeys, 1);
        JobGraph first = jobGraph(flink, config, savepoint.toUri().toString());
        Restore fromSavepoint = restore(miniCluster, first, BenchMetrics::duplicateEvents);
        System.out.println(fromSavepoint.line("savepoint (canonical format)"));

        CompletedCheckpointStats full = checkpoint(miniCluster, first.getJobID());
        System.out.println(line("full checkpoint       ", full));

        long eventsBefore = BenchMetrics.journeyEvents();
        sendNew(producer, journeys, newEvents);
        awaitJourneyEvents(miniCluster, first.getJobID(), eventsBefore + newEvents);
        CompletedCheckpointStats incremental = checkpoint(miniCluster, first.getJobID());
        System.out.printf(
                "%s after %,d new events (%,.0f bytes per new event)%n",
                line("incremental checkpoint", incremental),
                newEvents,
                incremental.getCheckpointedSize() / (double) newEvents);
        cancel(miniCluster, first.getJobID());

        sendReplay(producer, journeys, 2);
        JobGraph second = jobGraph(flink, config, incremental.getExternalPath());
        Restore fromCheckpoint = restore(miniCluster, second, BenchMetrics::duplicateEvents);
        System.out.println(fromCheckpoint.line("incremental checkpoint (RocksDB files)"));
        cancel(miniCluster, second.getJobID());

        new Extrapolation(journeys.users, baseline, emptyCheckpoint)
                .print(full, incremental, fromSavepoint, fromCheckpoint);
    }

    private static Properties jobProperties(LocalKafka kafka, LocalRegistry registry, Path work) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("schema.registry.url", registry.confluentUrl());
        props.setProperty("scoring.enabled", "false");
        props.setProperty("auto.register.schemas", "true");
        props.setProperty("checkpoint.interval", "PT1H"); // the bench triggers each checkpoint
        props.setProperty("group.id", "checkpoint-bench-" + System.nanoTime());
        props.setProperty(
                "flink.execution.checkpointing.dir",
                work.resolve("checkpoints").toUri().toString());
        props.setProperty(
                "flink.execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        props.setProperty(
                "flink.state.backend.rocksdb.localdir", work.resolve("rocksdb").toString());
        props.setProperty("flink.io.tmp.dirs", work.resolve("tmp").toString());
        props.setProperty("flink.rest.port", "0"); // not the job's 8083: a demo may hold it
        BenchMetrics.install(props);
        return props;
    }

    /** Writes the journeys into a new savepoint; returns its folder. */
    private static Path bootstrap(Path work, IngestConfig config, Journeys journeys)
            throws Exception {
        Path savepoint = work.resolve("savepoint");
        Configuration flink = new Configuration();
        flink.setString("io.tmp.dirs", work.resolve("tmp").toString());
        flink.setString("state.backend.rocksdb.localdir", work.resolve("rocksdb").toString());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM, flink);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);

        StateBootstrapTransformation<Long> transformation =
                OperatorTransformation.bootstrapWith(env.fromSequence(0, journeys.users - 1))
                        .keyBy(CheckpointBench::userId, Types.STRING)
                        .transform(new JourneyBootstrap(config.journeyTtl(), journeys));
        // The job leaves max parallelism at Flink's default; the savepoint must have the same.
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(PARALLELISM);
        SavepointWriter.newSavepoint(env, new EmbeddedRocksDBStateBackend(true), maxParallelism)
                .withOperator(OperatorIdentifier.forUid(IngestJob.JOURNEYS_UID), transformation)
                .write(savepoint.toUri().toString());
        env.execute("journey-bootstrap");
        return savepoint;
    }

    private static JobGraph jobGraph(
            Configuration flink, IngestConfig config, @Nullable String restorePath) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(PARALLELISM);
        IngestJob.build(env, config);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        if (restorePath != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restorePath, false));
        }
        return graph;
    }

    /**
     * Submits the job and waits until every task is RUNNING and then until {@code probe}, a sum of
     * the journey operators' counters, is above 0: the replay sent before has been looked up.
     */
    private static Restore restore(MiniCluster miniCluster, JobGraph graph, LongSupplier probe)
            throws Exception {
        BenchMetrics.reset();
        long submitted = System.nanoTime();
        miniCluster.submitJob(graph).get();
        while (!allRunning(miniCluster, graph.getJobID())) {
            Thread.sleep(5);
        }
        long running = System.nanoTime();
        while (probe.getAsLong() == 0) {
            Thread.sleep(5);
        }
        return new Restore(running - submitted, System.nanoTime() - submitted);
    }

    private static boolean allRunning(MiniCluster miniCluster, JobID job) throws Exception {
        AccessExecutionGraph graph = miniCluster.getExecutionGraph(job).get();
        if (graph.getState().isGloballyTerminalState()) {
            throw new IllegalStateException("job " + job + " ended: " + graph.getState());
        }
        if (graph.getState() != JobStatus.RUNNING) {
            return false; // while the job initialises, its graph has no tasks yet
        }
        int tasks = 0;
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            if (vertex.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
            tasks++;
        }
        return tasks > 0;
    }

    private static void cancel(MiniCluster miniCluster, JobID job) throws Exception {
        miniCluster.cancelJob(job).get();
        while (!miniCluster.getJobStatus(job).get().isGloballyTerminalState()) {
            Thread.sleep(20);
        }
    }

    /** Triggers a checkpoint of the configured (incremental) type; returns Flink's statistics. */
    private static CompletedCheckpointStats checkpoint(MiniCluster miniCluster, JobID job)
            throws Exception {
        long id = miniCluster.triggerCheckpoint(job, CheckpointType.CONFIGURED).get();
        while (true) {
            AbstractCheckpointStats stats =
                    miniCluster
                            .getExecutionGraph(job)
                            .get()
                            .getCheckpointStatsSnapshot()
                            .getHistory()
                            .getCheckpointById(id);
            if (stats instanceof CompletedCheckpointStats completed) {
                return completed;
            }
            Thread.sleep(20);
        }
    }

    private static void awaitJourneyEvents(MiniCluster miniCluster, JobID job, long events)
            throws Exception {
        while (BenchMetrics.journeyEvents() < events) {
            if (miniCluster.getJobStatus(job).get().isGloballyTerminalState()) {
                throw new IllegalStateException(
                        "job ended after " + BenchMetrics.journeyEvents() + " of " + events);
            }
            Thread.sleep(10);
        }
    }

    /** Sends again the newest bootstrapped event of user {@code user}. */
    private static void sendReplay(
            KafkaProducer<String, SpecificRecord> producer, Journeys journeys, long user)
            throws Exception {
        BehaviorEvent replay = journeys.event(user, journeys.perUser - 1);
        producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.BEHAVIOR_EVENTS, replay.getUserId(), replay))
                .get();
    }

    /** Sends {@code count} events newer than every bootstrapped one, for random users. */
    private static void sendNew(
            KafkaProducer<String, SpecificRecord> producer, Journeys journeys, int count) {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < count; i++) {
            BehaviorEvent event =
                    journeys.event(random.nextInt(journeys.users), journeys.perUser + i);
            producer.send(
                    new ProducerRecord<>(TopicCatalog.BEHAVIOR_EVENTS, event.getUserId(), event));
        }
        producer.flush();
    }

    private static String line(String what, CompletedCheckpointStats stats) {
        return String.format(
                "%s %d: checkpointed %s of %s state in %,d ms",
                what,
                stats.getCheckpointId(),
                bytes(stats.getCheckpointedSize()),
                bytes(stats.getStateSize()),
                stats.getEndToEndDuration());
    }

    static String userId(long index) {
        return IDS.derive("customer-" + index);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String bytes(long bytes) {
        if (bytes < 10L << 20) {
            return String.format("%,.1f KiB", bytes / 1024.0);
        }
        if (bytes < 10L << 30) {
            return String.format("%,.1f MiB", bytes / (double) (1 << 20));
        }
        return String.format("%,.1f GiB", bytes / (double) (1 << 30));
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Times of one restore, from submit. */
    private record Restore(long runningNanos, long stateFoundNanos) {

        String line(String from) {
            return String.format(
                    "restore from %s: submit to all tasks RUNNING %,d ms, to the replayed event"
                            + " looked up in its journey %,d ms",
                    from, runningNanos / 1_000_000, stateFoundNanos / 1_000_000);
        }
    }

    /**
     * Scales this run's figures to {@link #PRODUCTION_USERS}: what grows with the state grows
     * linearly in users, at the same parallelism and the same rates per subtask; the part of a time
     * that an empty job shows too (start-up, barriers, metadata) stays as it is.
     */
    private record Extrapolation(int users, Restore baseline, CompletedCheckpointStats empty) {

        void print(
                CompletedCheckpointStats full,
                CompletedCheckpointStats incremental,
                Restore fromSavepoint,
                Restore fromCheckpoint) {
            double scale = PRODUCTION_USERS / (double) users;
            System.out.printf(
                    "extrapolated to %,d users (x %.0f), at parallelism %d; with P subtasks on as"
                            + " many disks, divide the state-bound seconds by P/%d:%n",
                    PRODUCTION_USERS, scale, PARALLELISM, PARALLELISM);
            long emptyMs = empty.getEndToEndDuration();
            System.out.printf(
                    "  full checkpoint: %s, %.0f s (%,.0f bytes per user)%n",
                    bytes((long) (full.getCheckpointedSize() * scale)),
                    (emptyMs + (full.getEndToEndDuration() - emptyMs) * scale) / 1e3,
                    full.getCheckpointedSize() / (double) users);
            System.out.printf(
                    "  incremental checkpoint: %s referenced; what it uploads follows the new"
                            + " events and the compactions they set off, not the users (%s here)%n",
                    bytes((long) (incremental.getStateSize() * scale)),
                    bytes(incremental.getCheckpointedSize()));
            System.out.printf(
                    "  restore to RUNNING: from the savepoint %.0f s, from the incremental"
                            + " checkpoint %.0f s%n",
                    scaled(fromSavepoint.runningNanos, baseline.runningNanos, scale),
                    scaled(fromCheckpoint.runningNanos, baseline.runningNanos, scale));
        }

        private static double scaled(long nanos, long baselineNanos, double scale) {
            return (baselineNanos + Math.max(0, nanos - baselineNanos) * scale) / 1e9;
        }
    }

    /**
     * The bench's journeys, the same wherever they are made: event {@code i} of user {@code u} has
     * the id {@code ev-u-i} and the time {@code startMs + i} minutes.
     */
    private record Journeys(int users, int perUser, long startMs) implements java.io.Serializable {

        /** Event {@code i} of user {@code user} as the job receives it. */
        BehaviorEvent event(long user, int i) {
            JourneyEntry entry = entry(user, i);
            return BehaviorEvent.newBuilder()
                    .setEventId(eventId(user, i))
                    .setUserId(userId(user))
                    .setEventTime(Instant.ofEpochMilli(entry.timeMs))
                    .setDomain(Domain.values()[entry.domain])
                    .setItem(entry.item)
                    .build();
        }

        /** Event {@code i} of user {@code user} as the journey keeps it. */
        JourneyEntry entry(long user, int i) {
            SplittableRandom random = new SplittableRandom(user * 1_000_003L + i);
            return new JourneyEntry(
                    "app:" + random.nextInt(300),
                    DOMAINS[random.nextInt(DOMAINS.length)],
                    startMs + i * EVENT_SPACING_MS);
        }

        static String eventId(long user, int i) {
            return "ev-" + user + "-" + i;
        }
    }

    /**
     * Writes each user's journey as the journey operator would have kept it, through the job's own
     * state descriptors.
     */
    private static final class JourneyBootstrap extends KeyedStateBootstrapFunction<String, Long> {

        private static final long serialVersionUID = 1L;

        private final Duration ttl;
        private final Journeys journeys;

        private transient MapState<Long, JourneyEntry> journey;
        private transient ValueState<Integer> size;
        private transient ValueState<Long> lastScoredMs;

        JourneyBootstrap(Duration ttl, Journeys journeys) {
            this.ttl = ttl;
            this.journeys = journeys;
        }

        @Override
        public void open(OpenContext openContext) {
            JourneyFunction.States states = JourneyFunction.States.of(ttl);
            journey = getRuntimeContext().getMapState(states.journey());
            size = getRuntimeContext().getState(states.size());
            lastScoredMs = getRuntimeContext().getState(states.lastScoredMs());
        }

        @Override
        public void processElement(Long user, Context ctx) throws Exception {
            long newestMs = 0;
            for (int i = 0; i < journeys.perUser; i++) {
                JourneyEntry entry = journeys.entry(user, i);
                journey.put(
                        JourneyFunction.orderingKey(entry.timeMs, Journeys.eventId(user, i)),
                        entry);
                newestMs = entry.timeMs;
            }
            size.update(journeys.perUser);
            lastScoredMs.update(newestMs);
        }
    }
}
