package effconv.bench;

import effconv.layers.Check;

/**
 * The machine's memory bandwidth, measured as STREAM's "copy" does: arrays much larger than the last-level cache
 * copied by every thread at once, counting the bytes read plus the bytes written. The roofline's slanted roof: a
 * layer that does few FLOPs per byte it moves cannot run faster than this many bytes a second allow.
 */
public final class Bandwidth {
    private Bandwidth() {
    }

    /** 48 MB per array: well beyond the 32 MB of L3 on the course's machines, so the copy streams from memory. */
    static final int FLOATS = 12 << 20;

    /**
     * The best of {@code trials} copies of two {@link #FLOATS}-float arrays, in GB/s (10⁹ bytes), on {@code threads}
     * threads.
     */
    public static double copyGBs(int threads, int trials) {
        return copyGBs(threads, trials, FLOATS);
    }

    /**
     * The same with arrays of {@code floats} floats: the unit tests copy small ones, because 96 MB of heap, once
     * touched, stays in the test JVM's resident memory, which the memory guard counts against every later test.
     */
    static double copyGBs(int threads, int trials, int floats) {
        Check.positive("threads", threads);
        Check.positive("trials", trials);
        Check.positive("floats", floats);
        float[] from = new float[floats], to = new float[floats];
        java.util.Arrays.fill(from, 1f);
        java.util.Arrays.fill(to, 0f); // touched once, so the timing pays no page faults
        double best = 0;
        for (int r = 0; r < trials + 1; r++) { // the first copy warms the JIT up
            Thread[] ts = new Thread[threads];
            int chunk = (floats + threads - 1) / threads;
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int start = t * chunk, len = Math.min(chunk, floats - start);
                ts[t] = new Thread(() -> System.arraycopy(from, start, to, start, len));
                ts[t].start();
            }
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return best;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
                best = Math.max(best, 2.0 * 4 * floats / seconds / 1e9);
            }
        }
        return best;
    }

    /** {@link #copyGBs(int, int)} with the course's threads and 5 trials. */
    public static double copyGBs() {
        return copyGBs(Machine.courseThreads(), 5);
    }
}
