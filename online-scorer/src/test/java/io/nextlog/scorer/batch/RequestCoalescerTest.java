package io.nextlog.scorer.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.scorer.RankingSettings;
import io.nextlog.scorer.ScoringRequest;
import io.nextlog.scorer.ScoringResult;
import io.nextlog.scorer.TestBundles;
import io.nextlog.scorer.TestScorers;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestCoalescerTest {

    @Test
    void shouldScoreAFullBatchAtOnceWithoutWaitingOutMaxWait() throws Exception {
        TestScorers.Parts parts =
                TestScorers.create(
                        TestBundles.fixture(),
                        "live=1",
                        new RankingSettings(3, 10, Duration.ZERO, EnumSet.noneOf(Domain.class)));
        List<JourneyStep> journey = TestScorers.journey(Domain.PURCHASE, "i0", "i1");
        long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);

        // A wait of an hour: only a batch that leaves when full answers within the test's time.
        try (RequestCoalescer coalescer =
                new RequestCoalescer(parts.scorer(), parts.metrics(), 2, Duration.ofHours(1), 16)) {
            CompletableFuture<ScoringResult> first =
                    coalescer.submit(ScoringRequest.of("u1", journey), deadline);
            CompletableFuture<ScoringResult> second =
                    coalescer.submit(ScoringRequest.of("u2", journey), deadline);

            assertEquals("u1", first.get(60, TimeUnit.SECONDS).userId());
            assertEquals("u2", second.get(60, TimeUnit.SECONDS).userId());
        }
        parts.slots().close();
    }
}
