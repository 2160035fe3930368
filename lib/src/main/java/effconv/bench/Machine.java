package effconv.bench;

import effconv.layers.Check;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * This machine's arithmetic limit, measured: {@link FmaPeak} runs vector fused multiply-adds on every thread the
 * course computes with, and its best trial is the peak a lesson compares rates with. Beside it, the CPU's own
 * datapath explains the figure: how many single-precision FLOPs one core can start per cycle ({@link Datapath}),
 * so measured peak ÷ (threads × FLOPs per cycle) is the clock the cores really ran at — shown as the range of the
 * trials, because it moves from run to run. A well-tuned matrix product comes close to the peak; nothing exceeds it.
 *
 * @param cpu         the CPU's model name
 * @param datapath    what the core's FMA units can do per cycle
 * @param threads     threads measured at once (ND4J's: OMP_NUM_THREADS, else every CPU this process may use)
 * @param peakGflops  the best trial, GFLOP/s (NaN where it could not be measured)
 * @param lowGflops   the slowest trial, GFLOP/s
 * @param note        why the peak is missing, or empty
 */
public record Machine(String cpu, Datapath datapath, int threads, double peakGflops, double lowGflops, String note) {

    /**
     * Single-precision FLOPs one core starts per cycle: FMA units × float lanes each × 2 (a multiply and an add).
     *
     * @param core        the core's name, e.g. "Zen 4"
     * @param flopsPerCycle FLOPs per cycle per core
     * @param why         the datapath in words
     */
    public record Datapath(String core, int flopsPerCycle, String why) {
        /**
         * Reads the datapath from /proc/cpuinfo's fields. AMD's Zen 4 runs a 512-bit instruction as two 256-bit
         * halves, so AVX-512 there does no more FLOPs per cycle than AVX2; Zen 5 has full 512-bit units.
         */
        public static Datapath of(String vendor, int family, int model, String flags) {
            String f = " " + flags + " ";
            boolean avx512 = f.contains(" avx512f "), fma = f.contains(" fma "), avx = f.contains(" avx ");
            boolean amd = vendor.contains("AMD");
            if (amd && family == 0x1a && avx512) {
                return new Datapath("Zen 5", 64, "two 512-bit FMA units per core: 2 × 16 float lanes × 2 FLOPs");
            }
            if (amd && family == 0x19 && avx512) {
                return new Datapath("Zen 4", 32, "two 256-bit FMA units per core; an AVX-512 FMA runs as two 256-bit "
                        + "halves, so 2 × 8 float lanes × 2 FLOPs, as with AVX2");
            }
            if (amd && family == 0x17 && model < 0x30) {
                return new Datapath("Zen 1", 16, "two 128-bit FMA units per core: 2 × 4 float lanes × 2 FLOPs");
            }
            if (!amd && avx512) {
                return new Datapath("AVX-512", 64, "two 512-bit FMA units per core, as on most Xeon Scalable parts "
                        + "(some have one: 32): 2 × 16 float lanes × 2 FLOPs");
            }
            if (fma) {
                return new Datapath(amd ? "Zen 2/3" : "AVX2", 32, "two 256-bit FMA units per core: 2 × 8 float lanes "
                        + "× 2 FLOPs");
            }
            if (avx) {
                return new Datapath("AVX", 16, "one 256-bit multiply and one 256-bit add per cycle: 8 + 8 FLOPs");
            }
            return new Datapath("SSE", 8, "one 128-bit multiply and one 128-bit add per cycle: 4 + 4 FLOPs");
        }
    }

    /** Measures this machine now (about a second): its datapath from /proc/cpuinfo, its FMA peak by {@link FmaPeak}. */
    public static Machine here() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            lines = List.of();
        }
        String model = field(lines, "model name");
        Datapath d = Datapath.of(field(lines, "vendor_id"), number(field(lines, "cpu family")),
                number(field(lines, "model")), field(lines, "flags"));
        int threads = courseThreads();
        try {
            double[] trials = fmaTrials(threads);
            double best = 0, low = Double.POSITIVE_INFINITY;
            for (double g : trials) {
                best = Math.max(best, g);
                low = Math.min(low, g);
            }
            return new Machine(model.isEmpty() ? "unknown CPU" : model, d, threads, best, low, "");
        } catch (IOException | RuntimeException e) {
            return new Machine(model.isEmpty() ? "unknown CPU" : model, d, threads, Double.NaN, Double.NaN,
                    "the FMA peak could not be measured: " + e.getMessage());
        }
    }

    /**
     * This machine's peak from both measurements' trials: the best of all, and the slowest, so that two measurements
     * far apart (a shared host in a slow phase during one) show as a peak whose trials disagree.
     */
    public Machine with(Machine other) {
        if (!other.measured() || !measured()) {
            return measured() ? this : other;
        }
        return new Machine(cpu, datapath, threads, Math.max(peakGflops, other.peakGflops),
                Math.min(lowGflops, other.lowGflops), note);
    }

    /** The threads the course computes with: OMP_NUM_THREADS (ND4J's and oneDNN's), else the CPUs this process may use. */
    public static int courseThreads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", "").trim());
            return n >= 1 ? Math.min(n, 4 * cpus) : cpus;
        } catch (NumberFormatException e) {
            return cpus;
        }
    }

    /** Runs {@link FmaPeak} in a JVM of its own (the Vector API must be named there) and reads its trials. */
    static double[] fmaTrials(int threads) throws IOException {
        Check.positive("threads", threads);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp;
        try {
            cp = Path.of(FmaPeak.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IOException("the course's classes were not found (" + e.getMessage() + ")");
        }
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmx64m",
                "-cp", cp, FmaPeak.class.getName(), String.valueOf(threads))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // the JVM's note on incubator modules
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the FMA loop did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String[] parts = out.split("\\s+");
        if (p.exitValue() != 0 || parts.length < 3) {
            throw new IOException("the FMA loop exited with " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
        }
        double[] trials = new double[parts.length - 2];
        for (int i = 2; i < parts.length; i++) {
            trials[i - 2] = Double.parseDouble(parts[i]);
        }
        return trials;
    }

    /** Whether the peak was measured. */
    public boolean measured() {
        return !Double.isNaN(peakGflops);
    }

    /** The clock the cores ran at during the FMA trials, in GHz: {slowest trial, best trial} ÷ (threads × FLOPs/cycle). */
    public double[] clockRangeGHz() {
        double per = (double) threads * datapath.flopsPerCycle();
        return new double[] {lowGflops / per, peakGflops / per};
    }

    /**
     * How far above {@link #peakGflops} a rate may be and still be the peak: the peak is what a Java Vector API loop
     * reaches, a few percent below what a hand-scheduled kernel (oneDNN's) can, and its best trial moves by a few
     * percent from run to run (213–235 GFLOP/s on the course's machine on one day).
     */
    public static final double PEAK_MARGIN = 1.10;

    /**
     * Whether a measured rate can be believed, and if not, which of the three figures behind it is wrong: null when
     * {@code gflops} is at most the peak, or within {@link #PEAK_MARGIN} of it (a kernel running at the machine's
     * limit); otherwise a sentence naming the timing (when it carries doubts), the peak (when its own trials disagree
     * by more than 15%), or else the count (the library did less arithmetic than the papers count, e.g. a Winograd
     * convolution — or the count is wrong).
     */
    public String rateProblem(double gflops, Bench.Timing timing) {
        if (!measured() || !(gflops > peakGflops * PEAK_MARGIN)) {
            return null;
        }
        String over = String.format(Locale.ROOT, "%.0f GFLOP/s is above the measured peak (%.0f): ", gflops, peakGflops);
        if (timing != null && !timing.trusted()) {
            return over + "the timing is wrong (" + timing.verdict() + ")";
        }
        if (lowGflops < 0.85 * peakGflops) {
            return over + String.format(Locale.ROOT, "the peak is wrong (its trials ranged %.0f–%.0f GFLOP/s: the "
                    + "machine was busy while it was measured)", lowGflops, peakGflops);
        }
        return over + "the peak was measured in a slow phase of this machine (a shared host slows every core at "
                + "times, which the check on other processes cannot see: the calibration kernel's doubts say when), or "
                + "the count is wrong for this library (it did less arithmetic than the papers count, as a Winograd or "
                + "FFT convolution does), or the timing missed work";
    }

    private static String field(List<String> lines, String key) {
        for (String l : lines) {
            if (l.startsWith(key) && l.contains(":") && l.substring(0, l.indexOf(':')).trim().equals(key)) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        return "";
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        if (!measured()) {
            return String.format(Locale.ROOT, "%s (%s: %s), %s; %s", cpu, datapath.core(), datapath.why(),
                    threadCount(), note);
        }
        double[] ghz = clockRangeGHz();
        return String.format(Locale.ROOT, "%s, %s (%s = %d FLOPs per cycle per core), %s: measured FMA peak "
                + "%.0f GFLOP/s (trials %.0f–%.0f), so the cores ran at %.2f–%.2f GHz", cpu, datapath.core(),
                datapath.why(), datapath.flopsPerCycle(), threadCount(), peakGflops, lowGflops, peakGflops, ghz[0], ghz[1]);
    }

    /** "1 thread", "2 threads". */
    private String threadCount() {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    /** The machine in one short line, for a lesson's timing cells: CPU, threads, measured peak. */
    public String brief() {
        return measured()
                ? String.format(Locale.ROOT, "%s (%s), %s, measured FMA peak %.0f GFLOP/s", cpu, datapath.core(),
                        threadCount(), peakGflops)
                : String.format(Locale.ROOT, "%s (%s), %s, FMA peak not measured", cpu, datapath.core(),
                        threadCount());
    }
}
