package io.nextlog.tokenize;

/**
 * Tokenised journeys: three aligned id tensors of shape (B, T), stored row-major, left-padded, the
 * newest event in column T-1.
 *
 * <p>The arrays are handed out as they are, without copying, because the scorer passes them
 * straight to its tensors; callers must not change them.
 */
public final class TokenBatch {

    private final int batchSize;
    private final int timeSteps;
    private final long[] itemIds;
    private final long[] domainIds;
    private final long[] gapBuckets;
    private final int[] lengths;

    TokenBatch(
            int batchSize,
            int timeSteps,
            long[] itemIds,
            long[] domainIds,
            long[] gapBuckets,
            int[] lengths) {
        this.batchSize = batchSize;
        this.timeSteps = timeSteps;
        this.itemIds = itemIds;
        this.domainIds = domainIds;
        this.gapBuckets = gapBuckets;
        this.lengths = lengths;
    }

    /** Returns B, the number of journeys. */
    public int batchSize() {
        return batchSize;
    }

    /** Returns T, the number of columns of every row. */
    public int timeSteps() {
        return timeSteps;
    }

    /** Returns the item ids, (B, T) row-major; padding is {@link Vocabulary#PADDING_ID}. */
    public long[] itemIds() {
        return itemIds;
    }

    /** Returns the domain ids, (B, T) row-major: {@code Domain.ordinal() + 1}, padding 0. */
    public long[] domainIds() {
        return domainIds;
    }

    /** Returns the time-gap bucket ids, (B, T) row-major; see {@link GapBuckets}. */
    public long[] gapBuckets() {
        return gapBuckets;
    }

    /** Returns the number of real (not padded) events of row {@code row}. */
    public int length(int row) {
        return lengths[row];
    }

    /** Returns the shape as {@code {B, T}}, as tensor libraries want it. */
    public long[] shape() {
        return new long[] {batchSize, timeSteps};
    }
}
