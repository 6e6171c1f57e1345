package io.nextlog.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GapBucketsTest {

    @Test
    void shouldSpaceBucketsLogarithmicallyInSeconds() {
        assertEquals(2, GapBuckets.bucketOf(0, 32));
        assertEquals(2, GapBuckets.bucketOf(999, 32));
        assertEquals(3, GapBuckets.bucketOf(1_000, 32));
        assertEquals(3, GapBuckets.bucketOf(2_999, 32));
        assertEquals(4, GapBuckets.bucketOf(3_000, 32));
        assertEquals(7, GapBuckets.bucketOf(60_000, 32));
        assertEquals(13, GapBuckets.bucketOf(3_600_000, 32));
        assertEquals(18, GapBuckets.bucketOf(86_400_000, 32));
    }

    @Test
    void shouldShareLastBucketBeyondRange() {
        assertEquals(9, GapBuckets.bucketOf(86_400_000, 10));
        assertEquals(31, GapBuckets.bucketOf(Long.MAX_VALUE, 32));
    }

    @Test
    void shouldTreatOutOfOrderEventsAsNoGap() {
        assertEquals(2, GapBuckets.bucketOf(-5_000, 32));
    }
}
