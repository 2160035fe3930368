package effconv.layers;

/**
 * Depthwise convolution: every input channel gets its own K×K filters ({@code multiplier} of them) and no
 * channel sees another. In PyTorch it is {@code Conv2d(C, C·multiplier, K, groups=C)}.
 */
public record DepthwiseConv(int channels, int multiplier, int kernel, int stride, int padding, int dilation,
                            boolean bias) implements ConvLayer {

    public DepthwiseConv {
        Check.positive("channels", channels);
        Check.positive("multiplier", multiplier);
        conv2d(channels, multiplier, kernel, stride, padding, dilation, bias); // checks the other arguments
    }

    public static DepthwiseConv of(int channels, int kernel) {
        return new DepthwiseConv(channels, 1, kernel, 1, 0, 1, false);
    }

    public DepthwiseConv multiplier(int m) {
        return new DepthwiseConv(channels, m, kernel, stride, padding, dilation, bias);
    }

    public DepthwiseConv stride(int s) {
        return new DepthwiseConv(channels, multiplier, kernel, s, padding, dilation, bias);
    }

    public DepthwiseConv padding(int p) {
        return new DepthwiseConv(channels, multiplier, kernel, stride, p, dilation, bias);
    }

    public DepthwiseConv dilation(int d) {
        return new DepthwiseConv(channels, multiplier, kernel, stride, padding, d, bias);
    }

    public DepthwiseConv bias(boolean b) {
        return new DepthwiseConv(channels, multiplier, kernel, stride, padding, dilation, b);
    }

    @Override
    public Conv2d toConv2d() {
        return conv2d(channels, multiplier, kernel, stride, padding, dilation, bias);
    }

    private static Conv2d conv2d(int channels, int multiplier, int kernel, int stride, int padding, int dilation,
                                 boolean bias) {
        return new Conv2d(channels, channels * multiplier, kernel, stride, padding, dilation, channels, bias);
    }

    @Override
    public String toString() {
        return "DepthwiseConv(" + channels + ", kernel=" + kernel
                + (multiplier != 1 ? ", multiplier=" + multiplier : "") + ") = " + toConv2d();
    }
}
