package io.nextlog.tokenize;

import io.nextlog.schemas.event.JourneyStep;
import java.util.List;

/**
 * Turns journeys into the model's three id tensors; the one tokenisation both the trainer and the
 * scorers use.
 *
 * <p>Per event: the item id from the {@link Vocabulary} ({@link Vocabulary#OOV_ID} if unknown), the
 * domain id {@code ordinal + 1}, and the {@link GapBuckets} id of the time since the event before
 * it. Gaps are taken on the whole journey before truncation, so the oldest kept event keeps the gap
 * to its real predecessor. Only the newest {@link TokenizerSpec#maxLength()} events are kept,
 * right-aligned: the newest event sits in the last column and padding (id 0 in all three tensors)
 * fills the left.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class JourneyTokenizer {

    private final Vocabulary vocabulary;
    private final TokenizerSpec spec;

    /** Creates a tokenizer; checks that the domain ids fit {@code spec}. */
    public JourneyTokenizer(Vocabulary vocabulary, TokenizerSpec spec) {
        this.vocabulary = vocabulary;
        this.spec = spec;
    }

    /** Returns the vocabulary the item ids come from. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Returns the settings. */
    public TokenizerSpec spec() {
        return spec;
    }

    /** Tokenises journeys into (B, maxLength) tensors. */
    public TokenBatch tokenize(List<? extends List<JourneyStep>> journeys) {
        return tokenize(journeys, spec.maxLength());
    }

    /**
     * Tokenises journeys into (B, T) tensors. A T below maxLength keeps fewer events; the model
     * gives the same result for any T that holds all kept events, since its positions count back
     * from the newest event.
     *
     * @param journeys B journeys, each oldest event first; none may be null
     * @param timeSteps T, in {@code [1, maxLength]}
     * @throws IllegalArgumentException if {@code timeSteps} is out of range
     */
    public TokenBatch tokenize(List<? extends List<JourneyStep>> journeys, int timeSteps) {
        if (timeSteps < 1 || timeSteps > spec.maxLength()) {
            throw new IllegalArgumentException(
                    "timeSteps: expected 1.."
                            + spec.maxLength()
                            + " (the model's maxLength), found "
                            + timeSteps);
        }
        int batchSize = journeys.size();
        long[] itemIds = new long[batchSize * timeSteps];
        long[] domainIds = new long[batchSize * timeSteps];
        long[] gapBuckets = new long[batchSize * timeSteps];
        int[] lengths = new int[batchSize];

        for (int row = 0; row < batchSize; row++) {
            RowWriter writer = new RowWriter(itemIds, domainIds, gapBuckets, row * timeSteps);
            lengths[row] = writeRow(journeys.get(row), timeSteps, writer);
        }
        return new TokenBatch(batchSize, timeSteps, itemIds, domainIds, gapBuckets, lengths);
    }

    /** Fills one row right-aligned; returns the number of events kept. */
    private int writeRow(List<JourneyStep> journey, int timeSteps, RowWriter writer) {
        int kept = Math.min(journey.size(), timeSteps);
        int firstKept = journey.size() - kept;
        int firstColumn = timeSteps - kept;

        for (int i = 0; i < kept; i++) {
            int step = firstKept + i;
            JourneyStep event = journey.get(step);
            long item = vocabulary.idOf(event.getItem());
            long domain = event.getDomain().ordinal() + 1L;
            long gap = gapBucketOf(journey, step);
            writer.put(firstColumn + i, item, domain, gap);
        }
        return kept;
    }

    private long gapBucketOf(List<JourneyStep> journey, int step) {
        if (step == 0) {
            return GapBuckets.FIRST_EVENT_ID;
        }
        long now = journey.get(step).getEventTime().toEpochMilli();
        long before = journey.get(step - 1).getEventTime().toEpochMilli();
        return GapBuckets.bucketOf(now - before, spec.gapBucketCount());
    }

    /** Writes one row's columns into the flat (B, T) arrays. */
    private record RowWriter(long[] items, long[] domains, long[] gaps, int rowOffset) {
        void put(int column, long item, long domain, long gap) {
            items[rowOffset + column] = item;
            domains[rowOffset + column] = domain;
            gaps[rowOffset + column] = gap;
        }
    }
}
