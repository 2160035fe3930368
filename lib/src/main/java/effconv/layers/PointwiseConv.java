package effconv.layers;

/**
 * Pointwise (1×1) convolution: mixes channels at each pixel and nothing else — a matrix multiply of the
 * C_in channel vector at every position. In PyTorch it is {@code Conv2d(C_in, C_out, 1)}.
 */
public record PointwiseConv(int inChannels, int outChannels, boolean bias) implements ConvLayer {

    public PointwiseConv {
        conv2d(inChannels, outChannels, bias); // checks every argument
    }

    public static PointwiseConv of(int inChannels, int outChannels) {
        return new PointwiseConv(inChannels, outChannels, false);
    }

    public PointwiseConv bias(boolean b) {
        return new PointwiseConv(inChannels, outChannels, b);
    }

    @Override
    public Conv2d toConv2d() {
        return conv2d(inChannels, outChannels, bias);
    }

    private static Conv2d conv2d(int in, int out, boolean bias) {
        return Conv2d.of(in, out, 1).bias(bias);
    }

    @Override
    public String toString() {
        return "PointwiseConv(" + inChannels + " → " + outChannels + ") = " + toConv2d();
    }
}
