package effconv.layers;

/**
 * Grouped convolution: the channels split into g groups, each convolved on its own — AlexNet's two GPUs,
 * ResNeXt's cardinality, ShuffleNet's 1×1 group convolutions. Parameters and MACs are 1/g of the standard
 * convolution's. In PyTorch it is {@code Conv2d(C_in, C_out, K, groups=g)}.
 */
public record GroupedConv(int inChannels, int outChannels, int kernel, int stride, int padding, int groups,
                          boolean bias) implements ConvLayer {

    public GroupedConv {
        conv2d(inChannels, outChannels, kernel, stride, padding, groups, bias); // checks every argument
    }

    public static GroupedConv of(int inChannels, int outChannels, int kernel, int groups) {
        return new GroupedConv(inChannels, outChannels, kernel, 1, 0, groups, false);
    }

    public GroupedConv stride(int s) {
        return new GroupedConv(inChannels, outChannels, kernel, s, padding, groups, bias);
    }

    public GroupedConv padding(int p) {
        return new GroupedConv(inChannels, outChannels, kernel, stride, p, groups, bias);
    }

    public GroupedConv bias(boolean b) {
        return new GroupedConv(inChannels, outChannels, kernel, stride, padding, groups, b);
    }

    @Override
    public Conv2d toConv2d() {
        return conv2d(inChannels, outChannels, kernel, stride, padding, groups, bias);
    }

    private static Conv2d conv2d(int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        return new Conv2d(in, out, kernel, stride, padding, 1, groups, bias);
    }

    @Override
    public String toString() {
        return "GroupedConv(" + inChannels + " → " + outChannels + ", kernel=" + kernel + ", groups=" + groups + ") = "
                + toConv2d();
    }
}
