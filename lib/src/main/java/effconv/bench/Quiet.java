package effconv.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether this machine is quiet enough to save timings: {@code ./course execute} asks before it runs a lesson with
 * timing cells, and refuses on a busy machine, so no saved timing is a starved process's. Two readings: the CPUs other
 * processes use while this one idles ({@link Load}), and the {@link Calibration} kernel's stability over a second of
 * repeated readings. Prints one line; exits 0 when quiet, 3 when busy.
 */
public final class Quiet {
    private Quiet() {
    }

    /** Other processes may use this many CPUs while the machine is still called quiet. */
    static final double OTHER_CPUS_LIMIT = 0.3;
    /**
     * The calibration readings' median may be this many times their fastest. (Their slowest is no guide: a quiet cloud
     * machine still stalls a reading now and then.)
     */
    static final double DRIFT_LIMIT = 1.5;

    /** What was measured, and the verdict. */
    public record Verdict(boolean quiet, double otherCpus, double calibrationMs, double drift, String line) {
    }

    /** Measures for about {@code seconds} (at least 1): first idle, then the calibration kernel. */
    public static Verdict check(double seconds) {
        Load start = Load.now();
        try {
            Thread.sleep((long) (Math.max(0.5, seconds / 2) * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double idleOther = Load.now().otherCpus(start);
        Calibration.bestMs();
        Load calStart = Load.now();
        long end = System.nanoTime() + (long) (Math.max(0.5, seconds / 2) * 1e9);
        double[] medians = new double[200];
        int n = 0;
        while (n < medians.length && (n < 5 || System.nanoTime() < end)) {
            medians[n++] = Calibration.read(Calibration.RUNS);
        }
        double calOther = Load.now().otherCpus(calStart);
        double[] m = Arrays.copyOf(medians, n);
        Arrays.sort(m);
        double drift = Bench.percentile(m, 50) / m[0];
        double other = Double.isNaN(idleOther) ? calOther : Double.isNaN(calOther) ? idleOther : Math.max(idleOther, calOther);
        boolean quiet = !(other > OTHER_CPUS_LIMIT) && drift <= DRIFT_LIMIT;
        String line = String.format(Locale.ROOT, "%s: other processes used %s CPUs (limit %.1f); the calibration kernel "
                + "took %.3f ms at best, %.3f ms at the median of %d readings (drift %.2f×, limit %.1f×)", quiet ? "quiet" : "busy",
                Double.isNaN(other) ? "an unknown number of" : String.format(Locale.ROOT, "%.2f", other),
                OTHER_CPUS_LIMIT, m[0], Bench.percentile(m, 50), n, drift, DRIFT_LIMIT);
        return new Verdict(quiet, other, m[0], drift, line);
    }

    /** Prints the verdict's line; exit status 0 when quiet, 3 when busy. */
    public static void main(String[] args) {
        Verdict v = check(args.length > 0 ? Double.parseDouble(args[0]) : 2);
        System.out.println(v.line());
        System.exit(v.quiet() ? 0 : 3);
    }
}
