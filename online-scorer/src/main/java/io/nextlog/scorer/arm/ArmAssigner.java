package io.nextlog.scorer.arm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assigns users to experiment arms by a stable hash of their pseudonymous id, so that every scorer
 * instance and the Flink job put a user in the same arm without sharing state.
 *
 * <p>The hash is 64-bit FNV-1a over the UTF-8 bytes of {@code salt + '\u0000' + userId}, passed
 * through the MurmurHash3 64-bit finaliser (FNV alone mixes its low bits poorly), reduced to one of
 * {@value #BUCKETS} buckets by an unsigned remainder. Arms own consecutive bucket ranges in the
 * configured order, each as many buckets as its share rounds to. Changing the shares moves only the
 * users at the borders of ranges; changing the salt reshuffles everyone.
 *
 * <p>Immutable and thread-safe. Any other implementation of the assignment must give the same arm
 * for the same (salt, shares, user id); the test {@code ArmAssignerTest} pins a few values.
 */
public final class ArmAssigner {

    /** The number of hash buckets; shares are rounded to multiples of 1/{@value}. */
    public static final int BUCKETS = 10_000;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final String salt;
    private final List<String> arms;
    private final int[] upperBucketExclusive;

    private ArmAssigner(String salt, Map<String, Integer> bucketsByArm) {
        this.salt = salt;
        this.arms = List.copyOf(bucketsByArm.keySet());
        this.upperBucketExclusive = new int[arms.size()];
        int upper = 0;
        for (int i = 0; i < arms.size(); i++) {
            upper += bucketsByArm.get(arms.get(i));
            upperBucketExclusive[i] = upper;
        }
    }

    /**
     * Creates an assigner from text such as {@code live=0.95,holdout=0.05}.
     *
     * @throws IllegalArgumentException if the text is malformed or the shares do not sum to 1
     */
    public static ArmAssigner of(String salt, String shares) {
        if (salt == null || salt.isEmpty()) {
            throw new IllegalArgumentException("arm salt: expected non-empty text, found none");
        }
        return new ArmAssigner(salt, parseShares(shares));
    }

    /**
     * Parses arm shares into buckets per arm, in the given order.
     *
     * @throws IllegalArgumentException naming what was expected and what was found
     */
    public static Map<String, Integer> parseShares(String text) {
        Map<String, Integer> buckets = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.trim().split("=", -1);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException(
                        "arm share: expected name=share, found '" + pair.trim() + "'");
            }
            String arm = parts[0].trim();
            double share = Double.parseDouble(parts[1].trim());
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException(
                        "arm " + arm + ": expected a share in (0, 1], found " + parts[1].trim());
            }
            if (buckets.put(arm, (int) Math.round(share * BUCKETS)) != null) {
                throw new IllegalArgumentException("arm " + arm + ": expected once, found twice");
            }
        }
        int total = buckets.values().stream().mapToInt(Integer::intValue).sum();
        if (total != BUCKETS) {
            throw new IllegalArgumentException(
                    "arm shares: expected a sum of 1, found "
                            + (total / (double) BUCKETS)
                            + " in '"
                            + text
                            + "'");
        }
        return Collections.unmodifiableMap(buckets);
    }

    /** Returns the arm of a user. */
    public String armOf(String userId) {
        int bucket = bucketOf(salt, userId);
        for (int i = 0; i < upperBucketExclusive.length; i++) {
            if (bucket < upperBucketExclusive[i]) {
                return arms.get(i);
            }
        }
        // Unreachable: the ranges cover every bucket since the shares sum to BUCKETS.
        return arms.get(arms.size() - 1);
    }

    /** Returns the arms in configured order. */
    public List<String> arms() {
        return arms;
    }

    /** Returns the bucket in {@code [0, BUCKETS)} of a user under a salt. */
    public static int bucketOf(String salt, String userId) {
        byte[] bytes = (salt + '\u0000' + userId).getBytes(StandardCharsets.UTF_8);
        long hash = FNV_OFFSET;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return (int) Long.remainderUnsigned(fmix64(hash), BUCKETS);
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    @Override
    public String toString() {
        List<String> ranges = new ArrayList<>();
        int lower = 0;
        for (int i = 0; i < arms.size(); i++) {
            ranges.add(arms.get(i) + "=[" + lower + "," + upperBucketExclusive[i] + ")");
            lower = upperBucketExclusive[i];
        }
        return "ArmAssigner" + ranges;
    }
}
