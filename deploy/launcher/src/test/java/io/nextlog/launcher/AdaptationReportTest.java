package io.nextlog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.RecoMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdaptationReportTest {

    private static final Instant T0 = Instant.parse("2026-12-04T05:00:00Z");

    @Test
    void shouldTotalTheArmsAfterTheShiftAndLeaveIncompleteBucketsOut(@TempDir Path out)
            throws Exception {
        List<RecoMetrics> windows =
                List.of(
                        window("t-deal", "holdout", 0, 1000, 20),
                        window("t-deal", "live", 0, 1000, 20),
                        window("t-deal", "holdout", 60, 1000, 20),
                        window("t-deal", "live", 60, 1000, 20),
                        // after the shift (05:01:30, so from 05:02)
                        window("t-deal", "holdout", 120, 1000, 10),
                        window("t-deal", "live", 120, 1000, 20),
                        window("t-universe", "holdout", 130, 1000, 10),
                        window("t-universe", "live", 130, 1000, 10),
                        // the newest bucket: clicks still to come
                        window("t-deal", "holdout", 180, 500, 1),
                        window("t-deal", "live", 180, 500, 0));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        AdaptationReport.write(
                windows,
                T0.plusSeconds(90),
                60_000,
                // 05:03 still awaits late clicks; 05:02 ended over a minute ago
                T0.plusSeconds(270),
                out,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(
                text.contains(
                        "all channels   holdout 0.0100 ± 0.0044 (2,000)  live 0.0150 ± 0.0053"
                                + " (2,000)  live/holdout 1.50"),
                text);
        assertTrue(text.contains("t-deal         holdout 0.0100"), text);
        assertTrue(text.contains("live/holdout 2.00"), text);
        assertTrue(text.contains("(incomplete: late clicks to come)"), text);
        List<String> csv = Files.readAllLines(out.resolve("ctr-by-arm.csv"));
        assertEquals(
                "bucket_start,holdout_impressions,holdout_clicks,holdout_ctr,"
                        + "live_impressions,live_clicks,live_ctr,complete",
                csv.get(0));
        assertEquals(5, csv.size());
        assertTrue(csv.get(4).startsWith("2026-12-04T05:03:00Z,500,1,"), csv.get(4));
        assertTrue(csv.get(4).endsWith(",false"), csv.get(4));
        String svg = Files.readString(out.resolve("ctr-by-arm.svg"));
        assertTrue(svg.contains(">shift</text>"), svg);
        // three complete buckets per arm, the newest left off
        for (String polyline : svg.split("<polyline")) {
            if (polyline.contains("points=")) {
                String points = polyline.substring(polyline.indexOf("points=\"") + 8);
                points = points.substring(0, points.indexOf('"'));
                assertEquals(3, points.split(" ").length, points);
            }
        }
        assertFalse(svg.contains("NaN"), svg);
    }

    private static RecoMetrics window(
            String channel, String arm, long secondsIn, long impressions, long clicks) {
        Instant start = T0.plusSeconds(secondsIn);
        return RecoMetrics.newBuilder()
                .setChannel(channel)
                .setModelVersion("v1")
                .setExperimentArm(arm)
                .setWindowStart(start)
                .setWindowEnd(start.plusSeconds(10))
                .setImpressions(impressions)
                .setClicks(clicks)
                .setConverts(0)
                .setDismissals(0)
                .setCtr((double) clicks / impressions)
                .setConversionRate(0)
                .build();
    }
}
