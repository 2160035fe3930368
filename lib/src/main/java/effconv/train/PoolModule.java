package effconv.train;

import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Pool;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;


/**
 * Max pooling (K×K windows, stride S, no padding) with ND4J's {@code maxpool2d} and its backward op, which sends
 * each window's gradient to the input that won it; or global average pooling, whose gradient is spread evenly.
 */
final class PoolModule extends Module {
    private final Pool pool;
    private NativeOp forwardOp;
    private NativeOp backwardOp;
    private INDArray x;
    private INDArray out;
    private INDArray dx;

    PoolModule(String path, Layer spec) {
        super(path, spec);
        if (spec instanceof Pool p) {
            if (p.kind() != Pool.Kind.MAX || p.padding() != 0 || p.ceil()) {
                throw new IllegalArgumentException("layer " + p + " is not allowed in a trained network: training "
                        + "supports max pooling without padding or ceil mode, and global average pooling");
            }
            pool = p;
            forwardOp = NativeOp.of("maxpool2d", args());
            backwardOp = NativeOp.of("maxpool2d_bp", args());
        } else if (spec instanceof GlobalAvgPool) {
            pool = null;
        } else {
            throw new IllegalArgumentException("internal: " + spec + " is not a pooling layer");
        }
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        long n = input.size(0);
        long c = input.size(1);
        int h = (int) input.size(2);
        int w = (int) input.size(3);
        long[] shape = {n, c, pool == null ? 1 : pool.outputSize(h, "height"), pool == null ? 1 : pool.outputSize(w, "width")};
        if (!sameShape(out, shape)) {
            out = Floats.create(shape);
            dx = null; // made by the first backward pass
        }
        x = input;
        if (pool == null) {
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.reduce.floating.Mean(input, out.reshape('c', n, c), 2, 3));
        } else {
            forwardOp.exec(new INDArray[] {input}, new INDArray[] {out});
        }
        return out;
    }

    /** kH, kW, sH, sW, pH, pW, dH, dW, explicit padding, (unused), NCHW. */
    private int[] args() {
        int k = pool.kernel();
        int s = pool.stride();
        return new int[] {k, k, s, s, 0, 0, 1, 1, 0, 0, 0};
    }

    @Override
    INDArray backward(INDArray dy) {
        if (dx == null) {
            dx = Floats.create(x.shape());
        }
        if (pool == null) {
            Broadcast.copy(dx, dy.reshape('c', dy.size(0), dy.size(1)), dx, 0, 1);
            dx.divi(x.size(2) * x.size(3));
        } else {
            backwardOp.exec(new INDArray[] {x, dy}, new INDArray[] {dx});
        }
        return dx;
    }

    @Override
    INDArray output() {
        return out;
    }
}
