package io.kavach.bench;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One thread's latencies in nanoseconds: every sample until {@link #CAPACITY}, then a uniform
 * reservoir sample of that size, so memory stays bounded on the fastest scenarios. Not thread-safe:
 * one per caller thread, merged after the run.
 */
final class Latencies {
    static final int CAPACITY = 1 << 20;

    private long[] samples = new long[4_096];
    private int size;
    private long count;
    private final SplittableRandom random = new SplittableRandom(42);

    void record(long nanos) {
        count++;
        if (size < samples.length) {
            samples[size++] = nanos;
        } else if (size < CAPACITY) {
            samples = Arrays.copyOf(samples, Math.min(CAPACITY, samples.length * 2));
            samples[size++] = nanos;
        } else {
            long slot = random.nextLong(count);
            if (slot < CAPACITY) {
                samples[(int) slot] = nanos;
            }
        }
    }

    long count() {
        return count;
    }

    /** The merged and sorted samples of several threads. */
    static long[] merge(List<Latencies> all) {
        int total = 0;
        for (Latencies l : all) {
            total += l.size;
        }
        long[] merged = new long[total];
        int at = 0;
        for (Latencies l : all) {
            System.arraycopy(l.samples, 0, merged, at, l.size);
            at += l.size;
        }
        Arrays.sort(merged);
        return merged;
    }

    /** The p-th percentile (nearest rank) of sorted samples, in microseconds with two decimals; 0 when empty. */
    static double percentileMicros(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        long nanos = sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        return Math.round(nanos / 10.0) / 100.0;
    }
}
