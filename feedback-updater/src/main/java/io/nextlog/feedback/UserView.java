package io.nextlog.feedback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nextlog.feedback.store.ContactHistoryEntry;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.ReasonEvent;
import io.nextlog.schemas.event.Recommendation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers "what was this customer recommended and contacted with" from the state stores. A user's
 * recommendations and contact history may live on different instances (they belong to different
 * sub-topologies); each part is read where its partition is active, locally or from the owning
 * instance's {@code /internal} endpoint.
 */
final class UserView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    UserView(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** The whole view of {@code userId}, contacts at or after {@code since}. */
    ObjectNode user(String userId, Instant since) throws IOException, InterruptedException {
        ObjectNode view = JSON.createObjectNode().put("userId", userId);
        view.set("recommendations", part(StoreNames.LATEST_RECOMMENDATIONS, userId, since));
        view.set("contacts", part(StoreNames.CONTACT_HISTORY, userId, since));
        return view;
    }

    private ArrayNode part(String store, String userId, Instant since)
            throws IOException, InterruptedException {
        KeyQueryMetadata owner =
                streams.queryMetadataForKey(store, userId, Serdes.String().serializer());
        if (owner == null
                || owner.activeHost() == null
                || owner.activeHost().equals(self)
                || owner.activeHost().equals(HostInfo.unavailable())) {
            return local(store, userId, since);
        }
        HostInfo host = owner.activeHost();
        URI uri =
                URI.create(
                        "http://"
                                + host.host()
                                + ":"
                                + host.port()
                                + "/internal/stores/"
                                + store
                                + "/users/"
                                + userId
                                + "?since="
                                + since.toEpochMilli());
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "instance "
                            + host
                            + " answered "
                            + response.statusCode()
                            + " for "
                            + store
                            + ": "
                            + response.body());
        }
        return (ArrayNode) JSON.readTree(response.body());
    }

    /** This instance's entries of {@code store} for {@code userId}. */
    ArrayNode local(String store, String userId, Instant since) {
        ArrayNode out = JSON.createArrayNode();
        if (store.equals(StoreNames.LATEST_RECOMMENDATIONS)) {
            ReadOnlyKeyValueStore<String, Recommendation> recommendations = store(store);
            try (KeyValueIterator<String, Recommendation> it =
                    recommendations.prefixScan(userId + "|", Serdes.String().serializer())) {
                it.forEachRemaining(kv -> out.add(recommendation(kv.value)));
            }
        } else if (store.equals(StoreNames.CONTACT_HISTORY)) {
            ReadOnlyKeyValueStore<String, ContactHistoryEntry> history = store(store);
            try (KeyValueIterator<String, ContactHistoryEntry> it =
                    history.prefixScan(userId + "|", Serdes.String().serializer())) {
                while (it.hasNext()) {
                    KeyValue<String, ContactHistoryEntry> kv = it.next();
                    if (kv.value.getContactedAtMs() >= since.toEpochMilli()) {
                        out.add(contact(kv.value));
                    }
                }
            }
        } else {
            throw new IllegalArgumentException(
                    "store: expected "
                            + StoreNames.LATEST_RECOMMENDATIONS
                            + " or "
                            + StoreNames.CONTACT_HISTORY
                            + ", found "
                            + store);
        }
        return out;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(
                StoreQueryParameters.fromNameAndType(
                        name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    private static ObjectNode recommendation(Recommendation r) {
        ObjectNode node =
                JSON.createObjectNode()
                        .put("channel", r.getChannel())
                        .put("recommendationId", r.getRecommendationId())
                        .put("modelVersion", r.getModelVersion())
                        .put("experimentArm", r.getExperimentArm())
                        .put("generatedAt", r.getGeneratedAt().toString());
        ArrayNode items = node.putArray("items");
        for (RankedItem item : r.getItems()) {
            items.addObject()
                    .put("itemId", item.getItemId())
                    .put("score", item.getScore())
                    .put("reason", item.getReasonText());
        }
        ArrayNode reasons = node.putArray("reasonEvents");
        for (ReasonEvent event : r.getReasonEvents()) {
            reasons.addObject()
                    .put("domain", event.getDomain().name())
                    .put("item", event.getItem())
                    .put("eventTime", event.getEventTime().toString())
                    .put("weight", event.getWeight());
        }
        return node;
    }

    private static ObjectNode contact(ContactHistoryEntry c) {
        ObjectNode node =
                JSON.createObjectNode()
                        .put("contactId", c.getContactId())
                        .put("channel", c.getChannel())
                        .put("kind", c.getKind())
                        .put("item", c.getItem())
                        .put("recommendationId", c.getRecommendationId())
                        .put("modelVersion", c.getModelVersion())
                        .put("experimentArm", c.getExperimentArm())
                        .put("contactedAt", Instant.ofEpochMilli(c.getContactedAtMs()).toString());
        node.put("response", c.getResponse() == null ? null : c.getResponse().toLowerCase());
        if (c.getRespondedAtMs() != null) {
            node.put("respondedAt", Instant.ofEpochMilli(c.getRespondedAtMs()).toString());
        }
        return node;
    }
}
