package effconv.train;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import effconv.layers.Activation;
import effconv.runtime.Dnnl;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU (or ReLU6, a clip to [0, 6]) as oneDNN's eltwise primitives: the gradient passes where the input is inside
 * the linear part.
 */
final class ReluModule extends PairedModule {
    private final Dnnl.Eltwise eltwise;

    ReluModule(String path, Activation spec) {
        super(path, spec);
        eltwise = Dnnl.Eltwise.of(spec.kind());
    }

    @Override
    Pair build(long[] shape) {
        INDArray out = Primitives.create(shape);
        INDArray dx = Primitives.create(shape);
        memory.desc d = Primitives.act(shape);
        eltwise_forward.desc fd = new eltwise_forward.desc(prop_kind.forward_training, eltwise.algorithm(), d,
                eltwise.alpha(), eltwise.beta());
        eltwise_forward.primitive_desc fpd = new eltwise_forward.primitive_desc(fd, Dnnl.engine());
        memory src = Primitives.unbound(d);
        memory dst = Primitives.over(out, d);
        IntMemoryMap fa = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_DST, dst);
        Primitives.Call forwardCall = Primitives.Call.of(fpd, new eltwise_forward(fpd), fa);
        eltwise_backward.desc bd = new eltwise_backward.desc(eltwise.algorithm(), d, d,
                eltwise.alpha(), eltwise.beta());
        eltwise_backward.primitive_desc bpd = new eltwise_backward.primitive_desc(bd, Dnnl.engine(), fpd);
        memory diffDst = Primitives.unbound(d);
        memory diffSrc = Primitives.over(dx, d);
        IntMemoryMap ba = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_DIFF_DST, diffDst)
                .put(DNNL_ARG_DIFF_SRC, diffSrc);
        Primitives.Call backwardCall = Primitives.Call.of(bpd, new eltwise_backward(bpd), ba);
        hold(true, fd, fpd, bd, bpd, d, dst, diffSrc, fa, ba);
        return new Pair(out, dx, src, diffDst, forwardCall, backwardCall);
    }
}
