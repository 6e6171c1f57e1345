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
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the launcher as a user would, checks the services answer, stops it cleanly. */
class LauncherIT {

    @Test
    void shouldStartEveryServiceAndLeaveNoProcessBehind(@TempDir Path state) throws Exception {
        int kafkaPort = freePort();
        int registryPort = freePort();
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
                    output.stream().anyMatch(l -> l.contains("kafka      127.0.0.1:" + kafkaPort)),
                    output.toString());
            assertTrue(services.size() >= 3, "expected kafka, registry and Apicurio processes");
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
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            lines.add(line);
            if (line.equals(wanted)) {
                return lines;
            }
        }
        throw new AssertionError("launcher never printed '" + wanted + "': " + lines);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
