package io.nextlog.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.junit.jupiter.api.Test;

class IngestJobTest {

    @Test
    void shouldFlushNetworkBuffersWithin5MsInAtLeastOnceMode() {
        Configuration flink =
                IngestJob.flinkConfiguration(
                        new Properties(), TestConfigs.with("delivery=at-least-once"));

        assertEquals(Duration.ofMillis(5), flink.get(ExecutionOptions.BUFFER_TIMEOUT));
    }

    @Test
    void shouldKeepFlinksBufferTimeoutInExactlyOnceMode() {
        Configuration flink =
                IngestJob.flinkConfiguration(
                        new Properties(), TestConfigs.with("delivery=exactly-once"));

        assertFalse(flink.contains(ExecutionOptions.BUFFER_TIMEOUT));
    }

    @Test
    void shouldLetAFlinkKeyOverrideTheAtLeastOnceBufferTimeout() {
        Properties props = new Properties();
        props.setProperty("flink.execution.buffer-timeout.interval", "100 ms");

        Configuration flink =
                IngestJob.flinkConfiguration(props, TestConfigs.with("delivery=at-least-once"));

        assertEquals(Duration.ofMillis(100), flink.get(ExecutionOptions.BUFFER_TIMEOUT));
    }
}
