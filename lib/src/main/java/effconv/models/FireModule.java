package effconv.models;

import effconv.layers.Activation;
import effconv.layers.Check;
import effconv.layers.Composite;
import effconv.layers.Concat;
import effconv.layers.Conv2d;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Sequence;

/**
 * SqueezeNet's fire module: a 1×1 "squeeze" to few channels, then 1×1 and 3×3 "expand" convolutions side by side,
 * concatenated. Every convolution has a bias and a ReLU (as in SqueezeNet 1.0).
 */
public record FireModule(int inChannels, int squeeze, int expand1x1, int expand3x3) implements Composite {

    public FireModule {
        Check.positive("inChannels", inChannels);
        Check.positive("squeeze", squeeze);
        Check.positive("expand1x1", expand1x1);
        Check.positive("expand3x3", expand3x3);
    }

    public int outChannels() {
        return expand1x1 + expand3x3;
    }

    @Override
    public Layer graph() {
        return Sequence.of(
                Named.of("squeeze1x1", Conv2d.of(inChannels, squeeze, 1).bias(true)),
                Named.of("squeeze_relu", Activation.RELU),
                Concat.of(
                        Sequence.of(Named.of("expand1x1", Conv2d.of(squeeze, expand1x1, 1).bias(true)),
                                Named.of("expand1x1_relu", Activation.RELU)),
                        Sequence.of(Named.of("expand3x3", Conv2d.of(squeeze, expand3x3, 3).padding(1).bias(true)),
                                Named.of("expand3x3_relu", Activation.RELU))));
    }
}
