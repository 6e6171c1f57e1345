package io.nextlog.scorer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.ReasonEvent;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.scorer.InvalidRequestException;
import io.nextlog.scorer.ScoringRequest;
import io.nextlog.scorer.ScoringResult;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON of {@code POST /v1/recommendations}.
 *
 * <p>Request: {@code {"userId": "u1", "journey": [{"item": "i1", "domain": "TV_VIEWING",
 * "eventTime": "2025-03-01T12:00:00Z"}], "channels": ["t-deal"], "topK": 5, "excludeItems": [],
 * "now": "2025-03-01T12:00:00Z"}}; only {@code userId} and {@code journey} are required, event
 * times are ISO-8601 text or epoch milliseconds. Response: {@code {"userId", "arm", "modelVersion",
 * "recommendations": [{"recommendationId", "channel", "items": [{"itemId", "score", "reasonText"}],
 * "reasonEvents": [{"domain", "item", "eventTime", "weight"}], "domainShares": {...},
 * "generatedAt", "sourceEventTime"}]}}. Stateless; thread-safe.
 */
final class RecommendationJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecommendationJson() {}

    /**
     * Parses a request body.
     *
     * @throws InvalidRequestException naming the field, what was expected and what was found
     */
    static ScoringRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(
                    "request body: expected a JSON object, found malformed JSON ("
                            + e.getOriginalMessage()
                            + ")");
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("request body: could not be read: " + e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(
                    "request body: expected a JSON object, found "
                            + (root == null ? "nothing" : root.getNodeType()));
        }
        String userId = text(root, "userId", true);
        List<JourneyStep> journey = journey(root.get("journey"));
        List<String> channels = strings(root, "channels");
        Set<String> excluded = new HashSet<>(strings(root, "excludeItems"));
        int topK = 0;
        JsonNode k = root.get("topK");
        if (k != null && !k.isNull()) {
            if (!k.isInt()) {
                throw new InvalidRequestException(
                        "topK: expected an integer, found " + k.getNodeType() + " " + k);
            }
            topK = k.intValue();
        }
        JsonNode now = root.get("now");
        Instant at = now == null || now.isNull() ? null : instant(now, "now");
        return new ScoringRequest(userId, journey, channels, topK, excluded, at);
    }

    private static List<JourneyStep> journey(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new InvalidRequestException(
                    "journey: expected an array of events, found "
                            + (node == null ? "none" : node.getNodeType()));
        }
        List<JourneyStep> steps = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode event = node.get(i);
            String where = "journey[" + i + "]";
            if (!event.isObject()) {
                throw new InvalidRequestException(
                        where + ": expected an object, found " + event.getNodeType());
            }
            String item = text(event, "item", true, where + ".item");
            String domain = text(event, "domain", true, where + ".domain");
            JsonNode time = event.get("eventTime");
            if (time == null) {
                throw new InvalidRequestException(
                        where + ".eventTime: expected a time, found none");
            }
            steps.add(
                    new JourneyStep(
                            item, domain(domain, where), instant(time, where + ".eventTime")));
        }
        return steps;
    }

    private static Domain domain(String symbol, String where) {
        try {
            Domain domain = Domain.valueOf(symbol);
            if (domain != Domain.UNKNOWN) {
                return domain;
            }
        } catch (IllegalArgumentException e) {
            // Reported below with the list of symbols.
        }
        List<String> known = new ArrayList<>();
        for (Domain d : Domain.values()) {
            if (d != Domain.UNKNOWN) {
                known.add(d.name());
            }
        }
        throw new InvalidRequestException(
                where + ".domain: expected one of " + known + ", found '" + symbol + "'");
    }

    private static Instant instant(JsonNode node, String where) {
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeException e) {
            throw new InvalidRequestException(
                    where + ": expected ISO-8601 UTC text or epoch milliseconds, found " + node);
        }
    }

    private static String text(JsonNode node, String field, boolean required) {
        return text(node, field, required, field);
    }

    private static String text(JsonNode node, String field, boolean required, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidRequestException(where + ": expected text, found none");
            }
            return "";
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidRequestException(
                    where
                            + ": expected non-blank text, found "
                            + value.getNodeType()
                            + " "
                            + value);
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidRequestException(
                    field + ": expected an array of text, found " + node.getNodeType());
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode value : node) {
            if (!value.isTextual()) {
                throw new InvalidRequestException(
                        field + ": expected text elements, found " + value.getNodeType());
            }
            values.add(value.asText());
        }
        return values;
    }

    /** Writes a result. */
    static byte[] write(ScoringResult result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("userId", result.userId());
        root.put("arm", result.arm());
        root.put("modelVersion", result.modelVersion());
        ArrayNode recommendations = root.putArray("recommendations");
        for (Recommendation recommendation : result.recommendations()) {
            ObjectNode node = recommendations.addObject();
            node.put("recommendationId", recommendation.getRecommendationId());
            node.put("channel", recommendation.getChannel());
            ArrayNode items = node.putArray("items");
            for (RankedItem item : recommendation.getItems()) {
                items.addObject()
                        .put("itemId", item.getItemId())
                        .put("score", item.getScore())
                        .put("reasonText", item.getReasonText());
            }
            ArrayNode reasons = node.putArray("reasonEvents");
            for (ReasonEvent event : recommendation.getReasonEvents()) {
                reasons.addObject()
                        .put("domain", event.getDomain().name())
                        .put("item", event.getItem())
                        .put("eventTime", event.getEventTime().toString())
                        .put("weight", event.getWeight());
            }
            ObjectNode shares = node.putObject("domainShares");
            recommendation.getDomainShares().forEach(shares::put);
            node.put("generatedAt", recommendation.getGeneratedAt().toString());
            node.put("sourceEventTime", recommendation.getSourceEventTime().toString());
        }
        return bytes(root);
    }

    /** Writes {@code {"error": message}}. */
    static byte[] error(String message) {
        return bytes(JSON.createObjectNode().put("error", message));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
