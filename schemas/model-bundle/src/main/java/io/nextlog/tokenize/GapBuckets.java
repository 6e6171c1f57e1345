package io.nextlog.tokenize;

/**
 * Log-spaced buckets of the time between an event and the one before it.
 *
 * <p>Id 0 is padding and id 1 marks an event with no predecessor. From id 2 on, bucket {@code 2 +
 * floor(log2(1 + gapSeconds))}: a gap under one second is bucket 2, one or two seconds bucket 3,
 * three to six seconds bucket 4, about a minute bucket 7, about an hour bucket 13, about a day
 * bucket 18. Gaps beyond the last bucket share it. Integer arithmetic only, so every platform
 * buckets alike. A negative gap (events out of order) counts as zero.
 */
public final class GapBuckets {

    /** Bucket id of a padded position. */
    public static final int PADDING_ID = 0;

    /** Bucket id of the first event of a journey, which has no gap. */
    public static final int FIRST_EVENT_ID = 1;

    /** Fewest buckets that make sense: padding, first event and one gap bucket. */
    public static final int MIN_BUCKET_COUNT = 3;

    private static final int FIRST_GAP_ID = 2;

    private GapBuckets() {}

    /**
     * Returns the bucket id of a gap.
     *
     * @param gapMillis time since the previous event in milliseconds; negative counts as zero
     * @param bucketCount the total number of bucket ids, at least {@link #MIN_BUCKET_COUNT}
     * @return an id in {@code [2, bucketCount)}
     */
    public static int bucketOf(long gapMillis, int bucketCount) {
        long gapSeconds = Math.max(0L, gapMillis) / 1000L;
        int log2 = 63 - Long.numberOfLeadingZeros(1L + gapSeconds);
        int lastGapId = bucketCount - 1;
        return Math.min(FIRST_GAP_ID + log2, lastGapId);
    }
}
