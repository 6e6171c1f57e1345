package io.nextlog.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nextlog.lag.LiveSnapshot.ReleaseHistory;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.ReleaseKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReleaseLogTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void shouldCountKindsAndTakeTheHighestSequenceAsLive() {
        ReleaseLog log = new ReleaseLog();
        log.add(release(1, ReleaseKind.PUBLISH, "v1", T0));
        log.add(release(3, ReleaseKind.ROLLBACK, "v1", T0.plusSeconds(30)));
        log.add(release(2, ReleaseKind.PUBLISH, "v2", T0.plusSeconds(10))); // read out of order

        ReleaseHistory history = log.history();
        assertEquals(new ReleaseHistory(2, 1, 3, "v1", "ROLLBACK", T0.plusSeconds(30)), history);
        assertEquals(Duration.ofSeconds(15), history.liveAge(T0.plusSeconds(45)));
    }

    @Test
    void shouldIgnoreAReleaseOfAKindTheScorersRefuse() {
        ReleaseLog log = new ReleaseLog();
        log.add(release(1, ReleaseKind.PUBLISH, "v1", T0));
        log.add(release(2, ReleaseKind.UNKNOWN, "v9", T0));

        assertEquals(new ReleaseHistory(1, 0, 1, "v1", "PUBLISH", T0), log.history());
        assertEquals(ReleaseHistory.EMPTY, new ReleaseLog().history());
    }

    static ModelRelease release(long sequence, ReleaseKind kind, String version, Instant at) {
        return ModelRelease.newBuilder()
                .setSequence(sequence)
                .setKind(kind)
                .setVersion(version)
                .setBundleUri("file:///models/" + version)
                .setSha256("00".repeat(32))
                .setPublishedAt(at)
                .build();
    }
}
