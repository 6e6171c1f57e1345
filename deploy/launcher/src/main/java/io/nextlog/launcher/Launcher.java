package io.nextlog.launcher;

import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Runs the platform locally, each service as its own {@code java} process with logs in {@code
 * .nextlog/logs}: Kafka (KRaft, loopback), Apicurio Registry, topic creation, a pre-training of the
 * first model on the synthetic world, the online scorer service, the feedback updater, the Flink
 * ingest job on a local MiniCluster with RocksDB, and the synthetic world in Kafka mode. Ctrl-C (or
 * SIGTERM) stops every service, newest first. The trainer's follow mode (continuous fine-tuning and
 * releases) is not part of nextlog yet, so the model stays the pre-trained one.
 *
 * <pre>
 * Launcher demo [--resume] [--kafka-port 9092] [--registry-port 8081] [--duration-s N]
 *               [--state-dir DIR]
 * </pre>
 *
 * <p>Without {@code --resume} the state folder's {@code data} is wiped first. {@code --duration-s}
 * stops the platform by itself after N seconds (for tests and smoke runs).
 */
public final class Launcher implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration PRETRAIN_TIMEOUT = Duration.ofMinutes(15);

    /** One seed for the pre-training journeys and the live world: the same customers. */
    static final long WORLD_SEED = 42;

    private final LauncherOptions options;
    private final PrintStream out;
    private final Deque<ServiceProcess> services = new ArrayDeque<>();

    Launcher(LauncherOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }
        Launcher launcher = new Launcher(options, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    launcher.close();
                                    stopped.countDown();
                                },
                                "nextlog-launcher-stop"));
        try {
            launcher.start();
        } catch (RuntimeException e) {
            System.err.println("start-up failed: " + e.getMessage());
            System.exit(1);
        }
        if (options.duration() != null) {
            Thread.sleep(options.duration().toMillis());
            System.exit(0);
        }
        stopped.await();
    }

    /** Starts every service in order and prints where each listens. */
    void start() throws IOException {
        long started = System.nanoTime();
        Path state = options.stateDir();
        Path data = state.resolve("data");
        if (!options.resume()) {
            deleteRecursively(data);
        }
        Path logs = state.resolve("logs");
        Files.createDirectories(logs);
        String infra = ModuleClasspath.of(options.home(), "deploy/local-infra");

        ServiceProcess kafka =
                launch(
                        "kafka",
                        infra,
                        "768m",
                        "io.nextlog.infra.LocalStackMain",
                        List.of(
                                "kafka",
                                data.resolve("kafka").toString(),
                                String.valueOf(options.kafkaPort())),
                        logs);
        String bootstrap = kafka.awaitReady(START_TIMEOUT);
        ServiceProcess registry =
                launch(
                        "registry",
                        infra,
                        "64m",
                        "io.nextlog.infra.LocalStackMain",
                        List.of(
                                "registry",
                                logs.resolve("apicurio.log").toString(),
                                String.valueOf(options.registryPort())),
                        logs);
        String registryUrl = registry.awaitReady(START_TIMEOUT);
        createTopics(bootstrap);

        Path bundle = pretrain(data, logs);
        String scorer =
                launch(
                                "scorer",
                                ModuleClasspath.of(options.home(), "online-scorer"),
                                "512m",
                                "io.nextlog.scorer.ScorerService",
                                List.of(
                                        scorerProperties(data, bundle, bootstrap, registryUrl)
                                                .toString()),
                                logs)
                        .awaitReady(START_TIMEOUT);
        String updater =
                launch(
                                "feedback-updater",
                                ModuleClasspath.of(options.home(), "feedback-updater"),
                                "512m",
                                "io.nextlog.feedback.FeedbackUpdaterApp",
                                List.of(
                                        "bootstrap.servers=" + bootstrap,
                                        "schema.registry.url=" + registryUrl,
                                        "state.dir=" + data.resolve("feedback-updater"),
                                        "http.port=" + options.ports().updater(),
                                        "auto.register.schemas=true"),
                                logs)
                        .awaitReady(START_TIMEOUT);
        String trainer =
                launch(
                                "trainer",
                                ModuleClasspath.of(options.home(), "model-trainer"),
                                "1g",
                                "io.nextlog.trainer.cli.TrainerCommand",
                                List.of(
                                        "follow",
                                        "--bootstrap-servers",
                                        bootstrap,
                                        "--registry-url",
                                        registryUrl,
                                        "--live-bundle",
                                        bundle.toString(),
                                        "--store",
                                        data.resolve("model-store").toString(),
                                        "--work-dir",
                                        data.resolve("trainer-work").toString(),
                                        "--publish-interval-s",
                                        String.valueOf(options.world().publishIntervalSeconds()),
                                        "--guard-min-impressions",
                                        "300",
                                        "--http-port",
                                        String.valueOf(options.ports().trainer())),
                                logs)
                        .awaitReady(START_TIMEOUT);
        String flink =
                launch(
                                "stream-ingest",
                                ModuleClasspath.of(options.home(), "stream-ingest"),
                                "1g",
                                "io.nextlog.ingest.IngestJob",
                                withOverrides(
                                        List.of(
                                                "local",
                                                "bootstrap.servers=" + bootstrap,
                                                "schema.registry.url=" + registryUrl,
                                                "auto.register.schemas=true",
                                                "delivery=" + options.job().delivery(),
                                                "checkpoint.interval="
                                                        + options.job().checkpointInterval(),
                                                "debounce=" + options.job().debounce(),
                                                "scorer.model.initial-bundle=" + bundle,
                                                "scorer.arms.shares=" + armShares(),
                                                "flink.rest.port=" + options.ports().flink(),
                                                "flink.execution.checkpointing.dir="
                                                        + data.resolve("flink-checkpoints")
                                                                .toUri()),
                                        options.job().overrides()),
                                logs)
                        .awaitReady(START_TIMEOUT);
        LauncherOptions.WorldSettings world = options.world();
        String events =
                world(
                                "synthetic-world",
                                List.of(
                                        "--events",
                                        String.valueOf(world.customers() * 1_000L),
                                        "--bootstrap-servers",
                                        bootstrap,
                                        "--registry-url",
                                        registryUrl,
                                        "--rate",
                                        String.valueOf(world.eventsPerSecond()),
                                        "--duration-s",
                                        String.valueOf(Duration.ofDays(1).toSeconds()),
                                        "--answer-interval-s",
                                        "60",
                                        "--shift-after-s",
                                        String.valueOf(world.shiftAfterSeconds()),
                                        "--fatigue-window-s",
                                        String.valueOf(world.fatigueWindowSeconds())),
                                logs)
                        .awaitReady(START_TIMEOUT);

        out.printf("nextlog is up in %.1f s%n", (System.nanoTime() - started) / 1e9);
        out.printf("  kafka            %s%n", bootstrap);
        out.printf("  registry         %s%n", registryUrl);
        out.printf("  model            %s%n", bundle);
        out.printf("  scorer           %s%n", scorer);
        out.printf("  feedback-updater %s%n", updater);
        out.printf("  trainer          %s (follow mode, releases)%n", trainer);
        out.printf(
                "  stream-ingest    %s (%s, checkpoint every %s, debounce %s)%n",
                flink,
                options.job().delivery(),
                options.job().checkpointInterval(),
                options.job().debounce());
        out.printf("  synthetic-world  %s%n", events);
        out.printf("  logs             %s%n", logs);
        out.printf(
                "  live view        ./nextlog view --bootstrap-servers %s --registry-url %s"
                        + " --scorer-url %s%n",
                bootstrap, registryUrl, scorer);
        out.println("Ctrl-C stops everything.");
        out.flush();
    }

    /** The job's arguments, then the {@code --job} overrides, which win over them. */
    private static List<String> withOverrides(List<String> arguments, List<String> overrides) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(overrides);
        return all;
    }

    /**
     * Pre-trains the first model on a journey file of the same synthetic world the live world then
     * plays, unless a resumed run already has it; returns the bundle directory.
     */
    private Path pretrain(Path data, Path logs) {
        Path bundle = data.resolve("bundles").resolve("pretrained");
        if (Files.isRegularFile(bundle.resolve("manifest.json"))) {
            return bundle;
        }
        LauncherOptions.WorldSettings world = options.world();
        Path journeys = data.resolve("world").resolve("journeys.tsv.gz");
        long started = System.nanoTime();
        try {
            Files.createDirectories(journeys.getParent());
            Files.createDirectories(bundle.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        world(
                        "world-file",
                        List.of(
                                "--events",
                                String.valueOf(world.pretrainEvents()),
                                "--out",
                                journeys.toString()),
                        logs)
                .awaitSuccess(PRETRAIN_TIMEOUT);
        launch(
                        "pretrain",
                        ModuleClasspath.of(options.home(), "model-trainer"),
                        "2g",
                        "io.nextlog.trainer.cli.TrainerCommand",
                        List.of(
                                "train",
                                "--data",
                                journeys.toString(),
                                "--out",
                                bundle.toString(),
                                "--epochs",
                                String.valueOf(world.pretrainEpochs()),
                                "--dim",
                                "32",
                                "--max-length",
                                "50",
                                "--eval-every",
                                String.valueOf(world.pretrainEpochs()),
                                "--model-version",
                                "pretrained-1",
                                "--reserved-slots",
                                "64",
                                "--no-progress"),
                        logs)
                .awaitSuccess(PRETRAIN_TIMEOUT);
        out.printf(
                "  pre-trained      %s in %.1f s%n", bundle, (System.nanoTime() - started) / 1e9);
        return bundle;
    }

    /**
     * Starts the world command with the shared seed and customers (so the pre-training journeys and
     * the live world are the same customers) and the given flags.
     */
    private ServiceProcess world(String name, List<String> flags, Path logs) {
        List<String> args = new java.util.ArrayList<>();
        args.addAll(
                List.of(
                        "--seed",
                        String.valueOf(options.world().seed()),
                        "--customers",
                        String.valueOf(options.world().customers())));
        args.addAll(flags);
        int shift = args.indexOf("--shift-after-s");
        if (shift >= 0 && Integer.parseInt(args.get(shift + 1)) < 0) {
            args.subList(shift, shift + 2).clear();
        } else if (shift >= 0 && options.world().shiftResponsesOnly()) {
            args.add("--shift-responses-only");
        }
        return launch(
                name,
                ModuleClasspath.of(options.home(), "deploy/synthetic-world"),
                "512m",
                "io.nextlog.world.WorldCommand",
                args,
                logs);
    }

    private Path scorerProperties(Path data, Path bundle, String bootstrap, String registryUrl)
            throws IOException {
        Path file = data.resolve("scorer.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "scorer.model.initial-bundle=" + bundle,
                        "scorer.kafka.bootstrap-servers=" + bootstrap,
                        "scorer.kafka.registry-url=" + registryUrl,
                        "scorer.http.port=" + options.ports().scorer(),
                        "scorer.arms.shares=" + armShares(),
                        ""));
        return file;
    }

    /** The live and holdout arms' shares, in the scorer's format. */
    private String armShares() {
        double holdout = options.world().holdoutShare();
        return String.format(Locale.ROOT, "live=%.4f,holdout=%.4f", 1 - holdout, holdout);
    }

    private ServiceProcess launch(
            String name,
            String classpath,
            String heap,
            String mainClass,
            List<String> args,
            Path logs) {
        ServiceProcess service = ServiceProcess.start(name, classpath, heap, mainClass, args, logs);
        services.push(service);
        return service;
    }

    private void createTopics(String bootstrap) {
        TopicCatalog catalog = TopicCatalog.local();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicCreator.Report report =
                    new TopicCreator(admin)
                            .ensure(catalog.all(), catalog.settings().replicationFactor());
            out.printf(
                    "  topics     %d created, %d existing%n",
                    report.created().size(), report.existing().size());
        }
    }

    /** Stops every started service, newest first. Safe to call more than once. */
    @Override
    public synchronized void close() {
        while (!services.isEmpty()) {
            ServiceProcess service = services.pop();
            service.close();
            out.println("stopped " + service.name());
        }
        out.flush();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
