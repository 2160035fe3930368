package effconv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * This machine's arithmetic peak, computed from what the CPU says about itself: logical CPUs × clock × single-
 * precision FLOPs per cycle, where a cycle does {@code fmaUnits} fused multiply-adds (2 FLOPs each) on vectors of
 * {@code lanes} floats. No program can run faster; a well-tuned matrix product gets within a few tens of per cent.
 */
public record Machine(String cpu, int cores, double clockGHz, int lanes, int fmaUnits) {

    /**
     * Reads /proc/cpuinfo (Linux). Lanes: 16 floats for Intel's AVX-512, 8 for AVX2 (and for AMD's AVX-512 before
     * Zen 5, which runs as two 256-bit halves), 4 otherwise; two FMA units per core, as on every x86 server core
     * since 2013. The clock is the one the kernel reports now (turbo can exceed it).
     */
    public static Machine here() {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return new Machine("unknown (no /proc/cpuinfo)", cores, Double.NaN, 8, 2);
        }
        String model = field(lines, "model name");
        String mhz = field(lines, "cpu MHz");
        String flags = " " + field(lines, "flags") + " ";
        boolean amd = model.contains("AMD");
        int lanes = flags.contains(" avx512f ") && !amd ? 16 : flags.contains(" avx2 ") || flags.contains(" avx512f ") ? 8 : 4;
        int fma = flags.contains(" fma ") ? 2 : 1;
        double ghz = mhz.isEmpty() ? Double.NaN : Double.parseDouble(mhz) / 1000;
        return new Machine(model.isEmpty() ? "unknown" : model, cores, ghz, lanes, fma);
    }

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
