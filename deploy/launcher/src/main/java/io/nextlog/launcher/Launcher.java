package io.nextlog.launcher;

import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Runs the platform locally, each service as its own {@code java} process with logs in {@code
 * .nextlog/logs}: Kafka (KRaft, loopback), Apicurio Registry, then topic creation. Later parts of
 * nextlog join this list as they land. Ctrl-C (or SIGTERM) stops every service, newest first.
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

        out.printf("nextlog is up in %.1f s%n", (System.nanoTime() - started) / 1e9);
        out.printf("  kafka      %s%n", bootstrap);
        out.printf("  registry   %s%n", registryUrl);
        out.printf("  logs       %s%n", logs);
        out.println("Ctrl-C stops everything.");
        out.flush();
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
