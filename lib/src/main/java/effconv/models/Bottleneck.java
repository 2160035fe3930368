package effconv.models;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.Check;
import effconv.layers.Composite;
import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.PointwiseConv;
import effconv.layers.Residual;
import effconv.layers.Sequence;

/**
 * ResNet's bottleneck (groups = 1) and ResNeXt's (groups = cardinality): 1×1 conv c → m, 3×3 conv m → m with the
 * given groups, 1×1 conv m → c, each with BN, ReLU between, the input added back. Stride 1, for comparing unit
 * costs with ShuffleNet's: hw(2cm + 9m²) and hw(2cm + 9m²/g).
 */
public record Bottleneck(int channels, int bottleneck, int groups) implements Composite {

    public Bottleneck {
        Check.positive("channels", channels);
        Check.positive("bottleneck", bottleneck);
        Check.positive("groups", groups);
        Check.divides("groups", groups, "bottleneck", bottleneck);
    }

    public static Bottleneck resnet(int channels, int bottleneck) {
        return new Bottleneck(channels, bottleneck, 1);
    }

    public static Bottleneck resnext(int channels, int bottleneck, int cardinality) {
        return new Bottleneck(channels, bottleneck, cardinality);
    }

    @Override
    public Layer graph() {
        return Sequence.of(new Residual(Sequence.of(
                Named.of("conv1x1_in", PointwiseConv.of(channels, bottleneck)),
                Named.of("bn1", new BatchNorm(bottleneck)),
                Named.of("relu1", Activation.RELU),
                Named.of("conv3x3", GroupedConv.of(bottleneck, bottleneck, 3, groups).padding(1)),
                Named.of("bn2", new BatchNorm(bottleneck)),
                Named.of("relu2", Activation.RELU),
                Named.of("conv1x1_out", PointwiseConv.of(bottleneck, channels)),
                Named.of("bn3", new BatchNorm(channels)))),
                Named.of("relu", Activation.RELU));
    }

    /** The paper's unit cost: hw(2cm + 9m²/g). */
    public static long formula(int c, int h, int w, int m, int g) {
        return (long) h * w * (2L * c * m + 9L * m * m / g);
    }

    @Override
    public String torchType() {
        return groups == 1 ? "ResNetBottleneck" : "ResNeXtBottleneck";
    }
}
