package effconv.lower;

/**
 * Which fusions the lowering makes; the lowering's share of {@code FusedNet.Steps} (keeping layouts is the
 * engine's own business). {@link #none()} is what the reference and training engines run: one op per layer.
 *
 * @param foldBatchNorm   a batch norm after a convolution is folded into it
 * @param fuseActivations an activation, and a residual sum, is taken by the op before it
 * @param groupedPrimitive a grouped convolution stays one op; off, ops are marked to run one convolution per group
 */
public record Fusions(boolean foldBatchNorm, boolean fuseActivations, boolean groupedPrimitive) {

    public static Fusions all() {
        return new Fusions(true, true, true);
    }

    public static Fusions none() {
        return new Fusions(false, false, true);
    }
}
