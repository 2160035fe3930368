package effconv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other processes took while this one measured: the machine's busy time ({@code /proc/stat}, steal
 * included: time the hypervisor gave this machine's CPUs to someone else) minus this process's own
 * ({@code /proc/self/stat}), over the same interval, in CPUs. A load average cannot say this — it counts the
 * benchmark's own threads. Linux only; elsewhere {@link #available()} is false and nothing is judged.
 */
public final class Load {
    private final long busy;
    private final long total;
    private final long own;
    private final int cpus;
    private final long nanos;

    private Load(long busy, long total, long own, int cpus, long nanos) {
        this.cpus = cpus;
        this.busy = busy;
        this.total = total;
        this.own = own;
        this.nanos = nanos;
    }

    /** A reading of the counters now; {@link #otherCpus(Load)} compares two. */
    public static Load now() {
        try {
            java.util.List<String> stat = Files.readAllLines(Path.of("/proc/stat"));
            String[] cpu = stat.get(0).trim().split("\\s+");
            int cpus = (int) stat.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle + iowait
            long sum = 0;
            for (int i = 1; i <= Math.min(8, cpu.length - 1); i++) { // user … steal; guest time is inside user
                sum += Long.parseLong(cpu[i]);
            }
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).split(" "); // fields from the third on
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new Load(sum - idle, sum, own, Math.max(1, cpus), System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return new Load(-1, -1, -1, 1, System.nanoTime());
        }
    }

    /** Whether the counters could be read (Linux). */
    public boolean available() {
        return total >= 0;
    }

    /**
     * CPUs' worth of time that other processes (and the hypervisor) took between {@code earlier} and this reading:
     * 0 on a quiet machine, about 2 with two busy programs beside this one. NaN where it cannot be read, or when the
     * interval is too short for the counters (which tick 100 times a second) to say anything.
     */
    public double otherCpus(Load earlier) {
        long dt = total - earlier.total;
        if (!available() || !earlier.available() || dt < 20) {
            return Double.NaN;
        }
        double other = (double) (busy - earlier.busy - (own - earlier.own)) / dt * cpus;
        return Math.max(0, other);
    }

    /** Seconds between the two readings. */
    public double seconds(Load earlier) {
        return (nanos - earlier.nanos) / 1e9;
    }
}
