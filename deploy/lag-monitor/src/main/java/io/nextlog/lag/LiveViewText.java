package io.nextlog.lag;

import io.nextlog.lag.LiveSnapshot.GroupLag;
import io.nextlog.lag.LiveSnapshot.ReleaseHistory;
import io.nextlog.lag.LiveSnapshot.ResponseTally;
import io.nextlog.lag.LiveSnapshot.ScorerStatus;
import io.nextlog.lag.LiveSnapshot.TopicFlow;
import io.nextlog.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.Nullable;

/**
 * Turns a {@link LiveSnapshot} into plain text lines: fixed-width tables no wider than {@value
 * #WIDTH} columns, no colour, no cursor codes, so the same lines serve a terminal, a log file and a
 * test. Unknown figures print as {@code -}.
 */
public final class LiveViewText {

    /** No line is wider. */
    public static final int WIDTH = 100;

    /** Rows of the table per model version and arm; the rest are counted in one line. */
    static final int MAX_ARM_ROWS = 12;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    private LiveViewText() {}

    /** The lines of one snapshot, top to bottom. */
    public static List<String> render(LiveSnapshot snapshot) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "nextlog live view   "
                        + TIME.format(snapshot.takenAt())
                        + "   "
                        + (snapshot.interval() == null
                                ? "rates from the next refresh on"
                                : "rates over the last " + seconds(snapshot.interval()) + " s"));
        lines.add("");
        flows(snapshot, lines);
        lines.add("");
        channels(snapshot, lines);
        lines.add("");
        releases(snapshot, lines);
        lines.add("");
        scorer(snapshot.scorer(), lines);
        groups(snapshot.groups(), lines);
        if (snapshot.badRecords() > 0) {
            lines.add("");
            lines.add(
                    "skipped "
                            + count(snapshot.badRecords())
                            + " records of reco-metrics/model-releases that did not decode");
        }
        return lines.stream().map(LiveViewText::fit).toList();
    }

    private static void flows(LiveSnapshot snapshot, List<String> lines) {
        String row = "%-16s %-32s %14s %16s";
        lines.add(String.format(Locale.ROOT, row, "FLOW", "TOPIC", "PER SECOND", "OFFSETS"));
        long recommendations = 0;
        for (TopicFlow flow : snapshot.recommendations()) {
            recommendations += flow.endOffsets();
        }
        lines.add(flowRow(row, "events in", snapshot.behaviorEvents()));
        lines.add(
                String.format(
                        Locale.ROOT,
                        row,
                        "recommendations",
                        snapshot.recommendations().size() + " channel topics",
                        rate(snapshot.recommendationsPerSecond()),
                        count(recommendations)));
        lines.add(flowRow(row, "feedback joined", snapshot.trainingExamples()));
    }

    private static String flowRow(String row, String label, TopicFlow flow) {
        return String.format(
                Locale.ROOT,
                row,
                label,
                flow.topic(),
                rate(flow.perSecond()),
                count(flow.endOffsets()));
    }

    /** One row per channel seen in a recommendations topic or in the metrics. */
    private static void channels(LiveSnapshot snapshot, List<String> lines) {
        Map<String, TopicFlow> flows = new TreeMap<>();
        for (TopicFlow flow : snapshot.recommendations()) {
            flows.put(flow.topic().substring(TopicCatalog.RECOMMENDATIONS_PREFIX.length()), flow);
        }
        Map<String, ResponseTally> tallies = new TreeMap<>();
        for (ResponseTally tally : snapshot.channels()) {
            tallies.put(tally.channel(), tally);
        }
        TreeSet<String> ids = new TreeSet<>(flows.keySet());
        ids.addAll(tallies.keySet());

        String row = "%-24s %11s %13s %10s %9s %9s";
        lines.add(
                String.format(
                        Locale.ROOT,
                        row,
                        "CHANNEL",
                        "RECOS/S",
                        "IMPRESSIONS",
                        "CLICKS",
                        "CTR",
                        "CONV"));
        if (ids.isEmpty()) {
            lines.add("(no recommendation topics and no online metrics yet)");
        }
        for (String id : ids) {
            TopicFlow flow = flows.get(id);
            ResponseTally tally = tallies.get(id);
            lines.add(
                    String.format(
                            Locale.ROOT,
                            row,
                            clip(id, 24),
                            flow == null ? "-" : rate(flow.perSecond()),
                            tally == null ? "-" : count(tally.impressions()),
                            tally == null ? "-" : count(tally.clicks()),
                            tally == null ? "-" : percent(tally.ctr()),
                            tally == null ? "-" : percent(tally.conversionRate())));
        }
    }

    private static void releases(LiveSnapshot snapshot, List<String> lines) {
        ReleaseHistory history = snapshot.releases();
        if (history.liveVersion() == null) {
            lines.add("MODEL  no release in model-releases yet");
        } else {
            lines.add(
                    "MODEL  live "
                            + history.liveVersion()
                            + " for "
                            + age(history.liveAge(snapshot.takenAt()))
                            + " ("
                            + history.liveKind()
                            + ", sequence "
                            + history.latestSequence()
                            + ")");
            lines.add(
                    "       releases in model-releases: "
                            + history.publishes()
                            + " published, "
                            + history.rollbacks()
                            + " rolled back");
        }
        List<ResponseTally> arms = ordered(snapshot.arms(), history.liveVersion());
        if (arms.isEmpty()) {
            return;
        }
        String row = "%-32s %-16s %13s %10s %9s %9s";
        lines.add(
                String.format(
                        Locale.ROOT,
                        row,
                        "MODEL VERSION",
                        "ARM",
                        "IMPRESSIONS",
                        "CLICKS",
                        "CTR",
                        "CONV"));
        for (ResponseTally tally : arms.subList(0, Math.min(MAX_ARM_ROWS, arms.size()))) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            row,
                            clip(tally.modelVersion(), 32),
                            clip(tally.arm(), 16),
                            count(tally.impressions()),
                            count(tally.clicks()),
                            percent(tally.ctr()),
                            percent(tally.conversionRate())));
        }
        if (arms.size() > MAX_ARM_ROWS) {
            lines.add("... and " + (arms.size() - MAX_ARM_ROWS) + " more version/arm rows");
        }
    }

    /**
     * The live version's arms first, then the other versions by the offers they have shown, most
     * first; a version's arms stay together in arm order, so rows do not jump between refreshes.
     */
    private static List<ResponseTally> ordered(
            List<ResponseTally> arms, @Nullable String liveVersion) {
        Map<String, Long> shown = new HashMap<>();
        for (ResponseTally tally : arms) {
            shown.merge(tally.modelVersion(), tally.impressions(), Long::sum);
        }
        List<ResponseTally> ordered = new ArrayList<>(arms);
        ordered.sort(
                Comparator.comparing((ResponseTally t) -> !t.modelVersion().equals(liveVersion))
                        .thenComparing(t -> shown.get(t.modelVersion()), Comparator.reverseOrder())
                        .thenComparing(ResponseTally::modelVersion)
                        .thenComparing(ResponseTally::arm));
        return ordered;
    }

    private static void scorer(@Nullable ScorerStatus scorer, List<String> lines) {
        if (scorer == null) {
            return;
        }
        if (scorer.error() != null) {
            lines.add("SCORER " + scorer.url() + "  not read: " + scorer.error());
        } else {
            lines.add(
                    "SCORER "
                            + scorer.url()
                            + "  live "
                            + (scorer.liveVersion() == null ? "-" : scorer.liveVersion())
                            + "  swaps "
                            + scorer.swaps()
                            + "  refused "
                            + scorer.refusedBundles()
                            + "  stale "
                            + scorer.staleReleases());
        }
        lines.add("");
    }

    private static void groups(List<GroupLag> groups, List<String> lines) {
        String row = "%-52s %15s %14s %15s";
        lines.add(
                String.format(
                        Locale.ROOT, row, "CONSUMER GROUP", "LAG (RECORDS)", "LAG (S)", "LOST"));
        if (groups.isEmpty()) {
            lines.add("(no consumer group has committed offsets yet)");
        }
        for (GroupLag group : groups) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            row,
                            clip(group.group(), 52),
                            count(group.lagRecords()),
                            group.maxLagTime() == null ? "-" : seconds(group.maxLagTime()),
                            group.lostRecords() == 0 ? "0" : count(group.lostRecords()) + " LOST"));
        }
    }

    static String rate(@Nullable Double perSecond) {
        return perSecond == null ? "-" : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    /** An age people read at a glance: {@code 42 s}, {@code 3 min 5 s}, {@code 2 h 4 min}. */
    static String age(@Nullable Duration age) {
        if (age == null) {
            return "-";
        }
        long s = age.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }

    /** Cuts {@code text} to {@code width} columns, marking a cut with a final {@code ~}. */
    static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    private static String fit(String line) {
        return clip(line.stripTrailing(), WIDTH);
    }
}
