package io.nextlog.ingest;

import io.nextlog.infra.Directories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker in a JVM of its own ({@code io.nextlog.infra.LocalStackMain kafka}, this JVM's
 * classpath), so that a bench can charge the CPU time of its own JVM to the job it measures and
 * read the broker's apart. The broker's output goes to a log file in its data folder; close stops
 * the broker (SIGTERM, a clean shutdown) and deletes the folder.
 */
final class ChildKafka implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path dataDir;
    private final String bootstrapServers;

    private ChildKafka(Process process, Path dataDir, String bootstrapServers) {
        this.process = process;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker on a free loopback port; returns once it answers. */
    static ChildKafka start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("nextlog-bench-kafka-");
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx768m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.nextlog.infra.LocalStackMain",
                        "kafka",
                        dir.resolve("data").toString(),
                        "0");
        Process process =
                new ProcessBuilder(command)
                        .redirectError(dir.resolve("broker.log").toFile())
                        .start();
        try {
            return new ChildKafka(process, dir, awaitReady(process));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly().waitFor();
            Directories.deleteRecursively(dir);
            throw e;
        }
    }

    private static String awaitReady(Process process) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("ready ")) {
                return line.substring("ready ".length()).trim();
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        throw new IllegalStateException(
                "broker JVM: expected a 'ready <address>' line within "
                        + READY_TIMEOUT
                        + ", found "
                        + (process.isAlive() ? "none yet" : "exit " + process.exitValue()));
    }

    /** Returns host:port of the broker. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Returns the CPU time the broker's JVM has used so far, all its threads, in nanoseconds. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Directories.deleteRecursively(dataDir);
    }
}
