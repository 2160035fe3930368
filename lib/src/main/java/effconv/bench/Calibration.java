package effconv.bench;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fixed calibration kernel: a 384×384 matrix product (113 million FLOPs, a few tenths of a millisecond), run on
 * ND4J's threads like every case the course times. Its time is a property of the machine, not of any lesson, so when
 * it runs slower than its best seen in this process, something else was using the CPUs: a measurement taken then is
 * labelled, not trusted. {@link Bench#time} reads it before and after every measurement.
 */
public final class Calibration {
    private Calibration() {
    }

    private static final int N = 384;
    private static INDArray a;
    private static INDArray b;
    private static INDArray c;
    private static double best = Double.POSITIVE_INFINITY;

    private static synchronized void ensure() {
        if (a == null) {
            a = Nd4j.rand(DataType.FLOAT, N, N);
            b = Nd4j.rand(DataType.FLOAT, N, N);
            c = Nd4j.createUninitialized(DataType.FLOAT, N, N);
            for (int i = 0; i < 30; i++) { // the first runs pay for loading and for the JIT
                run();
            }
        }
    }

    private static void run() {
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        Nd4j.getExecutioner().commit();
    }

    /** Runs of a standard read: the only reads that may set the best median. */
    static final int RUNS = 21;
    /**
     * Runs of a short read, around a measurement of a few milliseconds (a per-layer breakdown's 10 ms), where two
     * standard reads (~20 ms each) would be most of the time. Compared with the best median, never setting it: a
     * median of fewer runs is noisier, and a lucky one would make later reads look slow.
     */
    static final int RUNS_SHORT = 7;

    /**
     * The median of {@code runs} runs of the kernel, in ms; the process-wide best median is updated with it when
     * {@code runs} is at least {@link #RUNS}.
     */
    public static synchronized double read(int runs) {
        ensure();
        double[] t = new double[Math.max(3, runs)];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        double median = Bench.percentile(t, 50);
        if (t.length >= RUNS) {
            best = Math.min(best, median);
        }
        return median;
    }

    /** The best median seen in this process, in ms; establishes one (60 runs) if there is none yet. */
    public static synchronized double bestMs() {
        if (best == Double.POSITIVE_INFINITY) {
            read(60);
        }
        return best;
    }

    /** How many times slower than its best a reading's median ({@link #read}) is: 1 on a quiet machine. */
    public static double slowdown(double medianMs) {
        return medianMs / bestMs();
    }
}
