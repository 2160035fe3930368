package effconv.layers;

/**
 * Grouped convolution: the channels split into g groups, each convolved on its own — AlexNet's two GPUs,
 * ResNeXt's cardinality, ShuffleNet's 1×1 group convolutions. Parameters and MACs are 1/g of the standard
 * convolution's. In PyTorch it is {@code Conv2d(C_in, C_out, K, groups=g)}.
 */
public record GroupedConv(int inChannels, int outChannels, int kernel, int groups, int stride, int padding,
                          boolean bias) implements ConvLayer {

    public GroupedConv {
        new Conv2d(inChannels, outChannels, kernel, stride, padding, 1, groups, bias);
    }

    public static GroupedConv of(int inChannels, int outChannels, int kernel, int groups) {
        return new GroupedConv(inChannels, outChannels, kernel, groups, 1, 0, false);
    }

    public GroupedConv stride(int s) {
        return new GroupedConv(inChannels, outChannels, kernel, groups, s, padding, bias);
    }

    public GroupedConv padding(int p) {
        return new GroupedConv(inChannels, outChannels, kernel, groups, stride, p, bias);
    }

    public GroupedConv bias(boolean b) {
        return new GroupedConv(inChannels, outChannels, kernel, groups, stride, padding, b);
    }

    @Override
    public Conv2d toConv2d() {
        return new Conv2d(inChannels, outChannels, kernel, stride, padding, 1, groups, bias);
    }

    @Override
    public String toString() {
        return "GroupedConv(" + inChannels + " → " + outChannels + ", kernel=" + kernel + ", groups=" + groups + ") = "
                + toConv2d();
    }
}
