package effconv.layers;

/**
 * Dilated (atrous) convolution: a K×K kernel with gaps of d − 1 between its taps covers
 * k̂ = K + (K − 1)(d − 1) pixels, with the parameters and MACs per output of a plain K×K kernel.
 */
public record DilatedConv(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation,
                          boolean bias) implements ConvLayer {

    public DilatedConv {
        conv2d(inChannels, outChannels, kernel, stride, padding, dilation, bias); // checks every argument
    }

    public static DilatedConv of(int inChannels, int outChannels, int kernel, int dilation) {
        return new DilatedConv(inChannels, outChannels, kernel, 1, 0, dilation, false);
    }

    /** Padding that keeps the spatial size at stride 1: (k̂ − 1) / 2. */
    public DilatedConv samePadding() {
        return new DilatedConv(inChannels, outChannels, kernel, stride,
                (toConv2d().effectiveKernel() - 1) / 2, dilation, bias);
    }

    public DilatedConv stride(int s) {
        return new DilatedConv(inChannels, outChannels, kernel, s, padding, dilation, bias);
    }

    public DilatedConv padding(int p) {
        return new DilatedConv(inChannels, outChannels, kernel, stride, p, dilation, bias);
    }

    @Override
    public Conv2d toConv2d() {
        return conv2d(inChannels, outChannels, kernel, stride, padding, dilation, bias);
    }

    private static Conv2d conv2d(int in, int out, int kernel, int stride, int padding, int dilation, boolean bias) {
        return new Conv2d(in, out, kernel, stride, padding, dilation, 1, bias);
    }
}
