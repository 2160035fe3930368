package effconv.bench;

import java.util.Locale;
import java.util.concurrent.CyclicBarrier;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's single-precision FMA throughput, measured: every thread runs a loop of vector fused multiply-adds on
 * twelve independent accumulators (enough to cover the FMA latency on both pipes of current cores), all threads at
 * once, best of several trials. Run as its own JVM by {@link Machine#here()}, because the Vector API is an incubator
 * module that must be named on the command line ({@code --add-modules jdk.incubator.vector}) and would otherwise print
 * a warning into every program that loads the course. Prints one line: the thread count, the vector width and each
 * trial's GFLOP/s.
 */
public final class FmaPeak {
    private FmaPeak() {
    }

    // a constant species, so the JIT turns every fma into one vector instruction (a species passed as a value is not)
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ACCUMULATORS = 12;
    private static volatile float sink;

    /** {@code iterations} rounds of 12 vector FMAs each; returns a sum so nothing is optimised away. */
    static float loop(long iterations) {
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0,
                a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector m = FloatVector.broadcast(S, 0.9999999f), c = FloatVector.broadcast(S, 1e-7f);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** GFLOP/s of each trial, all {@code threads} running at once (each trial about {@code seconds} long). */
    static double[] measure(int threads, int trials, double seconds) throws Exception {
        for (int i = 0; i < 20; i++) {
            sink += loop(200_000); // compiled by C2 before anything is timed
        }
        long t0 = System.nanoTime();
        sink += loop(1_000_000);
        double perIteration = (System.nanoTime() - t0) / 1e9 / 1_000_000;
        long iterations = Math.max(100_000, (long) (seconds / perIteration));
        double flops = 2.0 * ACCUMULATORS * S.length() * iterations * threads;
        double[] out = new double[trials];
        CyclicBarrier start = new CyclicBarrier(threads + 1), end = new CyclicBarrier(threads + 1);
        Thread[] workers = new Thread[threads];
        // each worker stamps its own start and finish: the main thread is a third thread on a machine of two cores,
        // and a clock it read after the start barrier could be read only once the workers had finished (a trial of
        // 278,774 GFLOP/s was measured so)
        long[] began = new long[threads];
        long[] ended = new long[threads];
        for (int t = 0; t < threads; t++) {
            int self = t;
            workers[t] = new Thread(() -> {
                try {
                    for (int r = 0; r < trials; r++) {
                        start.await();
                        began[self] = System.nanoTime();
                        sink += loop(iterations);
                        ended[self] = System.nanoTime();
                        end.await();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].setDaemon(true);
            workers[t].start();
        }
        for (int r = 0; r < trials; r++) {
            start.await();
            end.await(); // the barrier makes the workers' stamps visible here
            out[r] = flops / (java.util.Arrays.stream(ended).max().getAsLong()
                    - java.util.Arrays.stream(began).min().getAsLong());
        }
        return out;
    }

    /** Prints {@code threads lanes gflops...}; the first argument is the thread count. */
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        double[] trials = measure(threads, 7, 0.06);
        StringBuilder line = new StringBuilder(threads + " " + S.length());
        for (double g : trials) {
            line.append(String.format(Locale.ROOT, " %.2f", g));
        }
        System.out.println(line);
    }
}
