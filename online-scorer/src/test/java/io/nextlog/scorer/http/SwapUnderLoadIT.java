package io.nextlog.scorer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.scorer.ScorerService;
import io.nextlog.scorer.TestBundles;
import io.nextlog.scorer.TestScorers;
import io.nextlog.scorer.config.ScorerConfig;
import io.nextlog.scorer.model.ModelSlot;
import io.nextlog.scorer.release.ReleaseOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 concurrent HTTP clients for 12 s while 12 releases are applied, one of them a corrupt bundle
 * and one stale: no request may fail, and every answer names the model that produced it.
 */
class SwapUnderLoadIT {

    private static final int CLIENTS = 32;
    private static final Duration LOAD = Duration.ofSeconds(12);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void shouldSwapModelsUnderLoadWithoutAFailedRequest() throws Exception {
        List<ModelRelease> releases = new ArrayList<>();
        Set<String> valid = ConcurrentHashMap.newKeySet();
        valid.add("fixture-format-1");
        long sequence = 0;
        for (int v = 1; v <= 10; v++) {
            String version = "v" + v;
            releases.add(
                    TestBundles.release(
                            ++sequence, version, TestBundles.withVersion(dir, version)));
            valid.add(version);
            if (v == 3) {
                releases.add(
                        TestBundles.release(
                                ++sequence, "v-corrupt", TestBundles.corrupt(dir, "v-corrupt")));
            }
            if (v == 6) {
                releases.add(
                        TestBundles.release(2, "v-stale", TestBundles.withVersion(dir, "v-stale")));
            }
        }
        ScorerConfig config =
                ScorerConfig.of(
                        Map.of(
                                "scorer.model.initial-bundle", TestBundles.fixture().toString(),
                                "scorer.http.port", "0",
                                "scorer.request.deadline", "PT10S",
                                "scorer.arms.shares", "live=0.9,holdout=0.1"));

        try (ScorerService service = new ScorerService(config)) {
            for (String item : TestScorers.ITEMS) {
                service.catalog()
                        .apply(
                                item,
                                TestScorers.catalogItem(
                                        item,
                                        List.of("t-deal", "mno"),
                                        TestScorers.NOW.minusSeconds(864_000_000L),
                                        null));
            }
            Load load = new Load(service.port(), valid);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            long endNanos = System.nanoTime() + LOAD.toNanos();
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> load.run(client, endNanos)));
            }

            List<ReleaseOutcome> outcomes = new ArrayList<>();
            long gapMillis = (LOAD.toMillis() - 3_000) / releases.size();
            for (ModelRelease release : releases) {
                Thread.sleep(gapMillis);
                outcomes.add(service.releases().apply(release));
            }
            for (Future<?> client : clients) {
                client.get();
            }
            pool.shutdown();

            assertEquals(0, load.failures.get(), "failed requests; first: " + load.firstFailure);
            assertTrue(load.answered.get() > 1_000, "answered " + load.answered.get());
            assertEquals(10, outcomes.stream().filter(o -> o == ReleaseOutcome.PROMOTED).count());
            assertEquals(ReleaseOutcome.REFUSED, outcomes.get(3));
            assertEquals(ReleaseOutcome.STALE, outcomes.get(7));
            assertEquals(1, service.metrics().refusedBundles.sum());
            assertEquals(1, service.metrics().staleReleases.sum());
            assertEquals(10, service.metrics().swaps.sum());
            assertEquals("v10", service.slots().version(ModelSlot.LIVE));
            assertTrue(!load.seen.contains("v-corrupt") && !load.seen.contains("v-stale"));
            assertTrue(load.seen.size() >= 5, "versions answered: " + load.seen);
            System.out.printf(
                    "swap under load: %d answers, %d failed, versions %s, shed %d%n",
                    load.answered.get(),
                    load.failures.get(),
                    load.seen,
                    service.metrics().shedRequests.sum());
        }
    }

    /** The clients' shared tally. */
    private static final class Load {
        private final int port;
        private final Set<String> valid;
        private final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        volatile String firstFailure = "";

        Load(int port, Set<String> valid) {
            this.port = port;
            this.valid = valid;
        }

        void run(int client, long endNanos) {
            int i = 0;
            while (System.nanoTime() < endNanos) {
                String body =
                        "{\"userId\":\"user-"
                                + client
                                + "-"
                                + (i++ % 50)
                                + "\",\"channels\":[\"t-deal\",\"mno\"],"
                                + "\"journey\":[{\"item\":\"i"
                                + (i % 6)
                                + "\",\"domain\":\"TV_VIEWING\","
                                + "\"eventTime\":\"2025-03-01T11:00:00Z\"},{\"item\":\"i2\","
                                + "\"domain\":\"LOCATION_VISIT\","
                                + "\"eventTime\":\"2025-03-01T11:30:00Z\"}]}";
                try {
                    HttpResponse<String> response =
                            http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/v1/recommendations"))
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    check(response);
                } catch (Exception e) {
                    fail(e.toString());
                }
            }
        }

        private void check(HttpResponse<String> response) throws Exception {
            if (response.statusCode() != 200) {
                fail(response.statusCode() + " " + response.body());
                return;
            }
            JsonNode body = JSON.readTree(response.body());
            String version = body.get("modelVersion").asText();
            String header = response.headers().firstValue("X-Model-Version").orElse("");
            boolean consistent = version.equals(header) && valid.contains(version);
            for (JsonNode recommendation : body.get("recommendations")) {
                consistent &= recommendation.get("items").size() > 0;
            }
            if (!consistent) {
                fail("version " + version + " header " + header + " body " + response.body());
                return;
            }
            seen.add(version);
            answered.incrementAndGet();
        }

        private void fail(String what) {
            if (failures.getAndIncrement() == 0) {
                firstFailure = what;
            }
        }
    }
}
