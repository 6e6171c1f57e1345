package io.nextlog.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the exact tensors of a small batch; the scorer and the trainer rely on them. */
class JourneyTokenizerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** a=2, b=3, d=4 (c is below minCount), ids 5 and 6 free. */
    private static final Vocabulary VOCABULARY =
            Vocabulary.fromCounts(Map.of("a", 5L, "b", 3L, "c", 1L, "d", 2L), 2, 2);

    private static final TokenizerSpec SPEC = new TokenizerSpec(3, 16, 16);

    private final JourneyTokenizer tokenizer = new JourneyTokenizer(VOCABULARY, SPEC);

    @Test
    void shouldProduceLeftPaddedNewestLastTensors() {
        Instant t1 = T0.plusMillis(500);
        Instant t2 = t1.plus(Duration.ofHours(1));
        Instant t3 = t2.plusSeconds(61);
        List<JourneyStep> longJourney =
                List.of(
                        step("c", Domain.CALL, T0),
                        step("a", Domain.APP_USE, t1),
                        step("b", Domain.TV_VIEWING, t2),
                        step("d", Domain.PURCHASE, t3));
        List<JourneyStep> shortJourney = List.of(step("d", Domain.LOCATION_VISIT, T0));

        TokenBatch batch = tokenizer.tokenize(List.of(longJourney, shortJourney));

        // Row 0 keeps the newest three; its oldest kept event keeps the 0.5 s gap to the dropped
        // one (bucket 2), then 1 h (2 + floor(log2 3601) = 13) and 61 s (2 + 5 = 7).
        // Row 1: one event, first of its journey (gap bucket 1), padded on the left.
        assertArrayEquals(new long[] {2, 3}, batch.shape());
        assertArrayEquals(new long[] {2, 3, 4, 0, 0, 4}, batch.itemIds());
        assertArrayEquals(new long[] {2, 4, 7, 0, 0, 6}, batch.domainIds());
        assertArrayEquals(new long[] {2, 13, 7, 0, 0, 1}, batch.gapBuckets());
        assertEquals(3, batch.length(0));
        assertEquals(1, batch.length(1));
    }

    @Test
    void shouldMapUnknownItemsToOovAndAssignedItemsToFreeSlots() {
        List<JourneyStep> journey = List.of(step("new", Domain.CAMPAIGN_RESPONSE, T0));

        TokenBatch before = tokenizer.tokenize(List.of(journey), 1);
        Vocabulary grown = VOCABULARY.withAssigned(List.of("new"));
        TokenBatch after = new JourneyTokenizer(grown, SPEC).tokenize(List.of(journey), 1);

        assertArrayEquals(new long[] {Vocabulary.OOV_ID}, before.itemIds());
        assertArrayEquals(new long[] {5}, after.itemIds());
        assertArrayEquals(new long[] {8}, after.domainIds());
        assertEquals(VOCABULARY.size(), grown.size());
    }

    @Test
    void shouldPadEmptyJourneyEntirely() {
        TokenBatch batch = tokenizer.tokenize(List.of(List.of()));

        assertArrayEquals(new long[3], batch.itemIds());
        assertArrayEquals(new long[3], batch.gapBuckets());
        assertEquals(0, batch.length(0));
    }

    @Test
    void shouldRejectMoreTimeStepsThanMaxLength() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> tokenizer.tokenize(List.of(List.of()), 4));

        assertEquals(
                "timeSteps: expected 1..3 (the model's maxLength), found 4", error.getMessage());
    }

    private static JourneyStep step(String item, Domain domain, Instant time) {
        return new JourneyStep(item, domain, time);
    }
}
