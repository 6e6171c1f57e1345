package io.nextlog.world;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from the world seed and a path of numbers (customer index,
 * day, purpose), so that what one customer does on one day never depends on the order in which
 * journeys are generated.
 */
final class Seeds {

    private Seeds() {}

    /** A random stream for {@code seed} and the given path. */
    static SplittableRandom random(long seed, long... path) {
        return new SplittableRandom(mix(seed, path));
    }

    /** Mixes the path into the seed with the SplitMix64 finalizer at each step. */
    static long mix(long seed, long... path) {
        long state = finalizeMix(seed);
        for (long part : path) {
            state = finalizeMix(state ^ finalizeMix(part + 0x9E3779B97F4A7C15L));
        }
        return state;
    }

    private static long finalizeMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A standard normal draw (Box-Muller). */
    static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** A Poisson draw with mean {@code mean} (Knuth's method; means here stay below ~50). */
    static int poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }
}
