package effconv.bench;

import effconv.layers.Check;
import java.util.Arrays;

import org.nd4j.linalg.factory.Nd4j;

/**
 * A small timing harness: warm up, then time repeated runs and report the median and the 10th/90th percentiles.
 * Times are this machine's, now — they vary between machines and runs, so lessons show them in cells tagged
 * "timing" and compare ratios measured in the same run, never absolute numbers.
 */
public final class Bench {
    private Bench() {
    }

    /** One measurement, in milliseconds. */
    public record Timing(String name, double medianMs, double p10Ms, double p90Ms, int runs) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s: median %.3f ms (p10 %.3f, p90 %.3f; %d runs)", name,
                    medianMs, p10Ms, p90Ms, runs);
        }
    }

    /** Warm-up and measuring budgets, in seconds; at least 3 warm-up runs and 5 timed runs. */
    public static Timing time(String name, Runnable run, double warmupSeconds, double measureSeconds) {
        Check.notNull("run", run);
        if (!(warmupSeconds >= 0 && measureSeconds > 0 && warmupSeconds + measureSeconds <= 60)) {
            throw new IllegalArgumentException("warmupSeconds = " + warmupSeconds + ", measureSeconds = "
                    + measureSeconds + " are not allowed: both from 0 (measuring above 0) to 60 seconds together");
        }
        // Free earlier cells' garbage first: ND4J's arrays live off-heap and are freed only when collected, and
        // near the kernel's off-heap limit JavaCPP stops every allocation for a collection — inside the timing.
        System.gc();
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < 3 || System.nanoTime() < warmEnd; i++) {
            run.run();
            Nd4j.getExecutioner().commit();
        }
        double[] times = new double[1000];
        int n = 0;
        long end = System.nanoTime() + (long) (measureSeconds * 1e9);
        while (n < times.length && (n < 5 || System.nanoTime() < end)) {
            long t0 = System.nanoTime();
            run.run();
            Nd4j.getExecutioner().commit();
            times[n++] = (System.nanoTime() - t0) / 1e6;
        }
        double[] t = Arrays.copyOf(times, n);
        Arrays.sort(t);
        return new Timing(name, percentile(t, 50), percentile(t, 10), percentile(t, 90), n);
    }

    /** Times with a short default budget (0.2 s warm-up, 0.5 s measuring), for lessons. */
    public static Timing time(String name, Runnable run) {
        return time(name, run, 0.2, 0.5);
    }

    static double percentile(double[] sorted, double p) {
        double pos = p / 100 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (sorted[j] - sorted[i]) * (pos - i);
    }
}
