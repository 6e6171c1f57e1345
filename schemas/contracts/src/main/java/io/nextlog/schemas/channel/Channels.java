package io.nextlog.schemas.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextlog.schemas.event.ContactKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured list of channels. The list is configuration, not code: {@link #defaults()} reads
 * {@code nextlog-channels.json} from the classpath, {@link #load(Path)} reads an operator's file of
 * the same shape:
 *
 * <pre>{"channels": [{"id": "t-deal", "displayName": "T-deal", "kind": "IN_APP_SLOT"}]}</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Channels {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Channel> byId;

    private Channels(List<Channel> channels) {
        Map<String, Channel> map = new LinkedHashMap<>();
        for (Channel channel : channels) {
            if (map.put(channel.id(), channel) != null) {
                throw new IllegalArgumentException(
                        "channel ids must be unique, found '" + channel.id() + "' twice");
            }
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("expected at least one channel, found none");
        }
        this.byId = Collections.unmodifiableMap(map);
    }

    /** Channels from the given list, in order. */
    public static Channels of(List<Channel> channels) {
        return new Channels(channels);
    }

    /** The operator's four channels: t-universe, t-deal, t-membership and mno. */
    public static Channels defaults() {
        try (InputStream in = Channels.class.getResourceAsStream("/nextlog-channels.json")) {
            if (in == null) {
                throw new IllegalStateException("nextlog-channels.json missing from the classpath");
            }
            return parse(JSON.readTree(in), "classpath:nextlog-channels.json");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read nextlog-channels.json", e);
        }
    }

    /** Channels from a JSON file of the documented shape. */
    public static Channels load(Path file) {
        try {
            return parse(JSON.readTree(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read channel file " + file, e);
        }
    }

    private static Channels parse(JsonNode root, String source) {
        JsonNode list = root.path("channels");
        if (!list.isArray()) {
            throw new IllegalArgumentException(
                    source + ": expected an array 'channels', found " + list.getNodeType());
        }
        List<Channel> channels = new ArrayList<>();
        for (JsonNode node : list) {
            String kind = node.path("kind").asText("");
            ContactKind contactKind;
            try {
                contactKind = ContactKind.valueOf(kind);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        source
                                + ": channel kind: expected IN_APP_SLOT or OUTBOUND_MESSAGE, found"
                                + " '"
                                + kind
                                + "'");
            }
            channels.add(
                    new Channel(
                            node.path("id").asText(""),
                            node.path("displayName").asText(node.path("id").asText("")),
                            contactKind));
        }
        return new Channels(channels);
    }

    /** All channels in configured order. */
    public List<Channel> all() {
        return List.copyOf(byId.values());
    }

    /** The channel with this id, if configured. */
    public Optional<Channel> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The channel with this id.
     *
     * @throws IllegalArgumentException naming the configured ids when there is none
     */
    public Channel get(String id) {
        Channel channel = byId.get(id);
        if (channel == null) {
            throw new IllegalArgumentException(
                    "unknown channel '" + id + "', expected one of " + byId.keySet());
        }
        return channel;
    }
}
