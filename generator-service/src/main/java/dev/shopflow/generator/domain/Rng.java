package dev.shopflow.generator.domain;

import java.util.SplittableRandom;

/** Deterministic random streams keyed by (seed, parts): the same key gives the same draws on any JVM. */
final class Rng {

    private Rng() {
    }

    static SplittableRandom of(long seed, long... parts) {
        return new SplittableRandom(key(seed, parts));
    }

    static long key(long seed, long... parts) {
        long z = mix(seed);
        for (long part : parts) {
            z = mix(z ^ part);
        }
        return z;
    }

    /** A uniform double in [0, 1) from a key, without creating a generator. */
    static double unit(long key) {
        return (mix(key) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30) ^ 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static int pick(SplittableRandom random, double[] cumulative) {
        double r = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (r < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    static double[] cumulative(double... weights) {
        double[] c = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            c[i] = sum;
        }
        return c;
    }
}
