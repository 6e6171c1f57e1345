package io.nextlog.trainer.release;

import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.RecoMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judges the live model by its experiment arm against the holdout arm that the pinned baseline
 * serves, from the {@code reco-metrics} windows.
 *
 * <p>Releases are frequent, so one version rarely earns enough impressions alone. The judge
 * therefore measures the <em>suspects</em>: walking back from the live release to the last cleared
 * one, every version that served the live arm and was not already found worse. Their live-arm
 * impressions and clicks are summed, as are the holdout arm's from the oldest suspect's release on.
 * Once both sides have {@code minImpressions}, the live arm's CTR is compared with the holdout's: a
 * relative drop above {@code maxRelativeDrop} asks for a rollback to the newest release before the
 * oldest suspect that was never found worse (a child inherits its parent's weights, so nothing
 * after a suspect is trusted); otherwise every suspect is cleared.
 *
 * <p>The feedback updater windows a response by when its recommendation was made, so a window's
 * clicks keep arriving after it ends; the maturity delay waits for most of them before a window
 * counts, on both arms alike.
 *
 * <p>Windows are kept by channel, version, arm and start; a window the updater re-emits with more
 * counts replaces the earlier emission, so updates are not counted twice. Not thread-safe.
 */
public final class HoldoutJudge {

    /** What the judge decided. */
    public sealed interface Verdict {}

    /** Not enough impressions yet, on the side and count given. */
    public record Wait(String reason) implements Verdict {}

    /** The suspects did as well as the holdout (within the allowed drop) and are cleared. */
    public record Keep(String reason) implements Verdict {}

    /** The suspects did worse; roll back to {@code toVersion} (null when there is none). */
    public record Rollback(String toVersion, String reason) implements Verdict {}

    private record WindowKey(String channel, String version, String arm, long windowStart) {}

    private record Counts(long impressions, long clicks, long windowEndMs) {}

    private final Set<String> baselineArms;
    private final long minImpressions;
    private final double maxRelativeDrop;
    private final Duration maturity;
    private final Map<WindowKey, Counts> windows = new HashMap<>();
    private final Set<String> cleared = new HashSet<>();

    /**
     * @param baselineArms the arms the pinned baseline serves (such as {@code holdout})
     * @param minImpressions impressions each side needs before a comparison
     * @param maxRelativeDrop the largest allowed relative CTR drop of the live arm, such as 0.3
     */
    public HoldoutJudge(Set<String> baselineArms, long minImpressions, double maxRelativeDrop) {
        this(baselineArms, minImpressions, maxRelativeDrop, Duration.ZERO);
    }

    /**
     * @param baselineArms the arms the pinned baseline serves (such as {@code holdout})
     * @param minImpressions impressions each side needs before a comparison
     * @param maxRelativeDrop the largest allowed relative CTR drop of the live arm, such as 0.3
     * @param maturity how long after a window ends its clicks are taken as complete: a click comes
     *     seconds after its impression, so a fresh window of a new release would show a CTR near 0
     *     beside the holdout's long-matured traffic; younger windows are not counted
     */
    public HoldoutJudge(
            Set<String> baselineArms,
            long minImpressions,
            double maxRelativeDrop,
            Duration maturity) {
        if (baselineArms.isEmpty() || minImpressions < 1 || !(maxRelativeDrop > 0)) {
            throw new IllegalArgumentException(
                    "holdout guard: expected baseline arms, minImpressions >= 1 and"
                            + " maxRelativeDrop > 0, found "
                            + baselineArms
                            + ", "
                            + minImpressions
                            + " and "
                            + maxRelativeDrop);
        }
        this.baselineArms = Set.copyOf(baselineArms);
        this.minImpressions = minImpressions;
        this.maxRelativeDrop = maxRelativeDrop;
        this.maturity = maturity;
    }

    /** Takes in one window (or a newer emission of it). */
    public void add(RecoMetrics window) {
        windows.put(
                new WindowKey(
                        window.getChannel(),
                        window.getModelVersion(),
                        window.getExperimentArm(),
                        window.getWindowStart().toEpochMilli()),
                new Counts(
                        window.getImpressions(),
                        window.getClicks(),
                        window.getWindowEnd().toEpochMilli()));
    }

    /** Marks a version as good, such as the first release, whose parent is not on the log. */
    public void clear(String version) {
        cleared.add(version);
    }

    /**
     * Judges the releases so far.
     *
     * @param history every release in sequence order
     * @param worse versions already found worse; never suspects, never rollback targets
     */
    public Verdict judge(List<ModelRelease> history, Set<String> worse) {
        return judge(history, worse, Instant.now());
    }

    /** Judges as of {@code now}: windows that ended less than the maturity before it wait. */
    public Verdict judge(List<ModelRelease> history, Set<String> worse, Instant now) {
        if (history.isEmpty()) {
            return new Wait("no release yet");
        }
        long matureBeforeMs = now.minus(maturity).toEpochMilli();
        Map<String, long[]> liveByVersion = new HashMap<>();
        for (Map.Entry<WindowKey, Counts> entry : windows.entrySet()) {
            if (entry.getValue().windowEndMs() > matureBeforeMs) {
                continue;
            }
            if (!baselineArms.contains(entry.getKey().arm())) {
                long[] sums =
                        liveByVersion.computeIfAbsent(entry.getKey().version(), v -> new long[2]);
                sums[0] += entry.getValue().impressions();
                sums[1] += entry.getValue().clicks();
            }
        }
        // Walk back to the last cleared release; the uncleared versions that served the live arm
        // are the suspects, and the oldest of their releases starts the comparison.
        Set<String> suspects = new LinkedHashSet<>();
        int oldestSuspect = -1;
        for (int i = history.size() - 1; i >= 0; i--) {
            String version = history.get(i).getVersion();
            if (cleared.contains(version)) {
                break;
            }
            long[] sums = liveByVersion.get(version);
            if (!worse.contains(version) && sums != null && sums[0] > 0) {
                suspects.add(version);
                oldestSuspect = i;
            }
        }
        if (suspects.isEmpty()) {
            return new Wait(
                    "no live-arm impressions of an uncleared release since "
                            + history.get(history.size() - 1).getVersion()
                            + " went live");
        }
        long sinceMs = history.get(oldestSuspect).getPublishedAt().toEpochMilli();
        long liveImpressions = 0;
        long liveClicks = 0;
        for (String version : suspects) {
            liveImpressions += liveByVersion.get(version)[0];
            liveClicks += liveByVersion.get(version)[1];
        }
        long baseImpressions = 0;
        long baseClicks = 0;
        for (Map.Entry<WindowKey, Counts> entry : windows.entrySet()) {
            Counts counts = entry.getValue();
            if (baselineArms.contains(entry.getKey().arm())
                    && counts.windowEndMs() > sinceMs
                    && counts.windowEndMs() <= matureBeforeMs) {
                baseImpressions += counts.impressions();
                baseClicks += counts.clicks();
            }
        }
        if (liveImpressions < minImpressions || baseImpressions < minImpressions) {
            return new Wait(
                    String.format(
                            Locale.ROOT,
                            "live arm %d and holdout %d impressions for %s, %d each needed",
                            liveImpressions,
                            baseImpressions,
                            suspects,
                            minImpressions));
        }
        double liveCtr = (double) liveClicks / liveImpressions;
        double baseCtr = (double) baseClicks / baseImpressions;
        double drop = baseCtr > 0 ? (baseCtr - liveCtr) / baseCtr : 0;
        String comparison =
                String.format(
                        Locale.ROOT,
                        "live arm CTR %.4f over %d impressions of %s vs holdout %.4f over %d:"
                                + " %.0f%% below, %.0f%% allowed",
                        liveCtr,
                        liveImpressions,
                        suspects,
                        baseCtr,
                        baseImpressions,
                        100 * drop,
                        100 * maxRelativeDrop);
        if (drop <= maxRelativeDrop) {
            cleared.addAll(suspects);
            return new Keep(comparison);
        }
        // Children inherit their parent's weights, so go back to before the oldest suspect.
        String target = null;
        for (int i = oldestSuspect - 1; i >= 0 && target == null; i--) {
            String version = history.get(i).getVersion();
            if (!worse.contains(version) && !suspects.contains(version)) {
                target = version;
            }
        }
        return new Rollback(target, comparison);
    }
}
