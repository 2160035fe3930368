package effconv.bench;

import effconv.layers.Check;
import effconv.runtime.MemoryGuard;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.factory.Nd4j;

/**
 * A small timing harness: warm up, then time repeated runs and report the median and the 10th/90th percentiles.
 * Times are this machine's, now — they vary between machines and runs, so lessons show them in cells tagged
 * "timing" and compare ratios measured in the same run, never absolute numbers.
 *
 * <p>A timing also says when it cannot be trusted ({@link Timing#doubts()}), and prints that beside the result: a
 * spread too wide for the median to mean much; runs that sit on multiples of the scheduler's 4 ms tick (the process
 * was waiting for a CPU, not computing); the {@link Calibration} kernel, timed before and after, running slower than
 * its best; other processes using the CPUs meanwhile ({@link Load}); too few runs for a median.
 */
public final class Bench {
    private Bench() {
    }

    /** Debian's kernels tick 250 times a second: a process starved of CPU gets it back in slices of 4 ms. */
    static final double TICK_MS = 4.0;
    /**
     * The calibration kernel (the median of 21 runs, or of 7 around a short measurement) may run this much slower than
     * its best before the machine is called busy: on a quiet 2-CPU cloud machine it stays within 1.25× of its best.
     */
    static final double CALIBRATION_LIMIT = 1.5;
    /** A measurement shorter than this reads the calibration kernel briefly ({@link Calibration#RUNS_SHORT}). */
    static final double SHORT_MEASURE_SECONDS = 0.05;
    /** Other processes may use this many CPUs during a measurement before it is called loaded. */
    static final double OTHER_CPUS_LIMIT = 0.3;
    /**
     * The middle half of the runs (p25 to p75) spanning more than this factor is too wide a spread for the median to
     * stand for the layer. The middle half, not p10–p90: a quiet cloud machine still stalls a few runs in a hundred for
     * a scheduler tick, which moves p90 but not the median.
     */
    static final double SPREAD_LIMIT = 1.5;
    /** Fewer runs than this give a median that moves with a single slow run. */
    static final int FEW_RUNS = 10;
    /** The shortest measuring budget accepted: anything shorter times a handful of runs of anything but the tiniest. */
    public static final double MIN_MEASURE_SECONDS = 0.005;

    private static PrintStream doubtsTo = System.out;

    /**
     * Where a timing's doubts are printed as it is taken: the notebook cell (standard output) by default; the command
     * line sends them nowhere (null), because its results carry them (its JSON and table). Returns the sink before.
     */
    public static synchronized PrintStream printDoubtsTo(PrintStream out) {
        PrintStream before = doubtsTo;
        doubtsTo = out;
        return before;
    }

    /**
     * One measurement, in milliseconds, with what makes it doubtful (empty when nothing does).
     * {@code otherCpus} is how many CPUs other processes used meanwhile (NaN where it cannot be read);
     * {@code calibration} is how many times slower than its best the calibration kernel ran, before or after.
     */
    public record Timing(String name, double medianMs, double p10Ms, double p90Ms, int runs, double otherCpus,
                         double calibration, List<String> doubts, int attempts) {
        public Timing {
            doubts = List.copyOf(doubts);
        }

        /** One measurement's timing ({@link #attempts} 1). */
        public Timing(String name, double medianMs, double p10Ms, double p90Ms, int runs, double otherCpus,
                      double calibration, List<String> doubts) {
            this(name, medianMs, p10Ms, p90Ms, runs, otherCpus, calibration, doubts, 1);
        }

        /** A timing with nothing known against it (for results read back from elsewhere). */
        public Timing(String name, double medianMs, double p10Ms, double p90Ms, int runs) {
            this(name, medianMs, p10Ms, p90Ms, runs, Double.NaN, Double.NaN, List.of());
        }

        /**
         * Whether the machine was busy while this was measured: the calibration kernel slow, or other processes on
         * the CPUs. Waiting can cure that; a case's own wide spread or few runs it cannot.
         */
        public boolean busy() {
            return calibration > CALIBRATION_LIMIT || otherCpus > OTHER_CPUS_LIMIT;
        }

        /** Whether nothing speaks against this measurement. */
        public boolean trusted() {
            return doubts.isEmpty();
        }

        /** "ok", or the doubts in one line. */
        public String verdict() {
            return doubts.isEmpty() ? "ok" : String.join("; ", doubts);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: median %.3f ms (p10 %.3f, p90 %.3f; %d runs)%s", name, medianMs,
                    p10Ms, p90Ms, runs, doubts.isEmpty() ? "" : " — NOT TRUSTED: " + verdict());
        }
    }

    /** Warm-up and measuring budgets, in seconds; at least 3 warm-up runs and 5 timed runs. */
    /** How a value resting on a timing that is not trusted is marked, in tables, charts and sentences alike. */
    public static final String FLAGGED = "⚠ flagged: not trusted";

    /** A table's check column: "ok", or the name of each of the row's timings that is not trusted. */
    public static String check(Timing... timings) {
        List<String> flagged = new ArrayList<>();
        for (Timing t : timings) {
            if (!t.trusted()) flagged.add(t.name());
        }
        return flagged.isEmpty() ? "ok" : "⚠ " + String.join(", ", flagged) + " flagged: not trusted";
    }

    /** " (⚠ flagged: not trusted)" after a value whose timing is not trusted, nothing after a trusted one. */
    public static String flag(Timing t) {
        return t.trusted() ? "" : " (" + FLAGGED + ")";
    }

    public static Timing time(String name, Runnable run, double warmupSeconds, double measureSeconds) {
        Timing timing = measure(name, run, warmupSeconds, measureSeconds);
        report(timing);
        return timing;
    }

    /** How a case is timed: once in a lesson ({@link #time}), until calm in {@code ./course bench} ({@link #timeCalm}). */
    @FunctionalInterface
    public interface Timer {
        Timing time(String name, Runnable run, double warmupSeconds, double measureSeconds);
    }

    /** How many times {@link #timeCalm} measures a case at most. */
    public static final int ATTEMPTS = 3;

    /**
     * {@link #time} for {@code ./course bench}, whose table is read as the machine's best: a measurement taken while
     * the machine was busy ({@link Timing#busy()}) is taken again, up to {@link #ATTEMPTS} in all, and the calmest
     * kept ({@link #calmest}). A shared host's slow phases last seconds, a measurement about two, so the next attempt
     * often falls outside one. Chosen by the calibration kernel and the other processes' CPU, never by the case's
     * own time; {@link Timing#attempts()} says how many were taken. A lesson's timing cell measures once.
     */
    public static Timing timeCalm(String name, Runnable run, double warmupSeconds, double measureSeconds) {
        Timing timing = untilCalm(() -> measure(name, run, warmupSeconds, measureSeconds), ATTEMPTS);
        report(timing);
        return timing;
    }

    /** Measures until a measurement is not {@link Timing#busy() busy}, {@code attempts} times at most; the calmest. */
    static Timing untilCalm(java.util.function.Supplier<Timing> measure, int attempts) {
        List<Timing> taken = new ArrayList<>();
        do {
            taken.add(measure.get());
        } while (taken.get(taken.size() - 1).busy() && taken.size() < attempts);
        Timing t = calmest(taken);
        return new Timing(t.name(), t.medianMs(), t.p10Ms(), t.p90Ms(), t.runs(), t.otherCpus(), t.calibration(),
                t.doubts(), taken.size());
    }

    /** The calmest of several measurements of one case: one not busy if any, else the lowest calibration reading. */
    static Timing calmest(List<Timing> taken) {
        java.util.Comparator<Timing> calm = java.util.Comparator.comparing(Timing::busy)
                .thenComparingDouble(t -> Double.isNaN(t.calibration()) ? Double.MAX_VALUE : t.calibration());
        return taken.stream().min(calm).orElseThrow();
    }

    /** {@link #time} without printing its doubts, for callers that gather them ({@link Breakdown}). */
    static Timing measure(String name, Runnable run, double warmupSeconds, double measureSeconds) {
        Check.notNull("run", run);
        if (!(warmupSeconds >= 0 && measureSeconds >= MIN_MEASURE_SECONDS && warmupSeconds + measureSeconds <= 60)) {
            throw new IllegalArgumentException("warmupSeconds = " + warmupSeconds + ", measureSeconds = "
                    + measureSeconds + " are not allowed: warm-up from 0, measuring from " + MIN_MEASURE_SECONDS
                    + " (shorter gives no stable median), 60 seconds together at most");
        }
        // Free earlier cells' garbage first when memory is crowded: ND4J's arrays live off-heap and are freed only
        // when collected, and near the kernel's off-heap limit JavaCPP stops every allocation for a collection —
        // inside the timing. Not every time: a full collection of a lesson kernel's heap takes ~0.1 s, most of a
        // per-layer breakdown's time (166 layers in ShuffleNet).
        if (MemoryGuard.crowded()) {
            System.gc();
        }
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < 3 || System.nanoTime() < warmEnd; i++) {
            run.run();
            Nd4j.getExecutioner().commit();
        }
        int calibrationRuns = measureSeconds < SHORT_MEASURE_SECONDS ? Calibration.RUNS_SHORT : Calibration.RUNS;
        double before = Calibration.slowdown(Calibration.read(calibrationRuns));
        Load start = Load.now();
        double[] times = new double[1000];
        int n = 0;
        long end = System.nanoTime() + (long) (measureSeconds * 1e9);
        while (n < times.length && (n < 5 || System.nanoTime() < end)) {
            long t0 = System.nanoTime();
            run.run();
            Nd4j.getExecutioner().commit();
            times[n++] = (System.nanoTime() - t0) / 1e6;
        }
        double other = Load.now().otherCpus(start);
        double after = Calibration.slowdown(Calibration.read(calibrationRuns));
        double[] t = Arrays.copyOf(times, n);
        Arrays.sort(t);
        double calibration = Math.max(before, after);
        return new Timing(name, percentile(t, 50), percentile(t, 10), percentile(t, 90), n, other, calibration,
                doubts(t, other, calibration, measureSeconds));
    }

    /** Times with a short default budget (0.2 s warm-up, 0.5 s measuring), for lessons. */
    public static Timing time(String name, Runnable run) {
        return time(name, run, 0.2, 0.5);
    }

    private static synchronized void report(Timing t) {
        if (!t.trusted() && doubtsTo != null) {
            doubtsTo.println("⚠ " + t.name() + ": not trusted — " + t.verdict());
            doubtsTo.flush();
        }
    }

    /** What speaks against a measurement, from its sorted run times and what was read around it. */
    static List<String> doubts(double[] sorted, double otherCpus, double calibration, double measureSeconds) {
        List<String> d = new ArrayList<>();
        double median = percentile(sorted, 50);
        if (otherCpus > OTHER_CPUS_LIMIT) {
            d.add(String.format(Locale.ROOT, "other processes used %.1f CPUs meanwhile", otherCpus));
        }
        if (calibration > CALIBRATION_LIMIT) {
            d.add(String.format(Locale.ROOT, "the calibration kernel ran %.1f× slower than its best (machine busy)",
                    calibration));
        }
        if (onTicks(sorted)) {
            d.add(String.format(Locale.ROOT, "the runs sit on multiples of the scheduler's %.0f ms tick (the process "
                    + "waited for a CPU)", TICK_MS));
        }
        double p25 = percentile(sorted, 25), p75 = percentile(sorted, 75);
        if (p75 > SPREAD_LIMIT * p25 && p75 - p25 > 0.02) {
            d.add(String.format(Locale.ROOT, "spread too wide (the middle half of the runs spans %.3g–%.3g ms)", p25,
                    p75));
        }
        if (sorted.length < FEW_RUNS) {
            d.add(String.format(Locale.ROOT, "only %d runs, too few for a stable median: measure for %.2f s or more",
                    sorted.length, Math.max(2 * measureSeconds, 2 * FEW_RUNS * median / 1000)));
        }
        return d;
    }

    /**
     * Whether most runs sit within 5% of a tick of a multiple of {@link #TICK_MS}, on two or more different
     * multiples: a starved process's times, not a layer's. A real time lands that close to a multiple one time in ten,
     * and a real layer's runs cluster around one value, not several multiples.
     */
    static boolean onTicks(double[] times) {
        if (times.length < 5 || percentile(times, 50) < TICK_MS) {
            return false;
        }
        int on = 0;
        java.util.Set<Long> multiples = new java.util.HashSet<>();
        for (double t : times) {
            long k = Math.round(t / TICK_MS);
            if (k >= 1 && Math.abs(t - k * TICK_MS) <= 0.05 * TICK_MS) {
                on++;
                multiples.add(k);
            }
        }
        return on >= 0.7 * times.length && multiples.size() >= 2;
    }

    static double percentile(double[] sorted, double p) {
        double pos = p / 100 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (sorted[j] - sorted[i]) * (pos - i);
    }
}
