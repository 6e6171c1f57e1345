package io.nextlog.schemas.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.ContactKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelsTest {

    @Test
    void shouldConfigureTheOperatorsFourChannels() {
        Channels channels = Channels.defaults();
        assertEquals(
                List.of("t-universe", "t-deal", "t-membership", "mno"),
                channels.all().stream().map(Channel::id).toList());
        assertTrue(channels.get("mno").isOutbound());
        assertEquals(ContactKind.IN_APP_SLOT, channels.get("t-deal").kind());
        assertEquals("T-우주 subscriptions", channels.get("t-universe").displayName());
    }

    @Test
    void shouldLoadChannelsFromAnOperatorsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("channels.json");
        Files.writeString(
                file,
                "{\"channels\":[{\"id\":\"t-map\",\"displayName\":\"T map\","
                        + "\"kind\":\"IN_APP_SLOT\"}]}");
        assertEquals("t-map", Channels.load(file).all().get(0).id());
    }

    @Test
    void shouldRefuseNonAsciiIdsAndUnknownKinds() {
        IllegalArgumentException id =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new Channel("T 우주", "x", ContactKind.IN_APP_SLOT));
        assertTrue(id.getMessage().contains("found 'T 우주'"), id.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new Channel("sms", "SMS", ContactKind.UNKNOWN));
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> Channels.defaults().get("fax"));
        assertTrue(unknown.getMessage().contains("t-deal"), unknown.getMessage());
    }
}
