package io.nextlog.tokenize;

import io.nextlog.schemas.event.Domain;

/**
 * The shape-relevant settings of the tokenisation; stored with every model, so a scorer tokenises
 * exactly as the trainer did.
 *
 * @param maxLength the most events a journey keeps; older events are dropped, and the graph's
 *     learned positions cover exactly this many steps
 * @param gapBucketCount number of time-gap bucket ids, including the padding and first-event ids;
 *     at least 3
 * @param domainSlotCount number of domain ids, including padding; larger than the number of {@link
 *     Domain} symbols so that a new symbol needs no new graph
 */
public record TokenizerSpec(int maxLength, int gapBucketCount, int domainSlotCount) {

    /** Validates the settings; throws {@link IllegalArgumentException} naming the bad one. */
    public TokenizerSpec {
        if (maxLength < 1) {
            throw new IllegalArgumentException(
                    "maxLength: expected at least 1, found " + maxLength);
        }
        if (gapBucketCount < GapBuckets.MIN_BUCKET_COUNT) {
            throw new IllegalArgumentException(
                    "gapBucketCount: expected at least "
                            + GapBuckets.MIN_BUCKET_COUNT
                            + ", found "
                            + gapBucketCount);
        }
        int domainIdsNeeded = Domain.values().length + 1;
        if (domainSlotCount < domainIdsNeeded) {
            throw new IllegalArgumentException(
                    "domainSlotCount: expected at least "
                            + domainIdsNeeded
                            + " (padding plus one per Domain symbol), found "
                            + domainSlotCount);
        }
    }
}
