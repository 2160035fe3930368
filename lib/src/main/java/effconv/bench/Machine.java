package effconv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * This machine's arithmetic peak: logical CPUs × clock × single-precision FLOPs per cycle, where a cycle does
 * {@code fmaUnits} fused multiply-adds (2 FLOPs each) on vectors of {@code lanes} floats. The vector width and the
 * FMA units come from what the CPU says about itself; the clock is measured (the reported one is often the base
 * clock, below what the cores really run at). No program can run faster; a well-tuned matrix product gets close.
 */
public record Machine(String cpu, int cores, double clockGHz, int lanes, int fmaUnits) {

    /**
     * Reads /proc/cpuinfo (Linux): 16 float lanes with AVX-512, 8 with AVX2, 4 otherwise; two FMA units per core,
     * as on every x86 server core since 2013 (AMD's Zen 4 runs AVX-512 as two 256-bit halves, so there this peak is
     * twice too high: still a limit, a loose one). The clock is the larger of the reported one and
     * {@link #measuredClockGHz()}.
     */
    public static Machine here() {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return new Machine("unknown (no /proc/cpuinfo)", cores, measuredClockGHz(), 8, 2);
        }
        String model = field(lines, "model name");
        String mhz = field(lines, "cpu MHz");
        String flags = " " + field(lines, "flags") + " ";
        int lanes = flags.contains(" avx512f ") ? 16 : flags.contains(" avx2 ") ? 8 : 4;
        int fma = flags.contains(" fma ") ? 2 : 1;
        double reported = mhz.isEmpty() ? 0 : Double.parseDouble(mhz) / 1000;
        double ghz = Math.max(reported, measuredClockGHz());
        return new Machine(model.isEmpty() ? "unknown" : model, cores, ghz, lanes, fma);
    }

    /**
     * The clock one core runs at now, measured: a chain of dependent one-cycle integer operations (two per step,
     * add and shift in parallel, then xor) takes two cycles a step, so steps ÷ time × 2 is the clock. The best of
     * many short runs, so that a run another process interrupted does not count.
     */
    public static double measuredClockGHz() {
        final int steps = 2_000_000;
        long x = 1;
        double best = 0;
        for (int run = 0; run < 60; run++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                x = (x + i) ^ (x >>> 1);
            }
            long dt = System.nanoTime() - t0;
            if (run >= 10) { // the first runs are interpreted or being compiled
                best = Math.max(best, 2.0 * steps / dt);
            }
        }
        sink = x;
        return best;
    }

    private static volatile long sink; // keeps the measured loop from being optimised away

    private static String field(List<String> lines, String key) {
        for (String l : lines) {
            if (l.startsWith(key) && l.contains(":")) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        return "";
    }

    /** Single-precision FLOPs one core can do per cycle: lanes × FMA units × 2 (a multiply and an add). */
    public int flopsPerCycle() {
        return lanes * fmaUnits * 2;
    }

    /** The peak in GFLOP/s: cores × clock × FLOPs per cycle. */
    public double peakGflops() {
        return cores * clockGHz * flopsPerCycle();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d logical CPUs × %.2f GHz × %d FLOPs/cycle (%d float lanes × %d FMA "
                + "units × 2) = %.0f GFLOP/s peak", cpu, cores, clockGHz, flopsPerCycle(), lanes, fmaUnits,
                peakGflops());
    }
}
