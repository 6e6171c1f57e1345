package io.nextlog.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One service running as its own {@code java} process, its output in one log file. A service
 * announces readiness by printing a line starting with {@code ready }, followed by its address.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ServiceProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code mainClass} with {@code classpath} and {@code args}.
     *
     * @param heap maximum heap, e.g. {@code 512m}
     */
    static ServiceProcess start(
            String name,
            String classpath,
            String heap,
            String mainClass,
            List<String> args,
            Path logDir) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Path log = logDir.resolve(name + ".log");
        try {
            Files.createDirectories(logDir);
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                            .start();
            return new ServiceProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /**
     * Waits for the {@code ready <address>} line.
     *
     * @return the address the service announced
     * @throws IllegalStateException when the process exits or the timeout passes first
     */
    String awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> ready = readyLine();
            if (ready.isPresent()) {
                return ready.get().substring("ready ".length()).trim();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with status " + process.exitValue() + "; see " + logFile);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + logFile);
    }

    /**
     * Waits for a one-shot step (a data file, a pre-training) to finish.
     *
     * @throws IllegalStateException when it fails or the timeout passes first
     */
    void awaitSuccess(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new IllegalStateException(
                        name + " did not finish within " + timeout + "; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    name + " failed with status " + process.exitValue() + "; see " + logFile);
        }
    }

    private Optional<String> readyLine() {
        try (var lines = Files.lines(logFile)) {
            return lines.filter(line -> line.startsWith("ready ")).reduce((a, b) -> b);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    /**
     * Asks the process to stop (SIGTERM), kills it after a grace period, and kills any child it
     * left behind (the registry service runs Apicurio as its own child JVM).
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
