package io.nextlog.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nextlog.schemas.event.JourneyStep;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * Restores the keyed state written by earlier state layouts (kept in {@code
 * src/test/resources/state}, see {@link StateLayouts}) into today's operators on RocksDB: a job
 * upgraded from a savepoint must keep every journey and every user's contact history.
 */
class StateLayoutCompatibilityTest {

    @Test
    void shouldKeepJourneysWrittenByLayout1() throws Exception {
        try (var harness = StateLayouts.journeyHarness(new EmbeddedRocksDBStateBackend(false))) {
            harness.setup();
            harness.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            snapshot("layout-1", StateLayouts.JOURNEY)));
            harness.open();
            harness.processElement(new StreamRecord<>(JobInput.of(StateLayouts.event(5))));

            List<ScoringTask> tasks = harness.extractOutputValues();
            List<String> items =
                    Arrays.stream(tasks.get(tasks.size() - 1).journey)
                            .map(JourneyStep::getItem)
                            .toList();
            assertEquals(List.of("app:0", "app:1", "app:2", "app:3", "app:4", "app:5"), items);
        }
    }

    @Test
    void shouldKeepOffersAndDismissalsWrittenByLayout1() throws Exception {
        try (var harness = StateLayouts.policyHarness(new EmbeddedRocksDBStateBackend(false))) {
            harness.setup();
            harness.initializeState(
                    OperatorSnapshotUtil.readStateHandle(
                            snapshot("layout-1", StateLayouts.POLICY)));
            harness.open();
            harness.setProcessingTime(StateLayouts.T0.plusSeconds(60).toEpochMilli());
            harness.processElement1(
                    new StreamRecord<>(StateLayouts.scored("rec-2", "td:a", "td:b", "td:c")));

            PolicyOutput out = harness.extractOutputValues().get(0);
            assertNull(out.contact, "td:a was already placed before the upgrade");
            assertEquals(
                    List.of("td:a", "td:c"),
                    StateLayouts.items(out.recommendation),
                    "td:b stays dismissed");
        }
    }

    private static String snapshot(String layout, String file) throws Exception {
        URL url = StateLayoutCompatibilityTest.class.getResource("/state/" + layout + "/" + file);
        if (url == null) {
            throw new IllegalStateException(
                    "state/" + layout + "/" + file + " missing from the test classpath");
        }
        return Path.of(url.toURI()).toString();
    }
}
