package effconv.runtime;

import org.bytedeco.javacpp.Pointer;

/**
 * Refuses an allocation that would not fit, before it is made, so a student asking for a huge layer gets a
 * message instead of a kernel killed by the operating system. The budget is what JavaCPP may still allocate
 * off-heap (ND4J's arrays live there; the kernelspec bounds it with {@code -Dorg.bytedeco.javacpp.maxbytes}).
 */
public final class MemoryGuard {
    private MemoryGuard() {
    }

    /** Bytes that may still be allocated for tensors now. */
    public static long availableBytes() {
        long byMax = Pointer.maxBytes() - Pointer.totalBytes();
        long physMax = Pointer.maxPhysicalBytes();
        long byPhys = physMax > 0 ? physMax - Pointer.physicalBytes() : Long.MAX_VALUE;
        return Math.max(0, Math.min(byMax, byPhys));
    }

    /**
     * Whether tensor memory is past a quarter of its budget, or the process's resident size past half its cap: then
     * a collection is worth its tenth of a second, freeing earlier cells' garbage before JavaCPP collects for itself
     * at whichever allocation crosses the limit, and keeping a lesson kernel's peak well inside the course's memory
     * budget (with three quarters, lesson 15 run twice in one kernel peaked at 937-1107 MB of its 1200).
     */
    public static boolean crowded() {
        return crowded(Pointer.totalBytes(), Pointer.maxBytes(), Pointer.physicalBytes(), Pointer.maxPhysicalBytes());
    }

    /** {@link #crowded()} on given readings (a cap of 0 or less: none). */
    static boolean crowded(long tensorBytes, long tensorCap, long residentBytes, long residentCap) {
        return tensorBytes > tensorCap / 4 || (residentCap > 0 && residentBytes > residentCap / 2);
    }

    public static void check(String what, long bytes) {
        long max = availableBytes();
        if (bytes > max && bytes <= Pointer.maxBytes()) {
            // tensors of earlier cells may be garbage not yet freed: collect once, then ask again
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            max = availableBytes();
        }
        if (bytes < 0 || bytes > max) {
            throw new IllegalArgumentException(what + " needs " + mib(bytes) + ", which is not allowed: only "
                    + mib(max) + " of tensor memory is left in this kernel (limit "
                    + mib(Pointer.maxBytes()) + "); choose fewer channels or a smaller input");
        }
    }

    /** Bytes of a float tensor with these dimensions, saturating instead of overflowing. */
    public static long floatBytes(long... dims) {
        long n = Float.BYTES;
        for (long d : dims) {
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    /** A sum of byte counts, saturating at Long.MAX_VALUE (which any check refuses) instead of overflowing. */
    public static long plus(long... bytes) {
        long sum = 0;
        for (long b : bytes) {
            sum = sum > Long.MAX_VALUE - b ? Long.MAX_VALUE : sum + b;
        }
        return sum;
    }

    static String mib(long bytes) {
        return bytes < 0 ? "more than 8 EiB" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
