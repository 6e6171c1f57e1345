package io.nextlog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the launcher as a user would, in a small world, checks every service answers and
 * recommendations arrive, and stops it leaving no process behind.
 */
class LauncherIT {

    @Test
    void shouldStartEveryServiceAndLeaveNoProcessBehind(@TempDir Path state) throws Exception {
        int kafkaPort = freePort();
        int registryPort = freePort();
        int scorerPort = freePort();
        int updaterPort = freePort();
        int flinkPort = freePort();
        int trainerPort = freePort();
        Process launcher =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dnextlog.home=" + System.getProperty("nextlog.home"),
                                "-cp",
                                System.getProperty("java.class.path"),
                                Launcher.class.getName(),
                                "demo",
                                "--kafka-port",
                                String.valueOf(kafkaPort),
                                "--registry-port",
                                String.valueOf(registryPort),
                                "--scorer-port",
                                String.valueOf(scorerPort),
                                "--updater-port",
                                String.valueOf(updaterPort),
                                "--flink-port",
                                String.valueOf(flinkPort),
                                "--trainer-port",
                                String.valueOf(trainerPort),
                                "--customers",
                                "300",
                                "--rate",
                                "200",
                                "--pretrain-events",
                                "20000",
                                "--pretrain-epochs",
                                "1",
                                "--state-dir",
                                state.toString())
                        .redirectErrorStream(true)
                        .start();
        List<ProcessHandle> services = new ArrayList<>();
        try {
            List<String> output = awaitLine(launcher, "Ctrl-C stops everything.");
            services.addAll(launcher.descendants().toList());

            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + kafkaPort))) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertTrue(topics.contains("behavior-events"), topics.toString());
                assertTrue(topics.contains("recommendations.mno"), topics.toString());
            }
            assertEquals(200, get("http://127.0.0.1:" + scorerPort + "/health").statusCode());
            assertEquals(200, get("http://127.0.0.1:" + updaterPort + "/health").statusCode());
            assertTrue(
                    get("http://127.0.0.1:" + trainerPort + "/v1/releases")
                            .body()
                            .contains("\"version\":\"pretrained-1\""),
                    "the trainer released the pre-trained bundle");
            assertTrue(
                    get("http://127.0.0.1:" + flinkPort + "/jobs/overview")
                            .body()
                            .contains("RUNNING"),
                    "the ingest job runs");
            assertTrue(recommendationsArrive(kafkaPort), "no recommendation within 120 s");
            HttpResponse<String> subjects =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + registryPort
                                                                    + "/apis/ccompat/v7/subjects"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, subjects.statusCode());
            assertTrue(
                    output.stream()
                            .anyMatch(l -> l.contains("kafka            127.0.0.1:" + kafkaPort)),
                    output.toString());
            assertTrue(services.size() >= 8, "expected every service's process: " + services);
        } finally {
            launcher.destroy();
            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "launcher did not stop");
        }
        for (ProcessHandle service : services) {
            service.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(service.isAlive(), "left behind: " + service.info());
        }
    }

    private static List<String> awaitLine(Process process, String wanted) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            lines.add(line);
            if (line.equals(wanted)) {
                return lines;
            }
        }
        throw new AssertionError("launcher never printed '" + wanted + "': " + lines);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Whether a committed record arrives on any channel's recommendation topic. */
    private static boolean recommendationsArrive(int kafkaPort) {
        Map<String, Object> props =
                Map.of(
                        "bootstrap.servers",
                        "127.0.0.1:" + kafkaPort,
                        "group.id",
                        "launcher-it-" + System.nanoTime(),
                        "auto.offset.reset",
                        "earliest",
                        "isolation.level",
                        "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Pattern.compile("recommendations\\..*"));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
