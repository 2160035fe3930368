package effconv.nd;

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
     * Whether tensor memory is past half its budget (or the process's resident size past three quarters of its cap):
     * then a collection is worth its tenth of a second, freeing earlier cells' garbage before JavaCPP collects for
     * itself, at whichever allocation crosses the limit.
     */
    public static boolean crowded() {
        long physMax = Pointer.maxPhysicalBytes();
        return Pointer.totalBytes() > Pointer.maxBytes() / 2 || (physMax > 0 && Pointer.physicalBytes() > physMax / 4 * 3);
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
