package effconv.train;

import effconv.layers.FullyConnected;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


/**
 * A fully connected layer on the flattened input, y = x·Wᵀ + b, W as PyTorch stores it [out, in]; initialised
 * as PyTorch does, uniform in ±1/√in.
 */
final class LinearModule extends Module {
    final FullyConnected fc;
    final INDArray w;
    final INDArray gw;
    final INDArray b;
    final INDArray gb;
    private INDArray x2;
    private INDArray y2;
    private INDArray y4;
    private INDArray dx2;
    private long[] inShape;

    LinearModule(String path, FullyConnected fc, Random init) {
        super(path, fc);
        this.fc = fc;
        double bound = 1 / Math.sqrt(fc.in());
        w = uniform(init, bound, fc.out(), fc.in());
        gw = Floats.zeros(fc.out(), fc.in());
        b = fc.bias() ? uniform(init, bound, fc.out()) : null;
        gb = fc.bias() ? Floats.zeros(fc.out()) : null;
    }

    private static INDArray uniform(Random r, double bound, long... shape) {
        INDArray a = Floats.create(shape);
        float[] v = new float[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        Floats.write(v, a);
        return a;
    }

    @Override
    List<Param> params() {
        List<Param> ps = new ArrayList<>();
        ps.add(new Param(path + ".weight", w, gw));
        if (b != null) {
            ps.add(new Param(path + ".bias", b, gb));
        }
        return ps;
    }

    @Override
    INDArray forward(INDArray x, boolean training) {
        long n = x.size(0);
        if (y2 == null || y2.size(0) != n) {
            y2 = Floats.create(n, fc.out());
            y4 = y2.reshape('c', n, fc.out(), 1, 1);
            dx2 = Floats.create(n, fc.in());
        }
        inShape = x.shape();
        x2 = x.reshape('c', n, fc.in());
        Nd4j.gemm(x2, w, y2, false, true, 1.0, 0.0);
        if (b != null) {
            y2.addiRowVector(b);
        }
        return y4;
    }

    /** The logits as [n, out]. */
    INDArray logits() {
        return y2;
    }

    @Override
    INDArray backward(INDArray dy) {
        INDArray d = dy.reshape('c', dy.size(0), fc.out());
        Nd4j.gemm(d, x2, gw, true, false, 1.0, 0.0);
        if (gb != null) {
            gb.assign(d.sum(0));
        }
        Nd4j.gemm(d, w, dx2, false, false, 1.0, 0.0);
        return dx2.reshape('c', inShape);
    }

    @Override
    INDArray output() {
        return y4;
    }
}
