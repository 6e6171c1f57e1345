package io.nextlog.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller) running inside
 * this JVM, listening on 127.0.0.1 only.
 *
 * <p>The broker must run on exactly the kafka-clients version of its JVM; the build pins both to
 * the same {@code kafka.version}. Single-node settings: internal topics with replication factor 1
 * and {@code transaction.state.log.min.isr=1}, so transactions work with one broker.
 *
 * <p>Not thread-safe; start and close from one thread.
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int brokerPort;
    private final KafkaRaftServer server;

    private LocalKafka(Path dataDir, boolean ownsDataDir, int brokerPort, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.brokerPort = brokerPort;
        this.server = server;
    }

    /** Starts a broker on free ports in a new temporary folder that {@link #close()} deletes. */
    public static LocalKafka start() {
        try {
            Path dir = Files.createTempDirectory("nextlog-kafka-");
            return start(dir, 0, Map.of(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary Kafka data folder", e);
        }
    }

    /**
     * Starts a broker keeping its data in {@code dataDir}, formatting the folder if it is new, so a
     * restart on the same folder resumes the same cluster.
     *
     * @param brokerPort the client port, or 0 for a free one
     * @param overrides broker settings that replace the defaults
     */
    public static LocalKafka start(Path dataDir, int brokerPort, Map<String, String> overrides) {
        return start(dataDir, brokerPort, overrides, false);
    }

    private static LocalKafka start(
            Path dataDir, int requestedPort, Map<String, String> overrides, boolean ownsDataDir) {
        int brokerPort = requestedPort == 0 ? FreePorts.loopbackPort() : requestedPort;
        int controllerPort = FreePorts.loopbackPort();
        Path logDir = dataDir.resolve("log");
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        overrides.forEach(props::setProperty);

        formatIfNew(dataDir, logDir, props);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        server.startup();
        LocalKafka kafka = new LocalKafka(dataDir, ownsDataDir, brokerPort, server);
        kafka.awaitReady();
        LOG.info("Kafka broker started at {} (data in {})", kafka.bootstrapServers(), dataDir);
        return kafka;
    }

    static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.setProperty(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + brokerPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty(
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", logDir.toString());
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "5");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("transaction.state.log.num.partitions", "5");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("num.partitions", "1");
        props.setProperty("auto.create.topics.enable", "true");
        props.setProperty("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return props;
    }

    private static void formatIfNew(Path dataDir, Path logDir, Properties props) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Path config = dataDir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                props.store(out, "nextlog local Kafka");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            String[] args = {
                "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
            };
            int status;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                status = StorageTool$.MODULE$.execute(args, print);
            }
            if (status != 0) {
                throw new IllegalStateException(
                        "formatting Kafka storage in "
                                + logDir
                                + " failed with status "
                                + status
                                + ": "
                                + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare Kafka storage in " + logDir, e);
        }
    }

    private void awaitReady() {
        Map<String, Object> config =
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for Kafka to start", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException(
                    "Kafka at " + bootstrapServers() + " not ready within " + READY_TIMEOUT, e);
        }
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The folder holding the broker's logs and metadata. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and, if the folder was created by {@link #start()}, deletes it. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (ownsDataDir) {
            Directories.deleteRecursively(dataDir);
        }
        LOG.info("Kafka broker at {} stopped", bootstrapServers());
    }
}
