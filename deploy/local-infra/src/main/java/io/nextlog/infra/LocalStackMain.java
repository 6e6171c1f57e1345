package io.nextlog.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the broker or the registry as its own JVM for the demo and the launcher.
 *
 * <pre>
 * java -cp local-infra.jar:... io.nextlog.infra.LocalStackMain kafka DATA_DIR PORT
 * java -cp local-infra.jar:... io.nextlog.infra.LocalStackMain registry LOG_FILE PORT
 * </pre>
 *
 * <p>Prints one {@code ready <address>} line once the server answers, then runs until the JVM is
 * stopped (SIGTERM or Ctrl-C), shutting the server down cleanly. A Kafka data folder that exists is
 * resumed, not reformatted.
 */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println(
                    "usage: LocalStackMain kafka DATA_DIR PORT | registry LOG_FILE PORT");
            System.exit(2);
        }
        Path path = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        AutoCloseable server;
        String address;
        switch (args[0]) {
            case "kafka" -> {
                Files.createDirectories(path);
                LocalKafka kafka = LocalKafka.start(path, port, Map.of());
                server = kafka;
                address = kafka.bootstrapServers();
            }
            case "registry" -> {
                LocalRegistry registry = LocalRegistry.start(port, path);
                server = registry;
                address = registry.confluentUrl();
            }
            default -> {
                System.err.println("expected 'kafka' or 'registry', found '" + args[0] + "'");
                System.exit(2);
                return;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        server.close();
                                    } catch (Exception e) {
                                        e.printStackTrace();
                                    }
                                    stopped.countDown();
                                },
                                "local-stack-shutdown"));
        System.out.println("ready " + address);
        System.out.flush();
        stopped.await();
    }
}
