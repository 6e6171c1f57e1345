package io.nextlog.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Framing checks that fail before any registry call; registry paths are covered by the ITs. */
class RegistryAvroDeserializerTest {

    private final RegistryAvroDeserializer<BehaviorEvent> deserializer =
            new RegistryAvroDeserializer<>(
                    new SchemaRegistryClient("http://127.0.0.1:9", Duration.ofMillis(200)),
                    BehaviorEvent.class);

    @Test
    void shouldNameCoordinatesExpectedAndFoundForAWrongMagicByte() {
        byte[] json = "{\"userId\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        WireFormatException e =
                assertThrows(
                        WireFormatException.class,
                        () -> deserializer.decode("behavior-events", 3, 42L, json));
        assertEquals(
                "topic behavior-events partition 3 offset 42: expected magic byte 0x00 of the"
                        + " Confluent wire format, found 0x7b",
                e.getMessage());
    }

    @Test
    void shouldRefuseTruncatedHeaders() {
        WireFormatException e =
                assertThrows(
                        WireFormatException.class,
                        () -> deserializer.deserialize("behavior-events", new byte[] {0, 0}));
        assertTrue(e.getMessage().contains("expected at least 5 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("found 2"), e.getMessage());
    }

    @Test
    void shouldReportAnUnreachableRegistryForUncachedIds() {
        WireFormatException e =
                assertThrows(
                        WireFormatException.class,
                        () ->
                                deserializer.decode(
                                        "behavior-events", 0, 7L, new byte[] {0, 0, 0, 0, 9, 1}));
        assertTrue(e.getMessage().contains("schema id 9 not cached"), e.getMessage());
    }

    @Test
    void shouldPassTombstonesThrough() {
        assertNull(deserializer.deserialize("behavior-events", null));
    }
}
