package effconv.layers;

/**
 * A 2-D convolution exactly as PyTorch's {@code nn.Conv2d} defines it (square kernel, stride, padding and
 * dilation). Every other convolution in the course — grouped, depthwise, pointwise, dilated — is a Conv2d with
 * particular arguments, so the three cost formulas live here and nowhere else.
 */
public record Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation,
                     int groups, boolean bias) implements ConvLayer {

    public Conv2d {
        Check.positive("inChannels", inChannels);
        Check.positive("outChannels", outChannels);
        Check.positive("kernel", kernel);
        Check.positive("stride", stride);
        Check.nonNegative("padding", padding);
        Check.positive("dilation", dilation);
        Check.positive("groups", groups);
        Check.divides("groups", groups, "inChannels", inChannels);
        Check.divides("groups", groups, "outChannels", outChannels);
    }

    /** A standard convolution: stride 1, no padding, no dilation, one group, no bias (the torchsummary blog post's layers). */
    public static Conv2d of(int inChannels, int outChannels, int kernel) {
        return new Conv2d(inChannels, outChannels, kernel, 1, 0, 1, 1, false);
    }

    public Conv2d stride(int s) {
        return new Conv2d(inChannels, outChannels, kernel, s, padding, dilation, groups, bias);
    }

    public Conv2d padding(int p) {
        return new Conv2d(inChannels, outChannels, kernel, stride, p, dilation, groups, bias);
    }

    public Conv2d dilation(int d) {
        return new Conv2d(inChannels, outChannels, kernel, stride, padding, d, groups, bias);
    }

    public Conv2d groups(int g) {
        return new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, g, bias);
    }

    public Conv2d bias(boolean b) {
        return new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation, groups, b);
    }

    /** A Conv2d is its own PyTorch module. */
    @Override
    public Conv2d toConv2d() {
        return this;
    }

    /** The span of input one kernel covers: k + (k − 1)(d − 1) (Dumoulin &amp; Visin). */
    public int effectiveKernel() {
        return kernel + (kernel - 1) * (dilation - 1);
    }

    /** Output size along one axis: ⌊(i + 2p − k̂) / s⌋ + 1. */
    public int outputSize(int inputSize, String axis) {
        int padded = inputSize + 2 * padding;
        if (effectiveKernel() > padded) {
            throw new IllegalArgumentException("kernel = " + kernel
                    + (dilation > 1 ? " (dilated to " + effectiveKernel() + ")" : "")
                    + " is not allowed for an input " + axis + " of " + inputSize + " with padding " + padding
                    + ": the kernel must fit the padded input, " + padded + " wide");
        }
        return (padded - effectiveKernel()) / stride + 1;
    }

    @Override
    public Shape outputShape(Shape input) {
        checkInput(input);
        return Shape.of(outChannels, outputSize(input.height(), "height"), outputSize(input.width(), "width"));
    }

    void checkInput(Shape input) {
        Check.notNull("input", input);
        if (input.channels() != inChannels) {
            throw new IllegalArgumentException("input channels = " + input.channels() + " is not allowed: this "
                    + torchType() + " expects inChannels = " + inChannels);
        }
    }

    /** Channels each output channel sees: C_in / g. */
    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    /** Weights N·(M/g)·K², plus N biases. */
    @Override
    public long params() {
        return Math.addExact(weightCount(), bias ? outChannels : 0);
    }

    public long weightCount() {
        return Check.product("weight dimensions", outChannels, inChannelsPerGroup(), kernel, kernel);
    }

    /** One MAC per weight per output position: N·(M/g)·K²·H_out·W_out (plus one per output for a counted bias). */
    @Override
    public long macs(Shape input, Counting counting) {
        Shape out = outputShape(input);
        return Check.product("MAC factors (weights, output height, output width)", weightCount(), out.height(),
                out.width()) + (bias && counting.bias() ? out.numel() : 0);
    }

    @Override
    public String torchType() {
        return "Conv2d";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Conv2d(").append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(kernel);
        if (stride != 1) sb.append(", stride=").append(stride);
        if (padding != 0) sb.append(", padding=").append(padding);
        if (dilation != 1) sb.append(", dilation=").append(dilation);
        if (groups != 1) sb.append(", groups=").append(groups);
        return sb.append(", bias=").append(bias ? "True" : "False").append(')').toString();
    }
}
