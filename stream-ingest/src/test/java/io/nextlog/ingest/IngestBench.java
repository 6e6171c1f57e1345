package io.nextlog.ingest;

import io.nextlog.infra.Directories;
import io.nextlog.infra.LocalRegistry;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.identity.Pseudonymizer;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import io.nextlog.schemas.topic.TopicSpec;
import io.nextlog.scorer.TestBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Bench command, not a test: the ingest job's throughput and latency against baselines in the same
 * run. The broker runs in a JVM of its own ({@link ChildKafka}) and the registry is a child process
 * too, so this JVM's CPU time is the job's (or the plain consumer's) alone.
 *
 * <pre>
 * java -cp ... io.nextlog.ingest.IngestBench [USERS [EVENTS_PER_USER [ROUNDS [throughput-only]]]]
 * </pre>
 *
 * (plain java, the classpath as in the README: a MiniCluster cannot run under exec:java). ROUNDS 0
 * runs the latency part alone; {@code throughput-only} leaves it out. {@code
 * -Dingest.bench.only=rocksdb} (or {@code hashmap}, {@code plain}) runs only those throughput runs,
 * for a profiler.
 *
 * <ul>
 *   <li>Throughput, one topic of USERS x EVENTS_PER_USER behavior events read to its end: a plain
 *       consumer deserialising it; the job with RocksDB and exactly-once, scoring off; the same job
 *       with in-memory (hashmap) state; the RocksDB job again with scoring on (the fixture bundle,
 *       the default 1 s debounce, so each user is scored at most once a second). Rounds rotate the
 *       order. A job is measured from the first event its journey operators processed to the last,
 *       so neither start-up nor the final checkpoint counts. Each run prints events per wall-clock
 *       second, the CPU seconds of this JVM over that window (every thread: tasks, source fetchers,
 *       JIT, garbage collector, RocksDB's native threads), events per CPU-second, a break-down of
 *       the CPU by Java thread group, and the broker JVM's CPU seconds over the same window (not
 *       charged to the job). Medians over the rounds follow, and the ratios of events per
 *       CPU-second.
 *   <li>State bytes per user: the RocksDB job's last checkpoint on disk (incremental, so its shared
 *       files plus its own folder) over the users, at EVENTS_PER_USER events each.
 *   <li>Latency event to recommendation with debounce 0, scoring on with the fixture bundle: 200
 *       events/s for 15 s, the time from each event's timestamp to its recommendation being
 *       readable (read_uncommitted for at-least-once, read_committed for exactly-once, where a
 *       checkpoint, every 1 s here, makes it visible), split at the recommendation's {@code
 *       generatedAt}. After one unmeasured warm-up run: at-least-once with Flink's default buffer
 *       timeout and with the job's, the latter again at the job's default checkpoint interval, then
 *       exactly-once. At-least-once's remaining tail is the checkpoints' synchronous phase on
 *       RocksDB (a memtable flush and sync per keyed subtask, 60-450 ms on this machine's shared
 *       disk, blocking the task): with the hashmap backend, without checkpoints, or with RocksDB's
 *       local directory on tmpfs, its p99 was about 100 ms here against 150-350 ms, so RocksDB
 *       wants a local disk of its own.
 * </ul>
 */
public final class IngestBench {

    private static final String PLAIN = "plain consumer";
    private static final String ROCKSDB = "job rocksdb+eos";
    private static final String HASHMAP = "job hashmap+eos";
    private static final String SCORING = "job rocksdb+eos scoring";

    /** Runs only the throughput runs whose name contains this ("rocksdb"), for a profiler. */
    private static final String ONLY = System.getProperty("ingest.bench.only", "");

    private IngestBench() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int perUser = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean latency = args.length <= 3 || !args[3].equals("throughput-only");
        Path work = Files.createTempDirectory("nextlog-ingest-bench");
        try (ChildKafka kafka = ChildKafka.start();
                LocalRegistry registry = LocalRegistry.start();
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicCreator(admin).ensure(TopicCatalog.local().all(), (short) 1);
            SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentUrl());
            if (rounds > 0) {
                throughput(kafka, registry, client, work, users, perUser, rounds);
            }
            if (latency) {
                latencies(kafka.bootstrapServers(), registry, client, work);
            }
        } finally {
            Directories.deleteRecursively(work);
        }
        System.exit(0);
    }

    private static void latencies(
            String kafka, LocalRegistry registry, SchemaRegistryClient client, Path work)
            throws Exception {
        // The first scoring run of a JVM pays for class loading and JIT: not measured.
        latency(kafka, registry, client, work, "warm-up", true, Map.of());
        // At-least-once with Flink's 100 ms buffer timeout, as the job had it, side by side.
        latency(
                kafka,
                registry,
                client,
                work,
                "at-least-once, buffer timeout 100 ms",
                true,
                Map.of("flink.execution.buffer-timeout.interval", "100 ms"));
        latency(
                kafka,
                registry,
                client,
                work,
                "at-least-once, buffer timeout " + IngestJob.AT_LEAST_ONCE_BUFFER_TIMEOUT,
                true,
                Map.of());
        latency(
                kafka,
                registry,
                client,
                work,
                "at-least-once, buffer timeout "
                        + IngestJob.AT_LEAST_ONCE_BUFFER_TIMEOUT
                        + ", checkpoints every "
                        + IngestConfig.DEFAULTS.get("checkpoint.interval")
                        + " (the job's default)",
                true,
                Map.of("checkpoint.interval", IngestConfig.DEFAULTS.get("checkpoint.interval")));
        latency(kafka, registry, client, work, "exactly-once", false, Map.of());
    }

    /**
     * One measured run: events over the wall-clock seconds and the CPU seconds of this JVM from the
     * first event to the last, the latter split by thread group, and the broker JVM's CPU seconds.
     */
    private record Run(
            int events,
            double wallSeconds,
            double cpuSeconds,
            Map<String, Double> groupSeconds,
            double brokerCpuSeconds) {

        double eventsPerSecond() {
            return events / wallSeconds;
        }

        double eventsPerCpuSecond() {
            return events / cpuSeconds;
        }

        @Override
        public String toString() {
            return String.format(
                    "%,9.0f ev/s  %6.2f CPU s  %,8.0f ev/CPU-s  (tasks %.2f, fetchers %.2f,"
                            + " other java %.2f, gc/jit/native %.2f; broker JVM %.2f)",
                    eventsPerSecond(),
                    cpuSeconds,
                    eventsPerCpuSecond(),
                    groupSeconds.getOrDefault(JvmCpu.TASKS, 0.0),
                    groupSeconds.getOrDefault(JvmCpu.FETCHERS, 0.0),
                    groupSeconds.getOrDefault(JvmCpu.OTHER, 0.0),
                    cpuSeconds - groupSeconds.values().stream().mapToDouble(d -> d).sum(),
                    brokerCpuSeconds);
        }
    }

    private static void throughput(
            ChildKafka kafka,
            LocalRegistry registry,
            SchemaRegistryClient client,
            Path work,
            int users,
            int perUser,
            int rounds)
            throws Exception {
        int events = fill(kafka.bootstrapServers(), client, users, perUser);
        System.out.printf("topic: %,d events for %,d users%n", events, users);

        Map<String, List<Run>> runs = new java.util.LinkedHashMap<>();
        for (String name : List.of(PLAIN, ROCKSDB, HASHMAP, SCORING)) {
            if (ONLY.isEmpty() || name.contains(ONLY)) {
                runs.put(name, new ArrayList<>());
            }
        }
        long stateBytes = 0;
        for (int round = 0; round < rounds; round++) {
            // Rotating the order spreads JIT warm-up and page-cache effects over all of them.
            List<String> order = new ArrayList<>(runs.keySet());
            Collections.rotate(order, -round);
            for (String name : order) {
                Run run =
                        name.equals(PLAIN)
                                ? plainConsume(kafka, client, events)
                                : jobRun(
                                        kafka,
                                        registry,
                                        client,
                                        work,
                                        name.equals(HASHMAP) ? "hashmap" : "rocksdb",
                                        name.equals(SCORING),
                                        folderPrefix(name) + round,
                                        events);
                runs.get(name).add(run);
                System.out.printf("round %d  %-24s %s%n", round, name, run);
                if (name.equals(ROCKSDB)) {
                    stateBytes =
                            Math.max(
                                    stateBytes,
                                    checkpointBytes(work.resolve("checkpoints-rocksdb-r" + round)));
                }
            }
        }
        if (runs.size() < 3) {
            return; // a profiling run of one kind: no ratios
        }

        double plainCpu = median(runs.get(PLAIN), Run::eventsPerCpuSecond);
        double rocksCpu = median(runs.get(ROCKSDB), Run::eventsPerCpuSecond);
        double heapCpu = median(runs.get(HASHMAP), Run::eventsPerCpuSecond);
        for (var entry : runs.entrySet()) {
            List<Run> list = entry.getValue();
            System.out.printf(
                    "median   %-24s %,9.0f ev/s  %6.2f CPU s  %,8.0f ev/CPU-s%n",
                    entry.getKey(),
                    median(list, Run::eventsPerSecond),
                    median(list, Run::cpuSeconds),
                    median(list, Run::eventsPerCpuSecond));
        }
        System.out.printf(
                "ratios (events per CPU-second of this JVM, broker apart): rocksdb/hashmap %.2f  "
                        + " rocksdb/plain %.2f   hashmap/plain %.2f   (%d cores)%n",
                rocksCpu / heapCpu,
                rocksCpu / plainCpu,
                heapCpu / plainCpu,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(
                "state: %,d bytes in the last checkpoint, %,.0f bytes per user at %d events%n",
                stateBytes, stateBytes / (double) users, perUser);
    }

    /** Writes the fixture bundle for a run and lists its items on t-deal; returns the bundle. */
    private static Path scoringFixture(
            String kafka, SchemaRegistryClient client, Path work, String run) throws Exception {
        Path bundle =
                TestBundles.withVersion(
                        Files.createDirectories(work.resolve("bundles-" + run)), "bench-v1");
        try (KafkaProducer<String, SpecificRecord> producer = producer(kafka, client)) {
            for (String item : IngestFixtures.FIXTURE_ITEMS) {
                producer.send(
                        new ProducerRecord<>(
                                TopicCatalog.CATALOG_ITEMS,
                                item,
                                IngestFixtures.catalogItem(item, List.of("t-deal"))));
            }
        }
        return bundle;
    }

    /** Prefix of a job run's folders: r (RocksDB), h (hashmap), s (RocksDB, scoring on). */
    private static String folderPrefix(String name) {
        return switch (name) {
            case HASHMAP -> "h";
            case SCORING -> "s";
            default -> "r";
        };
    }

    private static int fill(String kafka, SchemaRegistryClient registry, int users, int perUser) {
        Pseudonymizer ids =
                new Pseudonymizer(
                        "ingest bench key, not a secret, 32 bytes"
                                .getBytes(StandardCharsets.UTF_8));
        Random random = new Random(7);
        Instant start = Instant.now().minus(Duration.ofDays(7));
        int sent = 0;
        try (KafkaProducer<String, SpecificRecord> producer = producer(kafka, registry)) {
            for (int i = 0; i < perUser; i++) {
                for (int u = 0; u < users; u++) {
                    String user = ids.derive("customer-" + u);
                    BehaviorEvent event =
                            event(user, "ev-" + u + "-" + i, start.plusSeconds(60L * i), random);
                    producer.send(new ProducerRecord<>(TopicCatalog.BEHAVIOR_EVENTS, user, event));
                    sent++;
                }
            }
            producer.flush();
        }
        return sent;
    }

    private static BehaviorEvent event(String user, String id, Instant at, Random random) {
        Domain[] domains = {Domain.APP_USE, Domain.CALL, Domain.TV_VIEWING, Domain.LOCATION_VISIT};
        return BehaviorEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setEventTime(at)
                .setDomain(domains[random.nextInt(domains.length)])
                .setItem("app:" + random.nextInt(300))
                .build();
    }

    private static Run plainConsume(ChildKafka kafka, SchemaRegistryClient registry, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, BehaviorEvent> consumer =
                new KafkaConsumer<>(
                        props,
                        new StringDeserializer(),
                        new RegistryAvroDeserializer<>(registry, BehaviorEvent.class))) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(TopicCatalog.BEHAVIOR_EVENTS).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            long start = System.nanoTime();
            JvmCpu cpuStart = JvmCpu.now();
            long brokerStart = kafka.cpuNanos();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int read = 0;
            while (read < expected) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            JvmCpu cpuEnd = JvmCpu.now();
            return new Run(
                    read,
                    (System.nanoTime() - start) / 1e9,
                    cpuEnd.secondsSince(cpuStart),
                    cpuEnd.groupSecondsSince(cpuStart),
                    (kafka.cpuNanos() - brokerStart) / 1e9);
        }
    }

    /**
     * Runs the job, scoring off, over the behavior topic to its end; measures from the first event
     * the journey operators processed to the last (so neither start-up nor the final checkpoint),
     * the wall-clock time and the CPU time of this JVM, which runs nothing but the MiniCluster and
     * this polling loop while the job runs.
     */
    private static Run jobRun(
            ChildKafka kafka,
            LocalRegistry registry,
            SchemaRegistryClient client,
            Path work,
            String backend,
            boolean scoring,
            String run,
            int events)
            throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        props.setProperty("schema.registry.url", registry.confluentUrl());
        props.setProperty("scoring.enabled", String.valueOf(scoring));
        if (scoring) {
            // The fixture bundle and its catalog on t-deal; the job's default 1 s debounce.
            Path bundle = scoringFixture(kafka.bootstrapServers(), client, work, run);
            props.setProperty("scorer.model.initial-bundle", bundle.toString());
        }
        props.setProperty("source.bounded", "true");
        props.setProperty("auto.register.schemas", "true");
        props.setProperty("checkpoint.interval", "PT2S");
        props.setProperty("group.id", "bench-" + run + "-" + System.nanoTime());
        props.setProperty("flink.state.backend.type", backend);
        props.setProperty(
                "flink.execution.checkpointing.dir",
                work.resolve("checkpoints-" + backend + "-" + run).toUri().toString());
        props.setProperty(
                "flink.execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        BenchMetrics.install(props);
        BenchMetrics.reset();
        IngestConfig config = IngestConfig.from(props);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        2, IngestJob.flinkConfiguration(props, config));
        IngestJob.build(env, config);
        JobClient job = env.executeAsync("ingest-bench-" + run);
        long first = 0;
        JvmCpu cpuFirst = null;
        long brokerFirst = 0;
        while (true) {
            long processed = BenchMetrics.journeyEvents();
            long now = System.nanoTime();
            if (first == 0 && processed > 0) {
                first = now;
                cpuFirst = JvmCpu.now();
                brokerFirst = kafka.cpuNanos();
            }
            if (processed >= events) {
                JvmCpu cpuLast = JvmCpu.now();
                Run measured =
                        new Run(
                                events,
                                (now - first) / 1e9,
                                cpuLast.secondsSince(cpuFirst),
                                cpuLast.groupSecondsSince(cpuFirst),
                                (kafka.cpuNanos() - brokerFirst) / 1e9);
                job.getJobExecutionResult().get();
                return measured;
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                throw new IllegalStateException(
                        "job ended after " + processed + " of " + events + " events");
            }
            Thread.sleep(5);
        }
    }

    private static long checkpointBytes(Path checkpoints) throws Exception {
        if (!Files.exists(checkpoints)) {
            return -1;
        }
        try (Stream<Path> jobs = Files.list(checkpoints)) {
            Path job = jobs.findFirst().orElseThrow();
            Path latest;
            try (Stream<Path> dirs = Files.list(job)) {
                latest =
                        dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                                .max((a, b) -> Integer.compare(number(a), number(b)))
                                .orElse(null);
            }
            // A run shorter than the checkpoint interval may finish without a checkpoint.
            return latest == null ? -1 : size(latest) + size(job.resolve("shared"));
        }
    }

    private static int number(Path chk) {
        return Integer.parseInt(chk.getFileName().toString().substring(4));
    }

    /** Bytes under {@code dir}; files Flink deletes while this walks (old checkpoints) count 0. */
    private static long size(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        long[] total = {0};
        Files.walkFileTree(
                dir,
                new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult visitFile(
                            Path file, java.nio.file.attribute.BasicFileAttributes attributes) {
                        if (attributes.isRegularFile()) {
                            total[0] += attributes.size();
                        }
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(
                            Path file, java.io.IOException e) throws java.io.IOException {
                        if (e instanceof java.nio.file.NoSuchFileException) {
                            return java.nio.file.FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
        return total[0];
    }

    /**
     * Event to recommendation latency, debounce 0, scoring with the fixture bundle; {@code
     * overrides} go over the bench's job properties. Prints the whole latency and its two halves:
     * event to scored (the recommendation's {@code generatedAt}: source, edge, journeys, scoring)
     * and scored to readable (contact policy, sink, broker, this consumer).
     */
    private static void latency(
            String kafka,
            LocalRegistry registry,
            SchemaRegistryClient client,
            Path work,
            String label,
            boolean atLeastOnce,
            Map<String, String> overrides)
            throws Exception {
        String run = "latency-" + System.nanoTime();
        Path bundle = scoringFixture(kafka, client, work, run);
        String topic = run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            // through the creator, which returns once every leader takes writes
            new TopicCreator(admin)
                    .ensure(
                            List.of(
                                    new TopicSpec(
                                            topic,
                                            "user id (UTF-8 string)",
                                            BehaviorEvent.getClassSchema(),
                                            6,
                                            "delete",
                                            null,
                                            "behavior events of one latency run")),
                            (short) 1);
        }
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka);
        props.setProperty("schema.registry.url", registry.confluentUrl());
        props.setProperty("auto.register.schemas", "true");
        props.setProperty("delivery", atLeastOnce ? "at-least-once" : "exactly-once");
        props.setProperty("checkpoint.interval", "PT1S");
        props.setProperty("debounce", "PT0S");
        props.setProperty("policy.quiet-hours", "00:00-00:00");
        props.setProperty("policy.daily-cap.per-channel", "1000000");
        props.setProperty("policy.daily-cap.total", "1000000");
        props.setProperty("policy.cooldown", "PT0S");
        props.setProperty("group.id", "bench-latency-" + System.nanoTime());
        props.setProperty("scorer.model.initial-bundle", bundle.toString());
        props.putAll(overrides);
        IngestConfig config = IngestConfig.from(props);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        2, IngestJob.flinkConfiguration(props, config));
        IngestJob.build(env, config, topic);
        JobClient job = env.executeAsync("ingest-latency");
        Thread.sleep(8_000); // start-up, scorer catch-up

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader-" + System.nanoTime());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumerProps.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                atLeastOnce ? "read_uncommitted" : "read_committed");
        Latencies latencies = new Latencies();
        try (KafkaConsumer<String, Recommendation> consumer =
                        new KafkaConsumer<>(
                                consumerProps,
                                new StringDeserializer(),
                                new RegistryAvroDeserializer<>(client, Recommendation.class));
                KafkaProducer<String, SpecificRecord> producer = producer(kafka, client)) {
            consumer.subscribe(List.of(TopicCatalog.recommendationsTopic("t-deal")));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            Pseudonymizer ids =
                    new Pseudonymizer(
                            "latency bench key, not a secret, 32 bytes"
                                    .getBytes(StandardCharsets.UTF_8));
            Random random = new Random(3);
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            long next = System.nanoTime();
            int sent = 0;
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= next) {
                    String user = ids.derive("customer-" + random.nextInt(500));
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    user,
                                    event(user, "lat-" + sent++, Instant.now(), random)));
                    next += 5_000_000L; // 200 events/s
                }
                consumer.poll(Duration.ZERO).forEach(r -> latencies.add(r.value()));
                Thread.sleep(1);
            }
            long drain = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < drain) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> latencies.add(r.value()));
            }
            System.out.printf(
                    "latency %s, debounce 0: %d events sent, %d recommendations, %s%n",
                    label, sent, latencies.wholeMs.size(), latencies);
        } finally {
            job.cancel().get();
        }
    }

    /** Latencies of the recommendations read, whole and in two halves at {@code generatedAt}. */
    private static final class Latencies {

        final List<Long> wholeMs = new ArrayList<>();
        final List<Long> toScoredMs = new ArrayList<>();
        final List<Long> toReadMs = new ArrayList<>();

        void add(Recommendation recommendation) {
            long readMs = System.currentTimeMillis();
            long eventMs = recommendation.getSourceEventTime().toEpochMilli();
            long scoredMs = recommendation.getGeneratedAt().toEpochMilli();
            wholeMs.add(readMs - eventMs);
            toScoredMs.add(scoredMs - eventMs);
            toReadMs.add(readMs - scoredMs);
        }

        @Override
        public String toString() {
            return String.format(
                    "p50 %d ms, p99 %d ms (event to scored p50 %d / p99 %d ms, scored to read p50"
                            + " %d / p99 %d ms)",
                    percentile(wholeMs, 0.50),
                    percentile(wholeMs, 0.99),
                    percentile(toScoredMs, 0.50),
                    percentile(toScoredMs, 0.99),
                    percentile(toReadMs, 0.50),
                    percentile(toReadMs, 0.99));
        }
    }

    private static long percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }

    private static KafkaProducer<String, SpecificRecord> producer(
            String kafka, SchemaRegistryClient registry) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // Filling the topic as fast as the broker takes it, with the CPU shared: an idempotent
        // producer was seen retrying one batch forever on OUT_OF_ORDER_SEQUENCE_NUMBER here.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(
                props, new StringSerializer(), new RegistryAvroSerializer<>(registry, true));
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> figure) {
        double[] sorted = runs.stream().mapToDouble(figure).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
