package io.nextlog.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both input formats: what they read, and how a bad line stops them. */
class SequenceFilesTest {

    @TempDir Path dir;

    @Test
    void shouldOrderEachUsersRatingsByTimeKeepingTiesInFileOrder() throws Exception {
        Path file =
                write(
                        "ratings.data",
                        "10\tm3\t4\t300\n",
                        "2 m1 5 200\n",
                        "\n",
                        "10\tm1\t3\t100\n",
                        "10  m2   1  300\n",
                        "2\tm9\t2.5\t100\n");

        List<UserSequence> users = SequenceFiles.read(file, SequenceFiles.Format.RATINGS);

        assertEquals(List.of("2", "10"), users.stream().map(UserSequence::userId).toList());
        assertEquals(List.of("m9", "m1"), items(users.get(0)));
        assertEquals(List.of("m1", "m3", "m2"), items(users.get(1)));
        JourneyStep first = users.get(1).steps().get(0);
        assertEquals(Instant.ofEpochSecond(100), first.getEventTime());
        assertEquals(RatingsFileReader.DOMAIN, first.getDomain());
    }

    @Test
    void shouldStopAtMalformedRatingNamingFileAndLine() throws Exception {
        Path file = write("bad.data", "1\tm1\t5\t100\n", "1\tm2\t5\n");

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () -> SequenceFiles.read(file, SequenceFiles.Format.RATINGS));

        assertEquals(file, error.file());
        assertEquals(2, error.line());
        assertTrue(error.getMessage().contains("line 2: expected 4 columns"), error.getMessage());
    }

    @Test
    void shouldStopAtNonNumericTimestamp() throws Exception {
        Path file = write("bad.data", "1\tm1\t5\tyesterday\n");

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () -> SequenceFiles.read(file, SequenceFiles.Format.RATINGS));
        assertTrue(
                error.getMessage().contains("timestamp: expected epoch seconds, found 'yesterday'"),
                error.getMessage());
    }

    @Test
    void shouldReadJourneyFilesThroughTheWorldsReader() throws Exception {
        Path file =
                write(
                        "journeys.tsv",
                        "# nextlog journey format 1\n",
                        "user_id\tevent_time_ms\tdomain\titem\n",
                        "u_a\t1000\tAPP_USE\tapp:melon\n",
                        "u_a\t2000\tCALL\tcall:friend\n",
                        "u_b\t1500\tPURCHASE\ttd:chicken-combo\n");

        List<UserSequence> users = SequenceFiles.read(file, SequenceFiles.Format.JOURNEYS);

        assertEquals(2, users.size());
        assertEquals(List.of("app:melon", "call:friend"), items(users.get(0)));
        assertEquals(Domain.CALL, users.get(0).steps().get(1).getDomain());
    }

    @Test
    void shouldStopAtMalformedJourneyLineNamingFileAndLine() throws Exception {
        Path file =
                write(
                        "journeys.tsv",
                        "user_id\tevent_time_ms\tdomain\titem\n",
                        "u_a\t1000\tAPP_USE\tapp:melon\n",
                        "u_a\tsoon\tAPP_USE\tapp:melon\n");

        DataFormatException error =
                assertThrows(
                        DataFormatException.class,
                        () -> SequenceFiles.read(file, SequenceFiles.Format.JOURNEYS));

        assertEquals(3, error.line());
        assertTrue(
                error.getMessage().startsWith(file + " line 3: event_time_ms: expected"),
                error.getMessage());
    }

    @Test
    void shouldReadAnEmptyFileAsNoUsersAndRefuseToSummariseIt() throws Exception {
        Path file = write("empty.data", "\n");

        List<UserSequence> users = SequenceFiles.read(file, SequenceFiles.Format.RATINGS);

        assertTrue(users.isEmpty());
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DataSummary.of(file.toString(), "ratings", users));
        assertTrue(error.getMessage().contains("expected at least one event"), error.getMessage());
    }

    private Path write(String name, String... lines) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("", lines));
        return file;
    }

    private static List<String> items(UserSequence user) {
        return user.steps().stream().map(JourneyStep::getItem).toList();
    }
}
