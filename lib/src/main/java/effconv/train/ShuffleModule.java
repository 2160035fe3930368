package effconv.train;

import effconv.layers.ChannelShuffle;
import effconv.layers.Shape;
import org.nd4j.linalg.api.ndarray.INDArray;


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
        spec.outputShape(Shape.of((int) x.size(1), (int) x.size(2), (int) x.size(3)));
        if (!sameShape(out, x.shape())) {
            out = Floats.create(x.shape());
            dx = null; // made by the first backward pass
        }
        transpose(x, out, groups, x.size(1) / groups);
        return out;
    }

    @Override
    INDArray backward(INDArray dy) {
        if (dx == null) {
            dx = Floats.create(dy.shape());
        }
        transpose(dy, dx, dy.size(1) / groups, groups);
        return dx;
    }

    /** Channels viewed as a rows × cols grid, transposed: the shuffle (g × C/g) and its inverse (C/g × g). */
    private static void transpose(INDArray from, INDArray to, long rows, long cols) {
        long n = from.size(0);
        long plane = from.size(2) * from.size(3);
        to.reshape('c', n, cols, rows, plane).assign(from.reshape('c', n, rows, cols, plane).permute(0, 2, 1, 3));
    }

    @Override
    INDArray output() {
        return out;
    }
}
