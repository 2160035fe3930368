package effconv.train;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import effconv.layers.ChannelShuffle;
import effconv.layers.Shape;
import effconv.runtime.Dnnl;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.shuffle_backward;
import org.bytedeco.dnnl.shuffle_forward;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The channel shuffle, a permutation of channels: viewed as [n, g, C/g, H·W], transposed to [n, C/g, g, H·W].
 * oneDNN's shuffle primitive does exactly this along the channel axis; its backward pass is the inverse permutation.
 */
final class ShuffleModule extends PairedModule {
    private final int groups;

    ShuffleModule(String path, ChannelShuffle spec) {
        super(path, spec);
        groups = spec.groups();
    }

    @Override
    Pair build(long[] shape) {
        spec.outputShape(Shape.of((int) shape[1], (int) shape[2], (int) shape[3])); // the spec's own refusal
        INDArray out = Primitives.create(shape);
        INDArray dx = Primitives.create(shape);
        memory.desc d = Primitives.act(shape);
        // oneDNN's "group size" is the size of each of the g groups, C/g, not their number
        int groupSize = (int) (shape[1] / groups);
        shuffle_forward.desc fd = new shuffle_forward.desc(prop_kind.forward_training, d, 1, groupSize);
        shuffle_forward.primitive_desc fpd = new shuffle_forward.primitive_desc(fd, Dnnl.engine());
        memory src = Primitives.unbound(d);
        memory dst = Primitives.over(out, d);
        IntMemoryMap fa = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_DST, dst);
        Primitives.Call forwardCall = Primitives.Call.of(fpd, new shuffle_forward(fpd), fa);
        shuffle_backward.desc bd = new shuffle_backward.desc(d, 1, groupSize);
        shuffle_backward.primitive_desc bpd = new shuffle_backward.primitive_desc(bd, Dnnl.engine(), fpd);
        memory diffDst = Primitives.unbound(d);
        memory diffSrc = Primitives.over(dx, d);
        IntMemoryMap ba = new IntMemoryMap().put(DNNL_ARG_DIFF_DST, diffDst).put(DNNL_ARG_DIFF_SRC, diffSrc);
        Primitives.Call backwardCall = Primitives.Call.of(bpd, new shuffle_backward(bpd), ba);
        hold(true, fd, fpd, bd, bpd, d, dst, diffSrc, fa, ba);
        return new Pair(out, dx, src, diffDst, forwardCall, backwardCall);
    }
}
