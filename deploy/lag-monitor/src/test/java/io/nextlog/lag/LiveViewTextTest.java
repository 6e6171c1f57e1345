package io.nextlog.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.lag.LiveSnapshot.GroupLag;
import io.nextlog.lag.LiveSnapshot.ReleaseHistory;
import io.nextlog.lag.LiveSnapshot.ResponseTally;
import io.nextlog.lag.LiveSnapshot.ScorerStatus;
import io.nextlog.lag.LiveSnapshot.TopicFlow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewTextTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:05Z");

    @Test
    void shouldShowEveryFigureOfASnapshotWithinOneHundredColumns() {
        List<String> lines = LiveViewText.render(snapshot(Duration.ofSeconds(5), arms(2)));
        String text = String.join("\n", lines);

        assertTrue(lines.get(0).contains("2025-06-01 12:00:05 UTC"), text);
        assertTrue(lines.get(0).contains("rates over the last 5.0 s"), text);
        assertRow(lines, "events in", "behavior-events", "120.4", "12,345");
        assertRow(lines, "recommendations", "2 channel topics", "45.0", "5,000");
        assertRow(lines, "feedback joined", "training-examples", "3.2", "1,234");
        assertRow(lines, "t-deal", "40.0", "2,000", "160", "8.00%", "1.00%");
        assertRow(lines, "t-universe", "5.0", "-", "-", "-", "-");
        assertTrue(text.contains("MODEL  live v7 for 2 min 5 s (ROLLBACK, sequence 9)"), text);
        assertTrue(text.contains("releases in model-releases: 8 published, 1 rolled back"), text);
        assertRow(lines, "v7", "arm-0", "1,000", "80", "8.00%", "1.00%");
        assertTrue(
                text.contains(
                        "SCORER http://127.0.0.1:8091/metrics  live v7  swaps 9  refused 1"
                                + "  stale 2"),
                text);
        assertRow(lines, "nextlog-stream-ingest", "12", "0.4", "0");
        assertRow(
                lines, "nextlog-feedback-updater-with-a-very-long-applicati~", "7", "-", "3 LOST");
        for (String line : lines) {
            assertTrue(line.length() <= LiveViewText.WIDTH, line.length() + ": " + line);
            assertFalse(line.contains("\033"), "no terminal codes in the text: " + line);
        }
    }

    @Test
    void shouldShowDashesForRatesOnTheFirstReading() {
        String text = String.join("\n", LiveViewText.render(snapshot(null, arms(1))));

        assertTrue(text.contains("rates from the next refresh on"), text);
        assertRowIn(text, "events in", "behavior-events", "-", "12,345");
    }

    @Test
    void shouldShowTheLiveVersionFirstAndCountTheArmRowsLeftOut() {
        List<ResponseTally> arms = new ArrayList<>(arms(LiveViewText.MAX_ARM_ROWS + 3));
        arms.add(new ResponseTally(null, "v7", "treatment", 10, 1, 0));
        arms.add(new ResponseTally(null, "v9", "control", 5_000, 1, 0));
        List<String> lines = LiveViewText.render(snapshot(Duration.ofSeconds(5), arms));
        String text = String.join("\n", lines);

        int header = indexOf(lines, "MODEL VERSION");
        assertRowIn(lines.get(header + 1), "v7", "arm-0");
        assertRowIn(lines.get(header + 2), "v7", "treatment");
        assertRowIn(lines.get(header + 3), "v9", "control", "5,000"); // shown the most offers
        assertTrue(text.contains("... and 5 more version/arm rows"), text);
    }

    @Test
    void shouldClipLongNamesAndPrintAgesPeopleRead() {
        assertEquals("abcd~", LiveViewText.clip("abcdefgh", 5));
        assertEquals("abc", LiveViewText.clip("abc", 5));
        assertEquals("42 s", LiveViewText.age(Duration.ofSeconds(42)));
        assertEquals("2 h 4 min", LiveViewText.age(Duration.ofMinutes(124)));
        assertEquals("3 d 2 h", LiveViewText.age(Duration.ofHours(74)));
        assertEquals("-", LiveViewText.age(null));
    }

    private static LiveSnapshot snapshot(Duration interval, List<ResponseTally> arms) {
        boolean rates = interval != null;
        return new LiveSnapshot(
                NOW,
                interval,
                new TopicFlow("behavior-events", 12_345, rates ? 120.44 : null),
                List.of(
                        new TopicFlow("recommendations.t-deal", 4_000, rates ? 40.0 : null),
                        new TopicFlow("recommendations.t-universe", 1_000, rates ? 5.0 : null)),
                new TopicFlow("training-examples", 1_234, rates ? 3.2 : null),
                List.of(
                        new GroupLag(
                                "nextlog-feedback-updater-with-a-very-long-application-id-x",
                                7,
                                null,
                                3),
                        new GroupLag("nextlog-stream-ingest", 12, Duration.ofMillis(400), 0)),
                List.of(new ResponseTally("t-deal", null, null, 2_000, 160, 20)),
                arms,
                new ReleaseHistory(8, 1, 9, "v7", "ROLLBACK", NOW.minusSeconds(125)),
                new ScorerStatus("http://127.0.0.1:8091/metrics", "v7", 9, 1, 2, null),
                0);
    }

    /** {@code n} rows of older versions with fewer impressions, then the live v7. */
    private static List<ResponseTally> arms(int n) {
        List<ResponseTally> arms = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            arms.add(new ResponseTally(null, "v" + (i % 7), "arm-" + i, 100 + i, 5, 0));
        }
        arms.add(new ResponseTally(null, "v7", "arm-0", 1_000, 80, 10));
        return arms;
    }

    private static void assertRow(List<String> lines, String... cells) {
        assertRowIn(String.join("\n", lines), cells);
    }

    /** Some line holds these cells in this order, separated by blanks only. */
    private static void assertRowIn(String text, String... cells) {
        String pattern =
                "(?m)^"
                        + String.join(
                                "\\s+",
                                java.util.Arrays.stream(cells)
                                        .map(java.util.regex.Pattern::quote)
                                        .toList())
                        + ".*$";
        assertTrue(java.util.regex.Pattern.compile(pattern).matcher(text).find(), text);
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + prefix + " in " + lines);
    }
}
