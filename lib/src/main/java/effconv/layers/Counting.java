package effconv.layers;

/**
 * What a MAC count includes. The papers (MobileNet, ShuffleNet, the filter-group data) count only the
 * multiply-accumulates of convolutions and fully connected layers — {@link #PAPERS}, the default everywhere.
 * Tools differ: ptflops and torchinfo also count biases, fvcore and thop do not; some count batch norm, pooling,
 * activations or residual additions. Each is a switch here, one op per value it touches.
 */
public record Counting(boolean bias, boolean batchNorm, boolean pooling, boolean activations, boolean additions) {

    /** Convolutions and fully connected layers only: what the papers print. */
    public static final Counting PAPERS = new Counting(false, false, false, false, false);

    /** Every operation the course models. */
    public static final Counting EVERYTHING = new Counting(true, true, true, true, true);

    public Counting withBias(boolean b) {
        return new Counting(b, batchNorm, pooling, activations, additions);
    }

    public Counting withBatchNorm(boolean b) {
        return new Counting(bias, b, pooling, activations, additions);
    }

    public Counting withPooling(boolean b) {
        return new Counting(bias, batchNorm, b, activations, additions);
    }

    public Counting withActivations(boolean b) {
        return new Counting(bias, batchNorm, pooling, b, additions);
    }

    public Counting withAdditions(boolean b) {
        return new Counting(bias, batchNorm, pooling, activations, b);
    }
}
