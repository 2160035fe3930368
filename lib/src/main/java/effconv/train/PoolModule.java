package effconv.train;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Pool;
import effconv.runtime.Dnnl;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.pooling_backward;
import org.bytedeco.dnnl.pooling_forward;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling (K×K windows, stride S, no padding), which sends each window's gradient to the input that won it (the
 * forward primitive records the winners in a workspace), or global average pooling, whose gradient is spread evenly:
 * each pass one oneDNN pooling primitive.
 */
final class PoolModule extends PairedModule {
    private final Pool pool;

    private PoolModule(String path, Layer spec, Pool pool) {
        super(path, spec);
        this.pool = pool;
    }

    /** Max pooling; refused with padding, ceil mode or averaging, which this module does not differentiate. */
    static PoolModule of(String path, Pool p) {
        if (p.kind() != Pool.Kind.MAX || p.padding() != 0 || p.ceil()) {
            throw new IllegalArgumentException("layer " + p + " is not allowed in a trained network: training "
                    + "supports max pooling without padding or ceil mode, and global average pooling");
        }
        return new PoolModule(path, p, p);
    }

    static PoolModule global(String path) {
        return new PoolModule(path, new GlobalAvgPool(), null);
    }

    @Override
    Pair build(long[] in) {
        int h = (int) in[2];
        int w = (int) in[3];
        long[] shape = {in[0], in[1], pool == null ? 1 : pool.outputSize(h, "height"),
                pool == null ? 1 : pool.outputSize(w, "width")};
        INDArray out = Primitives.create(shape);
        INDArray dx = Primitives.create(in);
        long[] kernel = pool == null ? new long[] {h, w} : new long[] {pool.kernel(), pool.kernel()};
        long[] strides = pool == null ? new long[] {1, 1} : new long[] {pool.stride(), pool.stride()};
        long[] pad = {0, 0};
        algorithm alg = pool == null ? algorithm.pooling_avg_exclude_padding : algorithm.pooling_max;
        memory.desc srcMd = Primitives.act(in);
        memory.desc dstMd = Primitives.act(shape);
        pooling_forward.desc fd = new pooling_forward.desc(prop_kind.forward_training, alg, srcMd, dstMd, strides,
                kernel, pad, pad);
        pooling_forward.primitive_desc fpd = new pooling_forward.primitive_desc(fd, Dnnl.engine());
        memory src = Primitives.unbound(srcMd);
        memory dst = Primitives.over(out, dstMd);
        IntMemoryMap fa = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_DST, dst);
        pooling_backward.desc bd = new pooling_backward.desc(alg, srcMd, dstMd, strides, kernel, pad, pad);
        pooling_backward.primitive_desc bpd = new pooling_backward.primitive_desc(bd, Dnnl.engine(), fpd);
        memory diffDst = Primitives.unbound(dstMd);
        memory diffSrc = Primitives.over(dx, srcMd);
        IntMemoryMap ba = new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diffDst).put(DNNL_ARG_DIFF_SRC, diffSrc);
        memory workspace = null;
        java.util.List<Object> buffers = new java.util.ArrayList<>();
        if (fpd.workspace_desc().get_size() > 0) { // max pooling: which input won each window
            workspace = Dnnl.memory(fpd.workspace_desc(), "the max pooling's workspace", buffers);
            fa.put(DNNL_ARG_WORKSPACE, workspace);
            ba.put(DNNL_ARG_WORKSPACE, workspace);
        }
        Primitives.Call forwardCall = Primitives.Call.of(fpd, new pooling_forward(fpd), fa);
        Primitives.Call backwardCall = Primitives.Call.of(bpd, new pooling_backward(bpd), ba);
        hold(true, fd, fpd, bd, bpd, srcMd, dstMd, dst, diffSrc, fa, ba, workspace, buffers);
        return new Pair(out, dx, src, diffDst, forwardCall, backwardCall);
    }
}
