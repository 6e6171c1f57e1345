package io.nextlog.lag;

import io.nextlog.lag.LiveSnapshot.ResponseTally;
import io.nextlog.schemas.event.RecoMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Online response counts folded from {@code reco-metrics} rows.
 *
 * <p>The feedback updater emits a row each time a window's counts change, not once per window, so a
 * later row for the same channel, model version, arm and window start replaces the earlier one
 * rather than adding to it. Memory grows with the windows read: one small entry per channel,
 * version, arm and window still in the topic (7 days of retention).
 *
 * <p>Not thread-safe: the view reads and folds on one thread.
 */
final class ResponseTotals {

    private record WindowKey(String channel, String modelVersion, String arm, long windowStartMs) {}

    private record Counts(long impressions, long clicks, long converts) {}

    private static final Comparator<ResponseTally> ORDER =
            Comparator.comparing((ResponseTally t) -> String.valueOf(t.channel()))
                    .thenComparing(t -> String.valueOf(t.modelVersion()))
                    .thenComparing(t -> String.valueOf(t.arm()));

    private final Map<WindowKey, Counts> latestByWindow = new HashMap<>();

    /** Takes one row in; a row for a window already seen replaces the earlier one. */
    void add(RecoMetrics row) {
        latestByWindow.put(
                new WindowKey(
                        row.getChannel(),
                        row.getModelVersion(),
                        row.getExperimentArm(),
                        row.getWindowStart().toEpochMilli()),
                new Counts(row.getImpressions(), row.getClicks(), row.getConverts()));
    }

    /** Sums per channel over every version, arm and window, sorted by channel. */
    List<ResponseTally> byChannel() {
        return sum(key -> new ResponseTally(key.channel(), null, null, 0, 0, 0));
    }

    /** Sums per model version and arm over every channel and window, sorted by those two. */
    List<ResponseTally> byArm() {
        return sum(key -> new ResponseTally(null, key.modelVersion(), key.arm(), 0, 0, 0));
    }

    private List<ResponseTally> sum(Function<WindowKey, ResponseTally> group) {
        Map<ResponseTally, long[]> sums = new TreeMap<>(ORDER);
        latestByWindow.forEach(
                (key, counts) -> {
                    long[] sum = sums.computeIfAbsent(group.apply(key), k -> new long[3]);
                    sum[0] += counts.impressions();
                    sum[1] += counts.clicks();
                    sum[2] += counts.converts();
                });
        List<ResponseTally> tallies = new ArrayList<>(sums.size());
        sums.forEach(
                (key, sum) ->
                        tallies.add(
                                new ResponseTally(
                                        key.channel(),
                                        key.modelVersion(),
                                        key.arm(),
                                        sum[0],
                                        sum[1],
                                        sum[2])));
        return tallies;
    }
}
