package io.nextlog.lag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes lag readings in the Prometheus text format under the names the popular Kafka lag exporters
 * use, so existing SRE dashboards and alerts work unchanged:
 *
 * <ul>
 *   <li>{@code kafka_consumergroup_group_lag{group,topic,partition}}: records behind
 *   <li>{@code kafka_consumergroup_group_lag_seconds{group,topic,partition}}: age of the oldest
 *       record not yet consumed
 *   <li>{@code kafka_consumergroup_group_max_lag{group}} and {@code
 *       kafka_consumergroup_group_max_lag_seconds{group}}: the worst partition
 *   <li>{@code kafka_partition_earliest_offset{topic,partition}} and {@code
 *       kafka_partition_latest_offset{topic,partition}}
 *   <li>{@code nextlog_consumergroup_lost_records{group,topic,partition}}: records retention
 *       deleted before the group read them; above 0 means the group fell behind retention
 * </ul>
 */
public final class LagMetrics {

    private LagMetrics() {}

    /** Returns the exposition text for readings of any number of groups. */
    public static String format(List<PartitionLag> lags) {
        StringBuilder out = new StringBuilder();
        header(out, "kafka_consumergroup_group_lag", "Records the group has not consumed yet.");
        for (PartitionLag lag : lags) {
            sample(out, "kafka_consumergroup_group_lag", partitionLabels(lag), lag.lagRecords());
        }
        header(
                out,
                "kafka_consumergroup_group_lag_seconds",
                "Age of the oldest record the group has not consumed yet, from its timestamp.");
        for (PartitionLag lag : lags) {
            if (lag.lagTime() == null) {
                continue; // unknown: no sample rather than a false zero
            }
            sample(
                    out,
                    "kafka_consumergroup_group_lag_seconds",
                    partitionLabels(lag),
                    lag.lagTime().toMillis() / 1000.0);
        }
        maxima(out, lags);
        offsets(out, lags);
        header(
                out,
                "nextlog_consumergroup_lost_records",
                "Records deleted by retention before the group read them.");
        for (PartitionLag lag : lags) {
            sample(
                    out,
                    "nextlog_consumergroup_lost_records",
                    partitionLabels(lag),
                    lag.lostRecords());
        }
        return out.toString();
    }

    private static void maxima(StringBuilder out, List<PartitionLag> lags) {
        Map<String, long[]> maxRecords = new LinkedHashMap<>();
        Map<String, double[]> maxSeconds = new LinkedHashMap<>();
        for (PartitionLag lag : lags) {
            long[] records = maxRecords.computeIfAbsent(lag.group(), g -> new long[1]);
            records[0] = Math.max(records[0], lag.lagRecords());
            double[] seconds = maxSeconds.computeIfAbsent(lag.group(), g -> new double[1]);
            if (lag.lagTime() != null) {
                seconds[0] = Math.max(seconds[0], lag.lagTime().toMillis() / 1000.0);
            }
        }
        header(out, "kafka_consumergroup_group_max_lag", "The group's largest partition lag.");
        maxRecords.forEach(
                (group, max) ->
                        sample(
                                out,
                                "kafka_consumergroup_group_max_lag",
                                "group=\"" + escape(group) + "\"",
                                max[0]));
        header(
                out,
                "kafka_consumergroup_group_max_lag_seconds",
                "The group's largest partition lag in seconds.");
        maxSeconds.forEach(
                (group, max) ->
                        sample(
                                out,
                                "kafka_consumergroup_group_max_lag_seconds",
                                "group=\"" + escape(group) + "\"",
                                max[0]));
    }

    private static void offsets(StringBuilder out, List<PartitionLag> lags) {
        Map<String, PartitionLag> byPartition = new LinkedHashMap<>();
        for (PartitionLag lag : lags) {
            byPartition.putIfAbsent(lag.partition().toString(), lag);
        }
        header(out, "kafka_partition_earliest_offset", "First offset still in the log.");
        for (PartitionLag lag : byPartition.values()) {
            sample(out, "kafka_partition_earliest_offset", topicLabels(lag), lag.logStartOffset());
        }
        header(out, "kafka_partition_latest_offset", "Offset the next record will get.");
        for (PartitionLag lag : byPartition.values()) {
            sample(out, "kafka_partition_latest_offset", topicLabels(lag), lag.logEndOffset());
        }
    }

    private static String partitionLabels(PartitionLag lag) {
        return "group=\"" + escape(lag.group()) + "\"," + topicLabels(lag);
    }

    private static String topicLabels(PartitionLag lag) {
        return "topic=\""
                + escape(lag.partition().topic())
                + "\",partition=\""
                + lag.partition().partition()
                + "\"";
    }

    private static void header(StringBuilder out, String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append('{').append(labels).append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
