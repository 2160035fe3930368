package effconv.layers;

import java.util.List;

/**
 * Depthwise-separable convolution: a K×K {@link DepthwiseConv} (spatial filtering, channel by channel) followed
 * by a {@link PointwiseConv} (channel mixing) — MobileNet's building block and the torchsummary blog post's fourth experiment.
 */
public record SeparableConv(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation,
                            boolean bias) implements Composite {

    public SeparableConv {
        depthwise(inChannels, kernel, stride, padding, dilation, bias);
        new PointwiseConv(inChannels, outChannels, bias);
    }

    public static SeparableConv of(int inChannels, int outChannels, int kernel) {
        return new SeparableConv(inChannels, outChannels, kernel, 1, 0, 1, false);
    }

    public SeparableConv stride(int s) {
        return new SeparableConv(inChannels, outChannels, kernel, s, padding, dilation, bias);
    }

    public SeparableConv padding(int p) {
        return new SeparableConv(inChannels, outChannels, kernel, stride, p, dilation, bias);
    }

    public SeparableConv dilation(int d) {
        return new SeparableConv(inChannels, outChannels, kernel, stride, padding, d, bias);
    }

    public SeparableConv bias(boolean b) {
        return new SeparableConv(inChannels, outChannels, kernel, stride, padding, dilation, b);
    }

    private static DepthwiseConv depthwise(int c, int k, int s, int p, int d, boolean b) {
        return new DepthwiseConv(c, 1, k, s, p, d, b);
    }

    public DepthwiseConv depthwise() {
        return depthwise(inChannels, kernel, stride, padding, dilation, bias);
    }

    public PointwiseConv pointwise() {
        return new PointwiseConv(inChannels, outChannels, bias);
    }

    /** The two layers as a sequence (what {@code nn.Sequential} in the torchsummary blog post builds). */
    public Sequence toSequence() {
        return new Sequence(List.of(depthwise(), pointwise()));
    }

    @Override
    public Layer graph() {
        return toSequence();
    }

    @Override
    public String torchType() {
        return "Sequential";
    }

    @Override
    public String toString() {
        return "SeparableConv(" + inChannels + " → " + outChannels + ", kernel=" + kernel + ") = "
                + depthwise().toConv2d() + " then " + pointwise().toConv2d();
    }
}
