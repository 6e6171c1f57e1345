package io.nextlog.lag;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LagMetricsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void shouldPublishUnderTheLagExporterNames() {
        List<PartitionLag> lags =
                List.of(
                        new PartitionLag(
                                "ingest",
                                new TopicPartition("behavior-events", 0),
                                40,
                                0,
                                100,
                                T0,
                                Duration.ofMillis(2500)),
                        new PartitionLag(
                                "ingest",
                                new TopicPartition("behavior-events", 1),
                                7,
                                10,
                                12,
                                T0,
                                Duration.ofSeconds(9)));

        String text = LagMetrics.format(lags);

        assertContains(
                text,
                "kafka_consumergroup_group_lag{group=\"ingest\","
                        + "topic=\"behavior-events\",partition=\"0\"}"
                        + " 60");
        assertContains(
                text,
                "kafka_consumergroup_group_lag_seconds{group=\"ingest\","
                        + "topic=\"behavior-events\",partition=\"0\"}"
                        + " 2.5");
        assertContains(text, "kafka_consumergroup_group_max_lag{group=\"ingest\"} 60");
        assertContains(text, "kafka_consumergroup_group_max_lag_seconds{group=\"ingest\"} 9");
        assertContains(
                text,
                "nextlog_consumergroup_lost_records{group=\"ingest\","
                        + "topic=\"behavior-events\",partition=\"1\"}"
                        + " 3");
        assertContains(
                text,
                "kafka_partition_latest_offset{topic=\"behavior-events\",partition=\"1\"} 12");
        assertContains(text, "# TYPE kafka_consumergroup_group_lag gauge");
    }

    @Test
    void shouldEscapeLabelValues() {
        assertTrue(LagMetrics.escape("a\"b\\c").equals("a\\\"b\\\\c"));
    }

    private static void assertContains(String text, String line) {
        assertTrue(text.contains(line + "\n"), () -> "missing line " + line + " in\n" + text);
    }
}
