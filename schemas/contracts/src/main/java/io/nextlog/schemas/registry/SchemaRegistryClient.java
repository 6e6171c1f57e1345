package io.nextlog.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;
import org.apache.avro.Schema;

/**
 * A small client for the Confluent Schema Registry REST API, on {@code java.net.http}, with a cache
 * so serializers and deserializers call the registry once per schema.
 *
 * <p>REST calls used (all relative to the base URL, JSON bodies with media type {@code
 * application/vnd.schemaregistry.v1+json}):
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} {@code {"schema": "..."}} → {@code {"id": n}}:
 *       {@link #register}
 *   <li>{@code GET /schemas/ids/{id}} → {@code {"schema": "..."}}: {@link #schemaById}
 *   <li>{@code POST /subjects/{subject}} {@code {"schema": "..."}} → {@code {"id", "version"}}, 404
 *       when absent: {@link #lookup}
 *   <li>{@code GET /subjects/{subject}/versions/latest} → {@code {"id", "version", "schema"}}:
 *       {@link #latest}
 *   <li>{@code POST /compatibility/subjects/{subject}/versions/latest} → {@code {"is_compatible":
 *       b}}: {@link #isCompatible}
 *   <li>{@code GET /config[/{subject}]} → {@code {"compatibilityLevel": l}} and {@code PUT
 *       /config[/{subject}]} {@code {"compatibility": l}}: {@link #compatibility}, {@link
 *       #setCompatibility}
 * </ul>
 *
 * <p>These follow Confluent's published API; this project tests them against Apicurio Registry's
 * Confluent-compatible endpoint ({@code /apis/ccompat/v7}) only, not against Confluent's own
 * server.
 *
 * <p>Cached entries (id → schema, subject + schema → id) never expire: a registered schema never
 * changes. When the registry is down, everything already cached keeps working and anything else
 * fails with {@link SchemaRegistryException} ({@code httpStatus() == -1}). Thread-safe.
 */
public final class SchemaRegistryClient {

    /** Schema and its registry coordinates. */
    public record RegisteredSchema(String subject, int version, int id, Schema schema) {}

    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {}

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}; a trailing slash is
     *     ignored
     * @param requestTimeout limit for each HTTP call
     */
    public SchemaRegistryClient(String baseUrl, Duration requestTimeout) {
        this.baseUrl = stripTrailingSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    /** A client with a 10 s request timeout. */
    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(10));
    }

    /** The base URL calls go to. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Registers {@code schema} under {@code subject} (a no-op returning the existing id when it is
     * already there).
     *
     * @return the schema id
     * @throws SchemaRegistryException with {@code isIncompatible()} when the subject's
     *     compatibility rule refuses the schema
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode response =
                send(
                        "POST",
                        "/subjects/" + encode(subject) + "/versions",
                        schemaBody(schema),
                        "register schema under subject '" + subject + "'");
        int id = response.path("id").asInt(-1);
        remember(key, id);
        return id;
    }

    /**
     * Looks up the id of {@code schema} under {@code subject} without registering it.
     *
     * @return the id, or empty when the subject does not hold this schema
     */
    public Optional<Integer> lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            JsonNode response =
                    send(
                            "POST",
                            "/subjects/" + encode(subject),
                            schemaBody(schema),
                            "look up schema under subject '" + subject + "'");
            int id = response.path("id").asInt(-1);
            remember(key, id);
            return Optional.of(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The schema with this id.
     *
     * @throws SchemaRegistryException with {@code isNotFound()} for an unknown id
     */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
        Schema schema = parse(response.path("schema").asText(), "schema id " + id);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** The latest version registered under {@code subject}. */
    public RegisteredSchema latest(String subject) {
        JsonNode response =
                send(
                        "GET",
                        "/subjects/" + encode(subject) + "/versions/latest",
                        null,
                        "fetch the latest schema of subject '" + subject + "'");
        int id = response.path("id").asInt(-1);
        Schema schema = parse(response.path("schema").asText(), "subject '" + subject + "'");
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, response.path("version").asInt(-1), id, schema);
    }

    /**
     * Whether {@code schema} may be registered under {@code subject} given its compatibility rule.
     * A subject with no versions accepts anything.
     */
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode response =
                    send(
                            "POST",
                            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                            schemaBody(schema),
                            "check compatibility with subject '" + subject + "'");
            return response.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return true;
            }
            throw e;
        }
    }

    /**
     * The compatibility level of {@code subject}, or the global level when {@code subject} is null
     * (e.g. {@code BACKWARD}).
     */
    public String compatibility(@Nullable String subject) {
        JsonNode response = send("GET", configPath(subject), null, "read compatibility");
        return response.path("compatibilityLevel").asText();
    }

    /** Sets the compatibility level of {@code subject}, or the global one when it is null. */
    public void setCompatibility(@Nullable String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", configPath(subject), body.toString(), "set compatibility to " + level);
    }

    private static String configPath(@Nullable String subject) {
        return subject == null ? "/config" : "/config/" + encode(subject);
    }

    private void remember(SubjectSchema key, int id) {
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, key.schema());
    }

    private JsonNode send(String method, String path, @Nullable String body, String what) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(requestTimeout)
                        .header("Accept", MEDIA_TYPE + ", application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", MEDIA_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "could not " + what + ": registry at " + baseUrl + " unreachable (" + e + ")",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while trying to " + what, e);
        }
        JsonNode json = readJson(response.body());
        if (response.statusCode() / 100 != 2) {
            String message = json.path("message").asText(response.body());
            throw new SchemaRegistryException(
                    "registry refused to "
                            + what
                            + ": HTTP "
                            + response.statusCode()
                            + describe(response.statusCode())
                            + ": "
                            + message,
                    response.statusCode(),
                    json.path("error_code").asInt(-1));
        }
        return json;
    }

    private static String describe(int status) {
        return switch (status) {
            case 409 -> " (incompatible with an earlier version of the subject)";
            case 404 -> " (not found)";
            case 422 -> " (invalid schema)";
            default -> "";
        };
    }

    private static JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    "registry returned an unparseable Avro schema for " + what + ": " + e, e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
