package effconv.layers;

/**
 * Dilated (atrous) convolution: a K×K kernel with gaps of d − 1 between its taps covers
 * k̂ = K + (K − 1)(d − 1) pixels, with the parameters and MACs per output of a plain K×K kernel.
 */
public record DilatedConv(int inChannels, int outChannels, int kernel, int dilation, int stride, int padding,
                          boolean bias) implements ConvLayer {

    public DilatedConv {
        new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, 1, bias);
    }

    public static DilatedConv of(int inChannels, int outChannels, int kernel, int dilation) {
        return new DilatedConv(inChannels, outChannels, kernel, dilation, 1, 0, false);
    }

    /** Padding that keeps the spatial size at stride 1: (k̂ − 1) / 2. */
    public DilatedConv samePadding() {
        return new DilatedConv(inChannels, outChannels, kernel, dilation, stride,
                (toConv2d().effectiveKernel() - 1) / 2, bias);
    }

    public DilatedConv stride(int s) {
        return new DilatedConv(inChannels, outChannels, kernel, dilation, s, padding, bias);
    }

    public DilatedConv padding(int p) {
        return new DilatedConv(inChannels, outChannels, kernel, dilation, stride, p, bias);
    }

    @Override
    public Conv2d toConv2d() {
        return new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, 1, bias);
    }
}
