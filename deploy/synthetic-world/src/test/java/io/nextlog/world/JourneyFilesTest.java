package io.nextlog.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JourneyFilesTest {

    private static final String USER_A = "u_" + "a".repeat(32);
    private static final String USER_B = "u_" + "b".repeat(32);

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"journeys.tsv", "journeys.tsv.gz"})
    void shouldReadBackWhatTheWorldWrote(String name) throws IOException {
        SyntheticWorld world =
                SyntheticWorld.create(
                        WorldConfig.builder().seed(2).customers(50).events(3_000).build());
        Path file = dir.resolve(name);

        long written = JourneyFiles.write(file, world.eventsByUser().iterator());
        List<Journey> journeys = JourneyFiles.readAll(file);

        assertEquals(3_000, written);
        assertEquals(50, journeys.size());
        List<BehaviorEvent> expected = world.journey(7);
        Journey actual = journeys.get(7);
        assertEquals(expected.get(0).getUserId(), actual.userId());
        assertEquals(expected.size(), actual.steps().size());
        for (int i = 0; i < expected.size(); i++) {
            BehaviorEvent event = expected.get(i);
            assertEquals(
                    new JourneyStep(event.getItem(), event.getDomain(), event.getEventTime()),
                    actual.steps().get(i));
        }
    }

    @Test
    void shouldReadTheDocumentedFormatAndIgnoreExtraColumns() throws IOException {
        Path file =
                write(
                        "# any comment",
                        "user_id\tevent_time_ms\tdomain\titem\tnote",
                        USER_A + "\t1000\tAPP_USE\tapp:melon\tx",
                        USER_A + "\t1000\tCALL\tcall:family",
                        USER_B + "\t500\tTV_VIEWING\ttv:weekend-drama");

        List<Journey> journeys = JourneyFiles.readAll(file);

        assertEquals(2, journeys.size());
        assertEquals(
                new JourneyStep("call:family", Domain.CALL, Instant.ofEpochMilli(1000)),
                journeys.get(0).steps().get(1));
    }

    @Test
    void shouldRejectTimesGoingBackWithinAUserNamingTheLine() throws IOException {
        Path file =
                write(
                        JourneyFiles.HEADER,
                        USER_A + "\t2000\tAPP_USE\tapp:melon",
                        USER_A + "\t1000\tAPP_USE\tapp:flo");

        JourneyFormatException e =
                assertThrows(JourneyFormatException.class, () -> JourneyFiles.readAll(file));

        assertEquals(3, e.line());
        assertTrue(
                e.getMessage().contains("expected event_time_ms at or after 2000"), e.getMessage());
    }

    @Test
    void shouldRejectUsersOutOfOrderAndUnknownDomains() throws IOException {
        Path unordered =
                write(
                        JourneyFiles.HEADER,
                        USER_B + "\t1\tAPP_USE\tapp:melon",
                        USER_A + "\t2\tAPP_USE\tapp:flo");
        Path unknownDomain = write(JourneyFiles.HEADER, USER_A + "\t1\tSMS\tx");

        assertThrows(JourneyFormatException.class, () -> JourneyFiles.readAll(unordered));
        JourneyFormatException e =
                assertThrows(
                        JourneyFormatException.class, () -> JourneyFiles.readAll(unknownDomain));
        assertTrue(e.getMessage().contains("found 'SMS'"), e.getMessage());
    }

    @Test
    void shouldRejectAFileWithoutHeader() throws IOException {
        Path file = write(USER_A + "\t1\tAPP_USE\tapp:melon");

        JourneyFormatException e =
                assertThrows(JourneyFormatException.class, () -> JourneyFiles.readAll(file));

        assertEquals(1, e.line());
    }

    @Test
    void shouldRefuseToWriteEventsOutOfOrder() throws IOException {
        try (JourneyWriter writer = JourneyFiles.newWriter(dir.resolve("out.tsv"))) {
            writer.write(USER_B, Instant.ofEpochMilli(1), Domain.CALL, "call:work");

            assertThrows(
                    JourneyFormatException.class,
                    () -> writer.write(USER_A, Instant.ofEpochMilli(2), Domain.CALL, "call:work"));
        }
    }

    private Path write(String... lines) throws IOException {
        Path file = Files.createTempFile(dir, "journeys", ".tsv");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }
}
