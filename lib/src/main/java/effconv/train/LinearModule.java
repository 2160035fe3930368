package effconv.train;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import effconv.layers.FullyConnected;
import effconv.lower.Op;
import effconv.lower.Weight;
import effconv.runtime.Dnnl;
import effconv.runtime.Floats;
import effconv.runtime.Weights;
import java.util.List;
import java.util.Random;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.inner_product_backward_data;
import org.bytedeco.dnnl.inner_product_backward_weights;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * A fully connected layer on the flattened input, y = x·Wᵀ + b, W as PyTorch stores it [out, in]; initialised
 * as PyTorch does, uniform in ±1/√in (the lowering's {@link Weight.Init}). Each pass is one oneDNN inner-product
 * primitive.
 */
final class LinearModule extends Module {
    final FullyConnected fc;
    final INDArray w;
    final INDArray gw;
    final INDArray b;
    final INDArray gb;
    private INDArray y2;
    private INDArray y4;
    private INDArray dx;
    private long[] built;
    private memory src;
    private memory diffDst;
    private Primitives.Call forwardCall;
    private Primitives.Call dataCall;
    private Primitives.Call weightsCall;

    /** The op's layer with its first weights drawn from {@code init} as the lowering says ({@link Weight.Init}). */
    LinearModule(Op.Linear op, Random init) {
        super(op.path(), op.fc());
        this.fc = op.fc();
        w = Weights.draw(init, op.weight());
        gw = Floats.zeros(fc.out(), fc.in());
        b = op.bias() != null ? Weights.draw(init, op.bias()) : null;
        gb = op.bias() != null ? Floats.zeros(fc.out()) : null;
    }

    @Override
    List<Param> params() {
        return Param.weightAndBias(path, w, gw, b, gb);
    }

    @Override
    INDArray forward(INDArray x, boolean training) {
        if (!java.util.Arrays.equals(built, Primitives.dims(x))) {
            build(Primitives.dims(x));
        }
        Primitives.point(src, x);
        forwardCall.run();
        return y4;
    }

    private void build(long[] in) {
        long n = in[0];
        y2 = Floats.create(n, fc.out());
        y4 = y2.reshape('c', n, 1, 1, fc.out()); // [n, out, 1, 1] channels-last: the same floats
        dx = Primitives.create(in);
        // a 4-D input with H×W > 1 keeps its layout and the weights read it as PyTorch flattens it, [out, C, H, W];
        // after global pooling it is [n, C] (the same floats), for which oneDNN's kernel is much faster
        boolean flat = in.length == 2 || in[2] * in[3] == 1;
        memory.desc srcMd = flat ? Primitives.plain(n, fc.in()) : Primitives.act(in);
        memory.desc wMd = flat ? Primitives.plain(fc.out(), fc.in()) : Primitives.plain(fc.out(), in[1], in[2], in[3]);
        memory.desc bMd = b == null ? new memory.desc() : Primitives.plain(fc.out());
        memory.desc dstMd = Primitives.plain(n, fc.out());
        inner_product_forward.desc fd = new inner_product_forward.desc(prop_kind.forward_training, srcMd, wMd, bMd,
                dstMd);
        inner_product_forward.primitive_desc fpd = new inner_product_forward.primitive_desc(fd, Dnnl.engine());
        src = Primitives.unbound(srcMd);
        memory wm = Primitives.over(w, wMd);
        IntMemoryMap fa = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_WEIGHTS, wm)
                .put(DNNL_ARG_DST, Primitives.over(y2, dstMd));
        if (b != null) {
            fa.put(DNNL_ARG_BIAS, Primitives.over(b, bMd));
        }
        forwardCall = Primitives.Call.of(fpd, new inner_product_forward(fpd), fa);
        diffDst = Primitives.unbound(dstMd);
        inner_product_backward_weights.desc wd = new inner_product_backward_weights.desc(srcMd, wMd, bMd, dstMd);
        inner_product_backward_weights.primitive_desc wpd =
                new inner_product_backward_weights.primitive_desc(wd, Dnnl.engine(), fpd);
        IntMemoryMap wa = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_DIFF_DST, diffDst)
                .put(DNNL_ARG_DIFF_WEIGHTS, Primitives.over(gw, wMd));
        if (gb != null) {
            wa.put(DNNL_ARG_DIFF_BIAS, Primitives.over(gb, bMd));
        }
        weightsCall = Primitives.Call.of(wpd, new inner_product_backward_weights(wpd), wa);
        inner_product_backward_data.desc dd = new inner_product_backward_data.desc(srcMd, wMd, dstMd);
        inner_product_backward_data.primitive_desc dpd =
                new inner_product_backward_data.primitive_desc(dd, Dnnl.engine(), fpd);
        IntMemoryMap da = new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diffDst).put(DNNL_ARG_WEIGHTS, wm)
                .put(DNNL_ARG_DIFF_SRC, Primitives.over(dx, srcMd));
        dataCall = Primitives.Call.of(dpd, new inner_product_backward_data(dpd), da);
        hold(true, fd, fpd, wd, wpd, dd, dpd, srcMd, wMd, bMd, dstMd, wm, fa, wa, da);
        built = in.clone();
    }

    /** The logits as [n, out]. */
    INDArray logits() {
        return y2;
    }

    @Override
    INDArray backward(INDArray dy) {
        Primitives.point(diffDst, dy);
        weightsCall.run();
        dataCall.run();
        return dx;
    }

    @Override
    INDArray output() {
        return y4;
    }
}
