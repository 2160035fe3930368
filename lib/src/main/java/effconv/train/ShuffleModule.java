package effconv.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import effconv.ChannelShuffle;

/**
 * The channel shuffle, a permutation of channels: viewed as [n, g, C/g, H·W], transposed to [n, C/g, g, H·W] (one
 * strided native copy). Its backward pass is the inverse permutation.
 */
final class ShuffleModule extends Module {
    private final int groups;
    private INDArray out;
    private INDArray dx;

    ShuffleModule(String path, ChannelShuffle spec) {
        super(path, spec);
        groups = spec.groups();
    }

    @Override
    INDArray forward(INDArray x, boolean training) {
        spec.outputShape(effconv.Shape.of((int) x.size(1), (int) x.size(2), (int) x.size(3)));
        if (!sameShape(out, x.shape())) {
            out = Floats.create(x.shape());
            dx = null; // made by the first backward pass
        }
        long n = x.size(0);
        long per = x.size(1) / groups;
        long plane = x.size(2) * x.size(3);
        out.reshape('c', n, per, groups, plane).assign(x.reshape('c', n, groups, per, plane).permute(0, 2, 1, 3));
        return out;
    }

    @Override
    INDArray backward(INDArray dy) {
        if (dx == null) {
            dx = Floats.create(dy.shape());
        }
        long n = dy.size(0);
        long per = dy.size(1) / groups;
        long plane = dy.size(2) * dy.size(3);
        dx.reshape('c', n, groups, per, plane).assign(dy.reshape('c', n, per, groups, plane).permute(0, 2, 1, 3));
        return dx;
    }

    @Override
    INDArray output() {
        return out;
    }
}
