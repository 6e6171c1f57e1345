package io.nextlog.scorer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextlog.scorer.ScorerService;
import io.nextlog.scorer.TestBundles;
import io.nextlog.scorer.TestScorers;
import io.nextlog.scorer.config.ScorerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP service on loopback with the real fixture bundle. */
class ScorerServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOURNEY =
            "{\"userId\":\"u1\",\"channels\":[\"t-deal\"],\"topK\":3,\"journey\":["
                    + "{\"item\":\"i1\",\"domain\":\"TV_VIEWING\","
                    + "\"eventTime\":\"2025-03-01T11:00:00Z\"},"
                    + "{\"item\":\"i2\",\"domain\":\"APP_USE\",\"eventTime\":1740830400000}]}";

    private final HttpClient client = HttpClient.newHttpClient();
    private ScorerService service;

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void shouldAnswerWithRankedItemsReasonsAndTheModelVersion() throws Exception {
        service = start(Map.of());
        for (String item : TestScorers.ITEMS) {
            service.catalog()
                    .apply(
                            item,
                            TestScorers.catalogItem(
                                    item,
                                    List.of("t-deal"),
                                    TestScorers.NOW.minusSeconds(86_400 * 365),
                                    null));
        }

        HttpResponse<String> response = post(JOURNEY);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "fixture-format-1", response.headers().firstValue("X-Model-Version").orElse(""));
        JsonNode body = JSON.readTree(response.body());
        assertEquals("fixture-format-1", body.get("modelVersion").asText());
        assertEquals("live", body.get("arm").asText());
        JsonNode recommendation = body.get("recommendations").get(0);
        assertEquals("t-deal", recommendation.get("channel").asText());
        assertEquals(3, recommendation.get("items").size());
        assertTrue(recommendation.get("reasonEvents").size() > 0);
        assertTrue(recommendation.get("items").get(0).get("reasonText").asText().startsWith("Be"));
    }

    @Test
    void shouldSay400WhatWasWrong() throws Exception {
        service = start(Map.of());

        HttpResponse<String> malformed = post("{\"userId\":");
        HttpResponse<String> domain = post(JOURNEY.replace("APP_USE", "TELEPATHY"));
        HttpResponse<String> channel = post(JOURNEY.replace("t-deal", "fax"));
        HttpResponse<String> empty = post("{\"userId\":\"u1\",\"journey\":[]}");

        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("expected a JSON object, found malformed JSON"));
        assertEquals(400, domain.statusCode());
        assertTrue(domain.body().contains("journey[1].domain: expected one of"), domain.body());
        assertTrue(domain.body().contains("found 'TELEPATHY'"), domain.body());
        assertEquals(400, channel.statusCode());
        assertTrue(channel.body().contains("found 'fax'"), channel.body());
        assertTrue(empty.body().contains("expected at least 1 event, found 0"), empty.body());
        assertEquals(4, service.metrics().badRequests.sum());
    }

    @Test
    void shouldShedWith503AndRetryAfterWhenTheDeadlinePasses() throws Exception {
        service =
                start(
                        Map.of(
                                "scorer.request.deadline",
                                "PT0S",
                                "scorer.request.retry-after",
                                "PT2S"));

        HttpResponse<String> response = post(JOURNEY);

        assertEquals(503, response.statusCode(), response.body());
        assertEquals("2", response.headers().firstValue("Retry-After").orElse(""));
        assertTrue(service.metrics().shedRequests.sum() >= 1);
    }

    @Test
    void shouldServeModelsMetricsHealthAndReady() throws Exception {
        service = start(Map.of());
        post(JOURNEY);

        JsonNode models = JSON.readTree(get("/v1/models").body());
        String metrics = get("/metrics").body();

        assertEquals("fixture-format-1", models.get("live").get("version").asText());
        assertEquals("fixture-format-1", models.get("baseline").get("version").asText());
        assertTrue(models.get("live").has("loadedAt"));
        assertTrue(metrics.contains("nextlog_scorer_live_model{version=\"fixture-format-1\"} 1"));
        assertTrue(metrics.contains("nextlog_scorer_request_latency_seconds_count 1"), metrics);
        assertTrue(metrics.contains("nextlog_scorer_batch_size_bucket"));
        assertEquals(200, get("/health").statusCode());
        assertEquals(200, get("/ready").statusCode());
        HttpResponse<String> wrongMethod = get("/v1/recommendations");
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
    }

    private ScorerService start(Map<String, String> overrides) throws Exception {
        ScorerConfig config =
                ScorerConfig.of(
                                Map.of(
                                        "scorer.model.initial-bundle",
                                        TestBundles.fixture().toString(),
                                        "scorer.http.port",
                                        "0",
                                        "scorer.arms.shares",
                                        "live=1"))
                        .with(overrides);
        return new ScorerService(config);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri("/v1/recommendations"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }
}
