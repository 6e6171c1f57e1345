package io.nextlog.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.nextlog.lag.LiveSnapshot.ScorerStatus;
import io.nextlog.scorer.metrics.ScorerMetrics;
import org.junit.jupiter.api.Test;

/** Parses the page the scorer's own {@link ScorerMetrics} writes, not a copy of it. */
class ScorerMetricsPageTest {

    private static final String URL = "http://127.0.0.1:8091/metrics";

    @Test
    void shouldReadSwapsRefusalsAndTheLiveVersionFromTheScorersPage() {
        ScorerMetrics metrics = new ScorerMetrics();
        metrics.swaps.add(3);
        metrics.refusedBundles.add(2);
        metrics.staleReleases.increment();
        metrics.journeysScored.add(1000);
        metrics.liveVersionFrom(() -> "gpt-20250601-\"b\"");

        ScorerStatus status = ScorerMetricsPage.parse(URL, metrics.toPrometheusText());

        assertEquals(new ScorerStatus(URL, "gpt-20250601-\"b\"", 3, 2, 1, null), status);
    }

    @Test
    void shouldSayWhenThePageIsNotTheScorers() {
        ScorerStatus status = ScorerMetricsPage.parse(URL, "# HELP other\nother_total 1\n");

        assertNotNull(status.error());
        assertEquals(0, status.swaps());
    }

    @Test
    void shouldReadNoLiveVersionBeforeAModelIsLive() {
        assertEquals(
                null,
                ScorerMetricsPage.parse(URL, new ScorerMetrics().toPrometheusText()).liveVersion());
    }
}
