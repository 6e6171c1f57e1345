package io.nextlog.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health-check script of the service images, against a real HTTP server. */
class HttpOkScriptTest {

    private static final Path SCRIPT = Repository.path("deploy/images/service/http-ok");

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/ready", e -> answer(e, 200));
        server.createContext("/health", e -> answer(e, 503));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldExitZeroOnlyWhenThePathAnswers200() throws Exception {
        String port = String.valueOf(server.getAddress().getPort());
        assertEquals(0, run(port, "/ready"));
        assertEquals(1, run(port, "/health"));
        assertEquals(1, run(port, "/missing"));
    }

    @Test
    void shouldExitOneWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertEquals(1, run(String.valueOf(port), "/ready"));
    }

    private static int run(String port, String path) throws Exception {
        Process process =
                new ProcessBuilder("bash", SCRIPT.toString(), port, path)
                        .redirectErrorStream(true)
                        .start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("http-ok " + port + " " + path + " ran past 10 s");
        }
        return process.exitValue();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status)
            throws IOException {
        byte[] body = "ok\n".getBytes();
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
