package io.nextlog.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nextlog.lag.LiveSnapshot.ResponseTally;
import io.nextlog.schemas.event.RecoMetrics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseTotalsTest {

    private static final Instant W0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant W1 = W0.plusSeconds(10);

    @Test
    void shouldLetALaterRowOfAWindowReplaceTheEarlierOne() {
        ResponseTotals totals = new ResponseTotals();
        totals.add(row("t-deal", "v1", "control", W0, 10, 1, 0));
        totals.add(row("t-deal", "v1", "control", W0, 40, 4, 1)); // the same window, grown
        totals.add(row("t-deal", "v1", "control", W1, 60, 6, 1));

        assertEquals(List.of(new ResponseTally(null, "v1", "control", 100, 10, 2)), totals.byArm());
        assertEquals(0.1, totals.byArm().get(0).ctr(), 1e-12);
    }

    @Test
    void shouldSumPerChannelAndPerVersionAndArmAndSortTheRows() {
        ResponseTotals totals = new ResponseTotals();
        totals.add(row("t-universe", "v1", "control", W0, 50, 5, 0));
        totals.add(row("t-deal", "v2", "treatment", W0, 30, 6, 3));
        totals.add(row("t-deal", "v1", "control", W0, 70, 4, 1));

        assertEquals(
                List.of(
                        new ResponseTally("t-deal", null, null, 100, 10, 4),
                        new ResponseTally("t-universe", null, null, 50, 5, 0)),
                totals.byChannel());
        assertEquals(
                List.of(
                        new ResponseTally(null, "v1", "control", 120, 9, 1),
                        new ResponseTally(null, "v2", "treatment", 30, 6, 3)),
                totals.byArm());
    }

    static RecoMetrics row(
            String channel,
            String version,
            String arm,
            Instant windowStart,
            long impressions,
            long clicks,
            long converts) {
        return RecoMetrics.newBuilder()
                .setChannel(channel)
                .setModelVersion(version)
                .setExperimentArm(arm)
                .setWindowStart(windowStart)
                .setWindowEnd(windowStart.plusSeconds(10))
                .setImpressions(impressions)
                .setClicks(clicks)
                .setConverts(converts)
                .setDismissals(0)
                .setCtr(impressions == 0 ? 0 : (double) clicks / impressions)
                .setConversionRate(impressions == 0 ? 0 : (double) converts / impressions)
                .build();
    }
}
