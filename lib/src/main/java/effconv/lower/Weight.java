package effconv.lower;

import java.util.Arrays;

/**
 * A named weight of a lowered network: where it comes from ("3/conv.weight"), its shape and how it is first drawn.
 * The lowering lists weights depth-first through the spec, the order in which PyTorch lists a module's parameters,
 * so a golden file's weights are taken as they come; the order also decides which generator split off the seed draws
 * which weight, so it is pinned ({@code LoweredWeightsTest}): one seed keeps giving the same numbers. Engines look
 * weights up by name, never by position.
 * {@code learned}: a parameter, or (false) a running statistic of batch norm, which is a buffer and not counted.
 */
public record Weight(String name, long[] shape, Init init, boolean learned) {

    /**
     * How a weight is first drawn: uniform in ±bound (PyTorch's default for convs and linears), or centre ± spread.
     * The one place for those formulas: every engine that draws a weight passes its own generator's uniform numbers
     * through {@link #draw}.
     */
    public sealed interface Init permits Uniform, Around {
        /** The value for {@code u}, a uniform number in [0, 1). */
        float draw(double u);
    }

    public record Uniform(double bound) implements Init {
        @Override
        public float draw(double u) {
            return within(u, bound);
        }
    }

    /** Centre ± spread: the spread drawn as {@link Uniform}'s, then the centre added in float. */
    public record Around(double centre, double spread) implements Init {
        @Override
        public float draw(double u) {
            return within(u, spread) + (float) centre;
        }
    }

    /** u in [0, 1) spread over ±bound: the one uniform formula (no object made per value, on the draw's hot path). */
    private static float within(double u, double bound) {
        return (float) ((u * 2 - 1) * bound);
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Weight w && name.equals(w.name) && Arrays.equals(shape, w.shape) && init.equals(w.init)
                && learned == w.learned;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
