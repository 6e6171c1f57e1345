package io.nextlog.launcher;

import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * CTR over time per experiment arm, read from {@code reco-metrics} of a running (or just run)
 * platform: the updating arm ({@code live}, served by the newest release) against the static
 * baseline ({@code holdout}, the pinned pre-trained model) in the same run. Writes a CSV and an SVG
 * chart, with the preference shift marked when given. Windows go by recommendation time, so a
 * bucket lacks late clicks until {@link #LATE_CLICKS} after its end: such buckets are marked
 * incomplete in the CSV and left off the chart.
 *
 * <p>With a shift it also prints each arm's totals after it, over all channels and per channel,
 * with a 95% interval ({@code ±1.96·sqrt(ctr·(1-ctr)/impressions)}, which treats impressions as
 * independent; a customer's impressions are not quite), leaving incomplete buckets out.
 *
 * <pre>
 * java -cp ... io.nextlog.launcher.AdaptationReport --out /tmp/adaptation-seed42 \
 *     [--shift-at 2026-12-04T00:10:00Z] [--bucket-s 60]
 * </pre>
 */
public final class AdaptationReport {

    /**
     * How long after its impression a click may still come: the synthetic world clicks 5 to 60 s
     * after it. A bucket younger than its end plus this lacks some of its clicks.
     */
    static final Duration LATE_CLICKS = Duration.ofSeconds(60);

    private AdaptationReport() {}

    /** Clicks and impressions of one arm in one time bucket. */
    private static final class Tally {
        long impressions;
        long clicks;

        double ctr() {
            return impressions == 0 ? Double.NaN : (double) clicks / impressions;
        }

        /** Half the width of the 95% normal interval of {@link #ctr()}. */
        double margin() {
            double ctr = ctr();
            return 1.96 * Math.sqrt(ctr * (1 - ctr) / impressions);
        }

        void add(RecoMetrics window) {
            impressions += window.getImpressions();
            clicks += window.getClicks();
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        Path out = Path.of(flags.getOrDefault("--out", "adaptation"));
        long bucketMs = 1000L * Long.parseLong(flags.getOrDefault("--bucket-s", "60"));
        Instant shiftAt =
                flags.containsKey("--shift-at") ? Instant.parse(flags.get("--shift-at")) : null;
        Map<String, RecoMetrics> windows =
                read(
                        flags.getOrDefault("--bootstrap-servers", "127.0.0.1:9092"),
                        flags.getOrDefault(
                                "--registry-url", "http://127.0.0.1:8081/apis/ccompat/v7"));
        write(windows.values(), shiftAt, bucketMs, Instant.now(), out, System.out);
    }

    /**
     * Writes {@code ctr-by-arm.csv} and {@code ctr-by-arm.svg} of {@code windows} into {@code out}
     * and prints the buckets, and the totals after {@code shiftAt} when given, to {@code console}.
     * A bucket is complete when {@link #LATE_CLICKS} have passed since its end at {@code now}.
     */
    static void write(
            Collection<RecoMetrics> windows,
            @Nullable Instant shiftAt,
            long bucketMs,
            Instant now,
            Path out,
            PrintStream console)
            throws IOException {
        // arm -> bucket start -> tally, summed over channels and model versions
        Map<String, TreeMap<Long, Tally>> byArm = new TreeMap<>();
        for (RecoMetrics window : windows) {
            long bucket =
                    Math.floorDiv(window.getWindowStart().toEpochMilli(), bucketMs) * bucketMs;
            byArm.computeIfAbsent(window.getExperimentArm().toString(), a -> new TreeMap<>())
                    .computeIfAbsent(bucket, b -> new Tally())
                    .add(window);
        }
        Files.createDirectories(out);
        TreeSet<Long> buckets = new TreeSet<>();
        byArm.values().forEach(m -> buckets.addAll(m.keySet()));
        List<String> arms = new ArrayList<>(byArm.keySet());
        StringBuilder csv = new StringBuilder("bucket_start");
        for (String arm : arms) {
            csv.append(',').append(arm).append("_impressions,").append(arm).append("_clicks,");
            csv.append(arm).append("_ctr");
        }
        csv.append(",complete\n");
        // the first bucket whose end plus the late clicks is still to come
        long firstIncomplete =
                Math.floorDiv(now.minus(LATE_CLICKS).toEpochMilli(), bucketMs) * bucketMs;
        for (long bucket : buckets) {
            csv.append(Instant.ofEpochMilli(bucket));
            StringBuilder line = new StringBuilder(Instant.ofEpochMilli(bucket).toString());
            for (String arm : arms) {
                Tally t = byArm.get(arm).getOrDefault(bucket, new Tally());
                csv.append(
                        String.format(
                                Locale.ROOT, ",%d,%d,%.4f", t.impressions, t.clicks, t.ctr()));
                line.append(
                        String.format(Locale.ROOT, "  %s %.4f (%d)", arm, t.ctr(), t.impressions));
            }
            boolean complete = bucket < firstIncomplete;
            csv.append(complete ? ",true\n" : ",false\n");
            console.println(complete ? line : line.append("  (incomplete: late clicks to come)"));
        }
        if (shiftAt != null && !buckets.isEmpty()) {
            printAfterShift(console, windows, shiftAt, firstIncomplete, bucketMs);
        }
        Files.writeString(out.resolve("ctr-by-arm.csv"), csv);
        Files.writeString(
                out.resolve("ctr-by-arm.svg"),
                svg(completeBuckets(byArm, firstIncomplete), shiftAt));
        console.println("wrote " + out.resolve("ctr-by-arm.csv") + " and ctr-by-arm.svg");
    }

    /**
     * Each arm's totals over the buckets that start at or after the shift, up to but not including
     * {@code firstIncomplete}: all channels first, then each channel.
     */
    private static void printAfterShift(
            PrintStream console,
            Collection<RecoMetrics> windows,
            Instant shiftAt,
            long firstIncomplete,
            long bucketMs) {
        long from = Math.floorDiv(shiftAt.toEpochMilli() + bucketMs - 1, bucketMs) * bucketMs;
        // channel ("" for all) -> arm -> tally
        Map<String, TreeMap<String, Tally>> byChannel = new TreeMap<>();
        for (RecoMetrics window : windows) {
            long start = window.getWindowStart().toEpochMilli();
            if (start < from || start >= firstIncomplete) {
                continue;
            }
            String arm = window.getExperimentArm().toString();
            for (String channel : List.of("", window.getChannel().toString())) {
                byChannel
                        .computeIfAbsent(channel, c -> new TreeMap<>())
                        .computeIfAbsent(arm, a -> new Tally())
                        .add(window);
            }
        }
        console.printf(
                "after the shift, %s to %s:%n",
                Instant.ofEpochMilli(from), Instant.ofEpochMilli(firstIncomplete));
        byChannel.forEach(
                (channel, arms) -> {
                    StringBuilder line =
                            new StringBuilder(
                                    String.format(
                                            Locale.ROOT,
                                            "  %-13s",
                                            channel.isEmpty() ? "all channels" : channel));
                    arms.forEach(
                            (arm, t) ->
                                    line.append(
                                            String.format(
                                                    Locale.ROOT,
                                                    "  %s %.4f ± %.4f (%,d)",
                                                    arm,
                                                    t.ctr(),
                                                    t.margin(),
                                                    t.impressions)));
                    Tally live = arms.get("live");
                    Tally holdout = arms.get("holdout");
                    if (live != null && holdout != null && holdout.clicks > 0) {
                        line.append(
                                String.format(
                                        Locale.ROOT,
                                        "  live/holdout %.2f",
                                        live.ctr() / holdout.ctr()));
                    }
                    console.println(line);
                });
    }

    /** Every window of {@code reco-metrics}, the latest emission of each. */
    private static Map<String, RecoMetrics> read(String bootstrap, String registryUrl) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        RegistryAvroDeserializer<RecoMetrics> values =
                new RegistryAvroDeserializer<>(
                        new SchemaRegistryClient(registryUrl), RecoMetrics.class);
        Map<String, RecoMetrics> windows = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(TopicCatalog.RECO_METRICS).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        continue;
                    }
                    RecoMetrics window =
                            values.decode(
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    record.value());
                    windows.put(record.key() + "@" + window.getWindowStart(), window);
                }
            }
        }
        return windows;
    }

    /** The series without the buckets from {@code firstIncomplete} on. */
    private static Map<String, TreeMap<Long, Tally>> completeBuckets(
            Map<String, TreeMap<Long, Tally>> byArm, long firstIncomplete) {
        Map<String, TreeMap<Long, Tally>> complete = new TreeMap<>();
        byArm.forEach(
                (arm, series) -> complete.put(arm, new TreeMap<>(series.headMap(firstIncomplete))));
        return complete;
    }

    private static String svg(Map<String, TreeMap<Long, Tally>> byArm, @Nullable Instant shiftAt) {
        TreeSet<Long> buckets = new TreeSet<>();
        byArm.values().forEach(series -> buckets.addAll(series.keySet()));
        int width = 720;
        int height = 360;
        int left = 60;
        int bottom = 40;
        int top = 30;
        int right = 20;
        if (buckets.isEmpty()) {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";
        }
        long first = buckets.first();
        long last = Math.max(buckets.last(), first + 1);
        double maxCtr = 0.01;
        for (TreeMap<Long, Tally> series : byArm.values()) {
            for (Tally t : series.values()) {
                if (Double.isFinite(t.ctr())) {
                    maxCtr = Math.max(maxCtr, t.ctr());
                }
            }
        }
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        StringBuilder svg = new StringBuilder();
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                                + " font-family=\"sans-serif\" font-size=\"12\">%n",
                        width,
                        height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"18\">CTR per arm over time (minutes from %s)</text>%n",
                        left,
                        Instant.ofEpochMilli(first)));
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n<line"
                                + " x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                        left,
                        height - bottom,
                        width - right,
                        height - bottom,
                        left,
                        top,
                        left,
                        height - bottom));
        for (int i = 0; i <= 4; i++) {
            double value = maxCtr * i / 4;
            double y = height - bottom - plotH * i / 4;
            svg.append(
                    String.format(
                            Locale.ROOT, "<text x=\"5\" y=\"%.1f\">%.3f</text>%n", y + 4, value));
        }
        double minutes = (last - first) / 60_000.0;
        for (int i = 0; i <= 4; i++) {
            double x = left + plotW * i / 4;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\">%.0f</text>%n",
                            x - 5,
                            height - bottom + 18,
                            minutes * i / 4));
        }
        if (shiftAt != null) {
            double x = left + plotW * (shiftAt.toEpochMilli() - first) / (double) (last - first);
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"gray\""
                                    + " stroke-dasharray=\"4\"/><text x=\"%.1f\""
                                    + " y=\"%d\">shift</text>%n",
                            x,
                            top,
                            x,
                            height - bottom,
                            x + 3,
                            top + 12));
        }
        String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
        int index = 0;
        for (Map.Entry<String, TreeMap<Long, Tally>> series : byArm.entrySet()) {
            String colour = colours[index % colours.length];
            StringBuilder points = new StringBuilder();
            for (Map.Entry<Long, Tally> point : series.getValue().entrySet()) {
                double ctr = point.getValue().ctr();
                if (!Double.isFinite(ctr)) {
                    continue;
                }
                double x = left + plotW * (point.getKey() - first) / (double) (last - first);
                double y = height - bottom - plotH * ctr / maxCtr;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\""
                                    + " points=\"%s\"/>%n<text x=\"%d\" y=\"%d\""
                                    + " fill=\"%s\">%s</text>%n",
                            colour,
                            points.toString().trim(),
                            width - right - 120,
                            top + 14 + 16 * index,
                            colour,
                            series.getKey()));
            index++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }
}
