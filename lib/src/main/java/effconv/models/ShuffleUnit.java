package effconv.models;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
import effconv.layers.Composite;
import effconv.layers.Concat;
import effconv.layers.DepthwiseConv;
import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Pool;
import effconv.layers.Residual;
import effconv.layers.Sequence;

/**
 * ShuffleNet's unit: 1×1 group conv to the bottleneck m = out/4 (+BN, ReLU), channel shuffle, 3×3 depthwise
 * conv (+BN), 1×1 group conv (+BN). Stride 1: added to the input; stride 2: concatenated with a 3×3 average pool
 * of the input (so the branch makes out − in channels). ReLU after the join. {@code groupedFirst = false} makes
 * the first 1×1 ungrouped, as in Stage 2's first unit, whose input has only 24 channels.
 */
public record ShuffleUnit(int inChannels, int outChannels, int groups, int stride, boolean groupedFirst)
        implements Composite {

    public ShuffleUnit {
        Check.positive("inChannels", inChannels);
        Check.positive("outChannels", outChannels);
        Check.positive("groups", groups);
        Check.positive("stride", stride);
        Check.atMost("stride", stride, 2, "ShuffleNet units use stride 1 or 2");
        if (stride == 2 && outChannels <= inChannels) {
            throw new IllegalArgumentException("outChannels = " + outChannels + " is not allowed for a stride-2 unit:"
                    + " it must exceed inChannels = " + inChannels + " (the branch adds out − in channels)");
        }
        if (stride == 1 && outChannels != inChannels) {
            throw new IllegalArgumentException("outChannels = " + outChannels + " is not allowed for a stride-1 unit:"
                    + " it must equal inChannels = " + inChannels + " (the input is added back)");
        }
        Check.divides("groups", groups, "the bottleneck channels (outChannels / 4)", outChannels / 4);
        Check.divides("groups", groups, "the branch's output channels", branchOut(inChannels, outChannels, stride));
    }

    private static int branchOut(int in, int out, int stride) {
        return stride == 2 ? out - in : out;
    }

    public int bottleneck() {
        return outChannels / 4;
    }

    @Override
    public Layer graph() {
        int m = bottleneck();
        Sequence branch = Sequence.of(
                Named.of("gconv1", GroupedConv.of(inChannels, m, 1, groupedFirst ? groups : 1)),
                Named.of("gconv1_bn", new BatchNorm(m)),
                Named.of("gconv1_relu", Activation.RELU),
                Named.of("shuffle", new ChannelShuffle(groups)),
                Named.of("depthwise", DepthwiseConv.of(m, 3).stride(stride).padding(1)),
                Named.of("depthwise_bn", new BatchNorm(m)),
                Named.of("gconv2", GroupedConv.of(m, branchOut(inChannels, outChannels, stride), 1, groups)),
                Named.of("gconv2_bn", new BatchNorm(branchOut(inChannels, outChannels, stride))));
        Layer join = stride == 1 ? new Residual(branch)
                : Concat.of(Named.of("shortcut_avgpool", Pool.avg(3, 2).padding(1)), branch);
        return Sequence.of(join, Named.of("relu", Activation.RELU));
    }

    /** The paper's unit cost hw(2cm/g + 9m) for a stride-1 unit on c×h×w: both 1×1 convs grouped. */
    public static long formula(int c, int h, int w, int m, int g) {
        return (long) h * w * (2L * c * m / g + 9L * m);
    }
}
