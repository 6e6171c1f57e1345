package io.nextlog.lag;

import io.nextlog.lag.LiveSnapshot.ScorerStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the counters the live view shows from the scorer service's {@code GET /metrics} page
 * (Prometheus text, written by the scorer's {@code ScorerMetrics}): {@value #SWAPS}, {@value
 * #REFUSED}, {@value #STALE} and the {@code version} label of {@value #LIVE_MODEL}.
 */
final class ScorerMetricsPage {

    static final String SWAPS = "nextlog_scorer_model_swaps_total";
    static final String REFUSED = "nextlog_scorer_refused_bundles_total";
    static final String STALE = "nextlog_scorer_stale_releases_total";
    static final String LIVE_MODEL = "nextlog_scorer_live_model";

    private static final Pattern LIVE_VERSION =
            Pattern.compile("\\{.*?version=\"((?:[^\"\\\\]|\\\\.)*)\".*?}");

    private ScorerMetricsPage() {}

    /**
     * Parses one page. A counter the page lacks reads 0; a page without any of the three counters
     * is not the scorer's and reads as an error.
     */
    static ScorerStatus parse(String url, String page) {
        long swaps = 0;
        long refused = 0;
        long stale = 0;
        int found = 0;
        String liveVersion = null;
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String series = line.substring(0, space);
            String value = line.substring(space + 1).trim();
            switch (series) {
                case SWAPS -> swaps = count(value);
                case REFUSED -> refused = count(value);
                case STALE -> stale = count(value);
                default -> {
                    if (series.startsWith(LIVE_MODEL + "{")) {
                        liveVersion = liveVersion(series);
                    }
                    continue;
                }
            }
            found++;
        }
        if (found == 0) {
            return ScorerStatus.unreachable(
                    url, "expected the scorer's " + SWAPS + ", found a page without it");
        }
        return new ScorerStatus(url, liveVersion, swaps, refused, stale, null);
    }

    private static long count(String value) {
        try {
            return (long) Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String liveVersion(String series) {
        Matcher m = LIVE_VERSION.matcher(series.substring(LIVE_MODEL.length()));
        if (!m.matches()) {
            return null;
        }
        String version = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        return version.isEmpty() ? null : version;
    }
}
