package effconv.lower;

import java.util.ArrayList;
import java.util.List;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Composite;
import effconv.layers.Concat;
import effconv.layers.Conv2d;
import effconv.layers.ConvLayer;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Pool;
import effconv.layers.Residual;
import effconv.layers.Sequence;

/**
 * A network's weights as the lowering names them, in the order a seed draws them (depth-first through the spec),
 * with PyTorch's shapes and first draws: the one place that says what weights a layer has.
 */
final class WeightList {
    final List<Weight> list = new ArrayList<>();

    /**
     * The weights {@code spec} holds, by name and in the order a seed draws them: the same list as any lowering's,
     * without an input shape (a layer's weights do not depend on it), so a layer can be made before it sees input.
     */
    static List<Weight> of(Layer spec) {
        WeightList l = new WeightList();
        l.weightsOf(spec, "");
        return List.copyOf(l.list);
    }

    /** The lowering's walk, weights only: the branches' paths are the ones {@link Lowering} gives them. */
    private void weightsOf(Layer spec, String path) {
        for (Flat.At at : Flat.flatten(spec, path)) {
            at.layer().accept(new Layer.Visitor<Void>() {
                @Override public Void conv(ConvLayer c) { WeightList.this.conv(at.path(), c.toConv2d()); return null; }
                @Override public Void batchNorm(BatchNorm b) { norm(at.path(), b.channels()); return null; }
                @Override public Void fullyConnected(FullyConnected f) { linear(at.path(), f); return null; }
                @Override public Void activation(Activation a) { return null; }
                @Override public Void shuffle(ChannelShuffle s) { return null; }
                @Override public Void globalAvgPool(GlobalAvgPool g) { return null; }
                @Override public Void pool(Pool p) { return null; }
                @Override public Void add(Residual.Add a) { throw Lowering.loneAdd(at.path()); }

                @Override
                public Void concat(Concat c) {
                    for (int k = 0; k < c.branches().size(); k++) {
                        weightsOf(c.branches().get(k), Flat.join(at.path(), "branch" + k));
                    }
                    return null;
                }

                @Override
                public Void residual(Residual r) {
                    weightsOf(r.body(), Flat.join(at.path(), "body"));
                    if (r.shortcut() != null) {
                        weightsOf(r.shortcut(), Flat.join(at.path(), "shortcut"));
                    }
                    return null;
                }

                @Override public Void named(Named n) { throw new IllegalStateException("flattened away"); }
                @Override public Void sequence(Sequence s) { throw new IllegalStateException("flattened away"); }
                @Override public Void composite(Composite c) { throw new IllegalStateException("flattened away"); }
            });
        }
    }

    private Weight weight(String path, String name, Weight.Init init, long... shape) {
        return weight(path, name, init, true, shape);
    }

    private Weight weight(String path, String name, Weight.Init init, boolean learned, long... shape) {
        Weight w = new Weight(Flat.join(path, name), shape, init, learned);
        list.add(w);
        return w;
    }

    /** A convolution's weight [out, in/g, K, K] and bias (or null), PyTorch's default draws. */
    Weight[] conv(String path, Conv2d c) {
        double bound = 1.0 / Math.sqrt((double) c.inChannelsPerGroup() * c.kernel() * c.kernel());
        Weight w = weight(path, "weight", new Weight.Uniform(bound), c.outChannels(), c.inChannelsPerGroup(),
                c.kernel(), c.kernel());
        return new Weight[] {w, c.bias() ? weight(path, "bias", new Weight.Uniform(bound), c.outChannels()) : null};
    }

    /** A linear layer's weight [out, in] and bias (or null). */
    Weight[] linear(String path, FullyConnected fc) {
        double bound = 1.0 / Math.sqrt(fc.in());
        Weight w = weight(path, "weight", new Weight.Uniform(bound), fc.out(), fc.in());
        return new Weight[] {w, fc.bias() ? weight(path, "bias", new Weight.Uniform(bound), fc.out()) : null};
    }

    Op.BatchNormWeights norm(String path, int channels) {
        // PyTorch's order (weight, bias, running mean, running variance), so golden files load as they are; each
        // near but not at the identity's value (γ and variance about 1, β and mean about 0), so an engine that drops
        // or swaps a statistic differs in every output, while activations keep their scale
        return new Op.BatchNormWeights(weight(path, "gamma", new Weight.Around(1, 0.2), channels),
                weight(path, "beta", new Weight.Uniform(0.2), channels),
                weight(path, "mean", new Weight.Uniform(0.2), false, channels),
                weight(path, "var", new Weight.Around(1, 0.2), false, channels));
    }
}
