package effconv.train;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import effconv.layers.Activation;
import effconv.nd.Dnnl;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU (or ReLU6, a clip to [0, 6]) as oneDNN's eltwise primitives: the gradient passes where the input is inside
 * the linear part.
 */
final class ReluModule extends Module {
    private final boolean six;
    private INDArray out;
    private INDArray dx;
    private long[] built;
    private memory src;
    private memory diffDst;
    private Primitives.Call forwardCall;
    private Primitives.Call backwardCall;

    ReluModule(String path, Activation spec) {
        super(path, spec);
        six = spec.kind() == Activation.Kind.RELU6;
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        if (!java.util.Arrays.equals(built, Primitives.dims(input))) {
            build(Primitives.dims(input));
        }
        Primitives.point(src, input);
        forwardCall.run();
        return out;
    }

    private void build(long[] shape) {
        out = Primitives.create(shape);
        dx = Primitives.create(shape);
        memory.desc d = Primitives.act(shape);
        algorithm alg = six ? algorithm.eltwise_clip : algorithm.eltwise_relu;
        float beta = six ? 6f : 0f;
        eltwise_forward.desc fd = new eltwise_forward.desc(prop_kind.forward_training, alg, d, 0f, beta);
        eltwise_forward.primitive_desc fpd = new eltwise_forward.primitive_desc(fd, Dnnl.engine());
        src = Primitives.unbound(d);
        memory dst = Primitives.over(out, d);
        IntMemoryMap fa = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_DST, dst);
        forwardCall = Primitives.Call.of(fpd, new eltwise_forward(fpd), fa);
        eltwise_backward.desc bd = new eltwise_backward.desc(alg, d, d, 0f, beta);
        eltwise_backward.primitive_desc bpd = new eltwise_backward.primitive_desc(bd, Dnnl.engine(), fpd);
        diffDst = Primitives.unbound(d);
        memory diffSrc = Primitives.over(dx, d);
        IntMemoryMap ba = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_DIFF_DST, diffDst)
                .put(DNNL_ARG_DIFF_SRC, diffSrc);
        backwardCall = Primitives.Call.of(bpd, new eltwise_backward(bpd), ba);
        hold(true, fd, fpd, bd, bpd, d, dst, diffSrc, fa, ba);
        built = shape.clone();
    }

    @Override
    INDArray backward(INDArray dy) {
        Primitives.point(diffDst, dy);
        backwardCall.run();
        return dx;
    }

    @Override
    INDArray output() {
        return out;
    }
}
