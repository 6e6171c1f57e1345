package io.nextlog.infra;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry (in-memory storage) running as a child JVM on 127.0.0.1, exposing the
 * Confluent-compatible API at {@code /apis/ccompat/v7}.
 *
 * <p>The registry comes from the Maven Central bundle {@code
 * io.apicurio:apicurio-registry-app:<version>:tar.gz:all}, which the build downloads into the local
 * Maven repository; the first start unpacks it once into {@code
 * ~/.cache/nextlog/apicurio-registry-<version>}. Apicurio defaults to compatibility NONE; this
 * class sets the global level to BACKWARD as soon as the registry answers.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRegistry.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private final Process process;
    private final int port;
    private final Path logFile;

    private LocalRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Starts a registry on a free port, logging into a temporary file deleted on close. */
    public static LocalRegistry start() {
        try {
            Path log = Files.createTempFile("nextlog-registry-", ".log");
            return start(0, log, true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the registry log file", e);
        }
    }

    /**
     * Starts a registry.
     *
     * @param requestedPort the HTTP port, or 0 for a free one
     * @param logFile where the registry's output goes; kept after close
     */
    public static LocalRegistry start(int requestedPort, Path logFile) {
        return start(requestedPort, logFile, false);
    }

    private static LocalRegistry start(int requestedPort, Path logFile, boolean deleteLog) {
        int port = requestedPort == 0 ? FreePorts.loopbackPort() : requestedPort;
        Path home = unpackedHome();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.log.level=WARN");
        command.add("-Dquarkus.banner.enabled=false");
        command.add("-jar");
        command.add(runnerJar(home).toString());
        try {
            Process process =
                    new ProcessBuilder(command)
                            .directory(home.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(logFile.toFile())
                            .start();
            LocalRegistry registry = new LocalRegistry(process, port, deleteLog ? logFile : null);
            registry.awaitReady();
            registry.setGlobalCompatibility("BACKWARD");
            LOG.info("Apicurio Registry started at {}", registry.confluentUrl());
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Apicurio Registry from " + home, e);
        }
    }

    /**
     * Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}.
     */
    public String confluentUrl() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    /** The HTTP port. */
    public int port() {
        return port;
    }

    /** Whether the registry process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe =
                HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects"))
                        .timeout(Duration.ofSeconds(5))
                        .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Apicurio Registry exited with status "
                                + process.exitValue()
                                + " during start-up; see its log");
            }
            try {
                HttpResponse<Void> response =
                        http.send(probe, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                LOG.debug("registry probe failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted waiting for the registry", e);
            }
            sleep(Duration.ofMillis(250));
        }
        close();
        throw new IllegalStateException(
                "Apicurio Registry on port " + port + " not ready within " + READY_TIMEOUT);
    }

    private void setGlobalCompatibility(String level) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(confluentUrl() + "/config"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .PUT(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"compatibility\":\"" + level + "\"}"))
                        .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "setting registry compatibility to "
                                + level
                                + ": expected HTTP 200, found "
                                + response.statusCode()
                                + " "
                                + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not configure the registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted configuring the registry", e);
        }
    }

    /** Stops the registry process (gracefully, then forcibly after 10 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (logFile != null) {
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                LOG.warn("could not delete registry log {}", logFile, e);
            }
        }
        LOG.info("Apicurio Registry on port {} stopped", port);
    }

    /** The unpacked registry folder, unpacking the Maven bundle on first use. */
    static Path unpackedHome() {
        String version = InfraVersions.apicurio();
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "nextlog");
        Path home = cache.resolve("apicurio-registry-" + version);
        if (Files.isDirectory(home)) {
            return home;
        }
        Path archive = bundleArchive(version);
        try {
            Files.createDirectories(cache);
            Path staging = Files.createTempDirectory(cache, "apicurio-unpacking-");
            try {
                untar(archive, staging);
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Directories.deleteRecursively(staging);
            }
        } catch (IOException e) {
            if (Files.isDirectory(home)) {
                return home; // another JVM unpacked it at the same time
            }
            throw new UncheckedIOException("could not unpack " + archive + " into " + home, e);
        }
        return home;
    }

    private static Path bundleArchive(String version) {
        String override = System.getProperty("nextlog.apicurio.archive");
        if (override != null) {
            return Path.of(override);
        }
        String repo =
                System.getProperty(
                        "maven.repo.local",
                        Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        String name = "apicurio-registry-app-" + version + "-all.tar.gz";
        Path archive = Path.of(repo, "io", "apicurio", "apicurio-registry-app", version, name);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException(
                    "expected the Apicurio Registry bundle at "
                            + archive
                            + ", found nothing; run the Maven build once (it downloads"
                            + " io.apicurio:apicurio-registry-app:"
                            + version
                            + ":tar.gz:all) or set -Dnextlog.apicurio.archive");
        }
        return archive;
    }

    private static Path runnerJar(Path home) {
        try (var files = Files.list(home)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalStateException(
                                            "expected a *-runner.jar in " + home + ", found none"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + home, e);
        }
    }

    private static void untar(Path archive, Path target) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("archive entry escapes the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Versions the build baked into this jar. */
    static final class InfraVersions {
        private static final Properties PROPS = load();

        private InfraVersions() {}

        static String apicurio() {
            return PROPS.getProperty("apicurio.version");
        }

        private static Properties load() {
            Properties props = new Properties();
            try (InputStream in =
                    LocalRegistry.class.getResourceAsStream("/nextlog-local-infra.properties")) {
                if (in == null) {
                    throw new IllegalStateException(
                            "nextlog-local-infra.properties missing from the classpath");
                }
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return props;
        }
    }
}
